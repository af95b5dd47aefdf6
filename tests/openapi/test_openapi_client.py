#!/usr/bin/env python3
"""Clients generated from docs/openapi/*.json run a short flow against the server (issue 19).

tests/openapi/client/ pins the generator, @hey-api/openapi-ts (pure npm: openapi-generator needs
a Java jar from Maven Central), and TypeScript in package.json and package-lock.json. This test:

1. installs them with `npm ci` into BUILD_DIR/openapi-client (again only when the lock file or
   node's version changed; npm's cache is there too);
2. generates a TypeScript client (@hey-api/client-fetch) from each of the three documents into
   gen/landlord, gen/market, gen/accounts there (generated code is never committed);
3. compiles client/flow.ts against them with tsc --strict: a call, member or type that a document
   does not have is a compile error;
4. starts `rentd serve --demo` on a database of its own and runs the flow with node: landlord
   (log in, create an estate and an apartment, read it back, list the inventory), market (sign in
   as the demo applicant, list market objects, read one, "may I apply?"), accounts (agent login,
   list landlord accounts, read one, update a field and read it back); it checks every answer.

Exit 77 (skipped) only when node or npm is missing (scripts/install-deps.sh test installs
Debian's); everything runs on Node 18, Debian 12's.

usage: test_openapi_client.py RENTD_BINARY SOURCE_ROOT BUILD_DIR
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, HERE)
from e2e_server import check, failures, stop_all  # noqa: E402
import demo_server  # noqa: E402

RENTD, ROOT, BUILD = (os.path.abspath(a) for a in sys.argv[1:4])
CLIENT = os.path.join(HERE, "client")
WORK = os.path.join(BUILD, "openapi-client")
DIALECTS = ("landlord", "market", "accounts")
T0 = time.monotonic()


def note(what):
    print("note %s (%.1f s)" % (what, time.monotonic() - T0), flush=True)


def run(cmd, what, env=None, timeout=600):
    """Run a step in WORK; its output goes to the log; a failure fails the test."""
    r = subprocess.run(cmd, cwd=WORK, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout)
    out = (r.stdout + r.stderr).strip()
    check(r.returncode == 0, "%s (exit %d)" % (what, r.returncode))
    if r.returncode != 0:
        print(out[-6000:])
        raise SystemExit(1)
    return out


def install(node, npm):
    """npm ci of the pinned packages, unless this lock file is already installed with this node."""
    os.makedirs(WORK, exist_ok=True)
    for name in ("package.json", "package-lock.json", "tsconfig.json", "flow.ts"):
        shutil.copyfile(os.path.join(CLIENT, name), os.path.join(WORK, name))
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(CLIENT, "package-lock.json"), "rb") as f:
        stamp = hashlib.sha256(f.read()).hexdigest() + " " + version
    stamp_path = os.path.join(WORK, "node_modules", ".rentd-installed")
    if os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
        note("node %s; the pinned packages are installed" % version)
        return
    env = dict(os.environ, npm_config_cache=os.path.join(WORK, "npm-cache"), npm_config_update_notifier="false",
               npm_config_fund="false", npm_config_audit="false")
    run([npm, "ci", "--no-audit", "--no-fund"], "npm ci of tests/openapi/client's pinned packages", env=env)
    with open(stamp_path, "w") as f:
        f.write(stamp)
    note("node %s; npm ci done" % version)


def generate(node):
    gen = os.path.join(WORK, "gen")
    shutil.rmtree(gen, ignore_errors=True)
    shutil.rmtree(os.path.join(WORK, "dist"), ignore_errors=True)
    generator = os.path.join("node_modules", "@hey-api", "openapi-ts", "bin", "index.cjs")
    for d in DIALECTS:
        run([node, generator, "-i", os.path.join(ROOT, "docs", "openapi", d + ".json"), "-o", os.path.join("gen", d),
             "-c", "@hey-api/client-fetch"], "a client generated from docs/openapi/%s.json" % d)
        sdk = os.path.join(gen, d, "sdk.gen.ts")
        with open(sdk) as f:
            functions = len(re.findall(r"^export const \w+ = ", f.read(), re.M))
        with open(os.path.join(ROOT, "docs", "openapi", d + ".json")) as f:
            operations = len(re.findall(r'"operationId":', f.read()))
        check(functions == operations, "%s: one generated function per operation (%d of %d)" % (
            d, functions, operations))
    note("three clients generated")
    run([node, os.path.join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
        "flow.ts compiles against the generated clients (tsc --strict)")
    note("compiled")


def main():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("skipped: node and npm are needed (scripts/install-deps.sh test installs Debian's)")
        return 77
    install(node, npm)
    generate(node)
    with tempfile.TemporaryDirectory() as tmp:
        err_path = None
        try:
            server, _, password, err_path = demo_server.start(RENTD, ROOT, tmp)
            note("rentd serve --demo ready")
            flow_env = dict(os.environ, RENTD_URL="http://127.0.0.1:%d" % server.port,
                            RENTD_ADMIN_PASSWORD=password.get("admin@demo.rentd.local", ""),
                            RENTD_AGENT_PASSWORD=password.get("ops@demo.rentd.local", ""),
                            RENTD_APPLICANT_PASSWORD=password.get("anna.lindqvist@demo.rentd.local", ""))
            r = subprocess.run([node, os.path.join("dist", "flow.js")], cwd=WORK, env=flow_env, capture_output=True,
                               text=True, timeout=120 * demo_server.FACTOR, stdin=subprocess.DEVNULL)
            print(r.stdout.rstrip())
            if r.stderr.strip():
                print(r.stderr.rstrip()[-3000:])
            checks = len(re.findall(r"^(ok|FAIL) ", r.stdout, re.M))
            check(r.returncode == 0 and "every check passed" in r.stdout,
                  "the flows of the three generated clients pass (%d checks; exit %d)" % (checks, r.returncode))
        finally:
            stop_all()
            if err_path:
                demo_server.finish(err_path, failures)
    print("%d failure(s) in %.1f s" % (len(failures), time.monotonic() - T0))
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        stop_all()
    sys.exit(rc)
