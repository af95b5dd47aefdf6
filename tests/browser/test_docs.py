#!/usr/bin/env python3
"""The API reference in a real browser (issue 19): /docs/market renders the market document with
the vendored Redoc, and no request leaves the server.

Starts the real rentd binary on a loopback port with a fresh database, opens /docs/market in
Debian's headless Chromium driven over the DevTools protocol (tests/browser/cdp.py) and checks:

- Redoc rendered the document: the page shows the document's title, one operation section for
  every operation of /openapi/market.json (read from the server, so the check follows the
  document), the x-rentd-extension marks, and the reference's links to the three documents;
- every request the page made went to the server itself (or was a data:/blob: URL); a request
  for another site that the page's Content-Security-Policy stopped in the browser (Redoc links a
  logo on a CDN) is allowed, since it never left, and is printed; anything else fails;
- nothing was written to the console as an error (a CSP violation of a script or a style, a
  document that did not parse).

A screenshot is kept in the build directory (docs-market-screenshot.png) as the test's artifact.

Usage: test_docs.py RENTD_BIN ARTIFACT_DIR
Exit status 77 (meson's "skipped") only when no chromium is installed.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402 (beside this file)

DOCUMENT = 'market'


def fail(msg):
    print('FAIL: ' + msg, flush=True)
    print('0 passed, 1 failed', flush=True)
    sys.exit(1)


def find_chromium():
    for name in (os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome'):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def start_rentd(binary, work):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    base = 'http://127.0.0.1:%d' % port
    proc = subprocess.Popen([binary, 'serve', '--listen', '127.0.0.1:%d' % port, '--database',
                             os.path.join(work, 'rentd.db'), '--public-url', base, '--threads', '2',
                             '--log-level', 'warn', '--job-workers', '0'], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if 'listening on ' + base not in line:
        proc.kill()
        fail('rentd did not start: %r' % line)
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, base


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def check_page(b, base, document):
    """Returns the failures (strings) of /docs/{DOCUMENT} in browser b."""
    problems = []
    b.navigate(base + '/docs/' + DOCUMENT)
    operations = [o['operationId'] for item in document['paths'].values() for o in item.values()
                  if isinstance(o, dict) and 'operationId' in o]
    # Redoc names each operation's section "…operation/<operationId>"
    count_js = ('document.querySelectorAll(\'[data-section-id*="operation/"]\').length')
    rendered = b.wait_for('%s >= %d && %s' % (count_js, len(operations), count_js), 60)
    if not rendered:
        problems.append('Redoc did not render the %d operations within 60 s (%s found)'
                        % (len(operations), b.evaluate(count_js)))
        return problems
    ids = b.evaluate('Array.from(document.querySelectorAll(\'[data-section-id*="operation/"]\'))'
                     '.map(e => e.getAttribute("data-section-id").split("operation/").pop())')
    missing = sorted(set(operations) - set(ids))
    if missing:
        problems.append('operations not shown: ' + ', '.join(missing))
    text = b.evaluate('document.body.innerText')
    if document['info']['title'] not in text:
        problems.append('the title %r is not on the page' % document['info']['title'])
    # rentd's additions are shown as such (Redoc's showExtensions)
    if 'x-rentd-extension' not in text.lower():
        problems.append('the x-rentd-extension marks are not shown')
    links = b.evaluate('Array.from(document.querySelectorAll("nav.rentd-docs-nav a")).map(a => a.pathname)')
    for want in ('/docs/landlord', '/docs/market', '/docs/accounts', '/openapi/market.json'):
        if want not in (links or []):
            problems.append('the reference does not link %s (links: %s)' % (want, links))
    return problems


def check_network(b, base):
    """Every request went to base (or data:/blob:); the ones the CSP stopped are listed apart."""
    problems, stopped = [], []
    blocked = {e['params']['requestId']: e['params'].get('blockedReason')
               for e in b.events if e['method'] == 'Network.loadingFailed' and e['params'].get('blockedReason')}
    seen = 0
    for e in b.events:
        if e['method'] != 'Network.requestWillBeSent':
            continue
        seen += 1
        url = e['params']['request']['url']
        if url.startswith(base + '/') or url.startswith(('data:', 'blob:', 'about:')):
            continue
        if blocked.get(e['params']['requestId']) == 'csp':
            stopped.append(url)
        else:
            problems.append('a request left the server: %s (%s)' % (url, blocked.get(e['params']['requestId'])))
    for url in stopped:
        print('stopped by the page\'s Content-Security-Policy (never sent): ' + url, flush=True)
    if seen < 3:
        problems.append('only %d requests seen: the network events were not recorded' % seen)
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, artifacts = sys.argv[1], sys.argv[2]
    chromium = find_chromium()
    if not chromium:
        print('SKIP: chromium is not installed (scripts/install-deps.sh test installs it)', flush=True)
        sys.exit(77)
    work = tempfile.mkdtemp(prefix='rentd-docs-')
    proc, base = start_rentd(binary, work)
    try:
        with urllib.request.urlopen(base + '/openapi/%s.json' % DOCUMENT, timeout=30) as resp:
            document = json.load(resp)
        with cdp.Browser(chromium, os.path.join(work, 'profile'), 1280, 1000) as b:
            problems = check_page(b, base, document)
            b.pump(1.0)  # late requests (the sidebar's logo, the search worker)
            problems += check_network(b, base)
            errors = b.console_errors()
            problems += ['console error: ' + e[:300] for e in errors]
            with open(os.path.join(artifacts, 'docs-market-screenshot.png'), 'wb') as f:
                f.write(b.screenshot())
        if problems:
            for p in problems:
                print('FAIL: ' + p, flush=True)
            print('0 passed, 1 failed', flush=True)
            sys.exit(1)
        print('ok: /docs/%s shows all %d operations of the document; every request stayed on the server'
              % (DOCUMENT, sum(1 for item in document['paths'].values() for o in item.values()
                               if isinstance(o, dict) and 'operationId' in o)), flush=True)
        print('1 passed, 0 failed', flush=True)
    finally:
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
