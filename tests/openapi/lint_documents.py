#!/usr/bin/env python3
"""Lints docs/openapi/*.json with Redocly CLI (issue 19): the meson test openapi_lint.

    tests/openapi/lint_documents.py SOURCE_ROOT CACHE_DIR

Redocly CLI comes from the npm registry at the version tests/openapi/package-lock.json fixes:
`npm ci` installs it into CACHE_DIR (in the build directory) the first time, and again only when
package.json, the lock or Node.js's version changed. The rules are tests/openapi/redocly.yaml's
(Redocly's recommended-strict, where every problem is an error, with the rules turned off there
and why). First a broken document must fail (so a linter that passes anything, or a config that
turned everything off, cannot make this test pass), then the three documents must pass.
Node.js and npm: scripts/install-deps.sh test installs Debian's when the machine has none.
"""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

VERSION_FILES = ('package.json', 'package-lock.json')


def run(cmd, **kw):
    print('+ ' + ' '.join(cmd), flush=True)
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, **kw)


def install(here, cache, env):
    """npm ci into cache unless what is there was installed from the same files and Node.js."""
    node = subprocess.run(['node', '--version'], capture_output=True, text=True, check=True).stdout.strip()
    digest = hashlib.sha256(node.encode())
    for name in VERSION_FILES:
        with open(os.path.join(here, name), 'rb') as f:
            digest.update(f.read())
    stamp = os.path.join(cache, 'installed.sha256')
    cli = os.path.join(cache, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js')
    try:
        with open(stamp) as f:
            if f.read().strip() == digest.hexdigest() and os.path.exists(cli):
                return cli
    except OSError:
        pass
    os.makedirs(cache, exist_ok=True)
    for name in VERSION_FILES:
        shutil.copyfile(os.path.join(here, name), os.path.join(cache, name))
    # --ignore-scripts: nothing here needs an install script (core-js's only prints a notice)
    r = run(['npm', 'ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], cwd=cache, env=env)
    if r.returncode != 0:
        sys.exit(f'lint_documents: npm ci in {cache} failed ({r.returncode})')
    with open(stamp, 'w') as f:
        f.write(digest.hexdigest() + '\n')
    return cli


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    root, cache = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    here = os.path.join(root, 'tests', 'openapi')
    missing = [c for c in ('node', 'npm') if not shutil.which(c)]
    if missing:
        sys.exit(f'lint_documents: no {" or ".join(missing)} on PATH (scripts/install-deps.sh test installs '
                 'Debian\'s nodejs and npm)')
    # no usage reports, no update check: the npm registry is the only place this may reach
    env = dict(os.environ, REDOCLY_TELEMETRY='off', REDOCLY_SUPPRESS_UPDATE_NOTICE='true',
               npm_config_update_notifier='false')
    cli = install(here, cache, env)
    config = os.path.join(here, 'redocly.yaml')
    lint = ['node', cli, 'lint', '--config', config, '--format', 'stylish']

    with tempfile.TemporaryDirectory() as tmp:
        broken = os.path.join(tmp, 'broken.json')
        with open(broken, 'w') as f:
            json.dump({'openapi': '3.1.0', 'info': {'title': 'broken', 'version': '1'},
                       'paths': {'/x': {'get': {'operationId': 'x', 'responses': {
                           '200': {'description': 'x', 'content': {'application/json': {
                               'schema': {'$ref': '#/components/schemas/Missing'}}}}}}}}}, f)
        r = run(lint + [broken], cwd=tmp, env=env, capture_output=True, text=True)
        if r.returncode == 0 or 'no-unresolved-refs' not in r.stdout + r.stderr:
            print(r.stdout + r.stderr)
            sys.exit('lint_documents: the linter passed a document with an unresolved $ref: it checks nothing')

    docs = sorted(glob.glob(os.path.join(root, 'docs', 'openapi', '*.json')))
    if not docs:
        sys.exit('lint_documents: no docs/openapi/*.json')
    r = run(lint + docs, cwd=root, env=env)
    if r.returncode != 0:
        sys.exit(f'lint_documents: Redocly CLI found problems in docs/openapi/ (exit {r.returncode})')
    print(f'lint_documents: {len(docs)} documents pass tests/openapi/redocly.yaml')


if __name__ == '__main__':
    main()
