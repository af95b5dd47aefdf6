#!/usr/bin/env python3
"""The command line against the real binary: --help names every flag and command the code knows
(read from the code's own tables, so the test cannot go stale), unknown flags suggest the nearest
known one, `seed` without a target names its four, and `serve` on a busy port fails before it
creates the database or the secret.

usage: test_cli.py RENTD_BINARY SOURCE_ROOT
"""
import os
import re
import socket
import subprocess
import sys
import tempfile

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
    return subprocess.run([RENTD] + args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def source(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def config_options():
    """(flag, variable) of every configuration flag: config.c's env_map and set_option."""
    text = source("src/app/config.c")
    table = re.search(r"env_map\[\] = \{(.*?)\n\};", text, re.S).group(1)
    pairs = re.findall(r'\{ "(RENTD_[A-Z_]+)", "([a-z-]+)" \}', table)
    named = set(re.findall(r'strcmp\(name, "([a-z-]+)"\) == 0', text))
    check(named == {o for _, o in pairs}, "config.c: set_option and env_map name the same flags")
    return [("--" + o, v) for v, o in pairs]


def cli_commands():
    """Every command of cli.c's cli_main and main.c's main, as 'cmd' or 'cmd sub'."""
    commands = set()
    body = source("src/cli.c").split("int cli_main(", 1)[1]
    for cond in re.findall(r"\bif \((.*?)\) \{", body, re.S):
        cmds = re.findall(r'strcmp\(cmd, "([a-z-]+)"\)', cond)
        subs = re.findall(r'strcmp\(sub, "([a-z-]+)"\)', cond)
        for c in cmds:
            commands.update([c + " " + s for s in subs] or [c])
    main = source("src/main.c").split("int main(", 1)[1]
    commands.update(re.findall(r'strcmp\(cmd, "([a-z][a-z-]*)"\)', main))
    return sorted(commands)


def cli_flags():
    table = re.search(r"cli_flags\[\] = \{(.*?)\n\};", source("src/cli.c"), re.S).group(1)
    return re.findall(r'\{ "(--[a-z-]+)", offsetof', table)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


with tempfile.TemporaryDirectory() as tmp:
    # --help: complete
    r = run(["--help"], tmp)
    check(r.returncode == 0, "--help exits 0")
    usage = r.stdout
    options = config_options()
    check(len(options) >= 18, "found the configuration flags (%d)" % len(options))
    for flag, var in options:
        check(re.search(r"^\s*" + re.escape(flag) + r"\b", usage, re.M) is not None, "--help lists " + flag)
        check(var in usage, "--help lists " + var)
    commands = cli_commands()
    check(len(commands) >= 12, "found the commands (%d)" % len(commands))
    for cmd in commands:
        check(re.search(r"^  " + re.escape(cmd) + r"\b", usage, re.M) is not None, "--help lists `%s`" % cmd)
    for flag in cli_flags():
        check(re.search(re.escape(flag) + r"\b", usage) is not None, "--help lists the command flag " + flag)

    # unknown flags: the nearest known one
    r = run(["serve", "--port", "8080"], tmp)
    check(r.returncode == 2 and "unknown option --port (did you mean --listen?)" in r.stderr,
          "serve --port suggests --listen: " + r.stderr.strip())
    r = run(["serve", "--databse", "x.db"], tmp)
    check(r.returncode == 2 and "did you mean --database?" in r.stderr, "serve --databse suggests --database")
    r = run(["seed", "--apartment", "5"], tmp)
    check(r.returncode == 2 and "did you mean --apartments?" in r.stderr,
          "seed --apartment suggests --apartments: " + r.stderr.strip())
    r = run(["company", "create", "--nmae", "X"], tmp)
    check(r.returncode == 2 and "did you mean --name?" in r.stderr, "company create --nmae suggests --name")

    # seed without a target
    r = run(["seed", "--database", "seed.db"], tmp)
    check(r.returncode == 2 and all(f in r.stderr for f in ("--apartments", "--listings", "--accounts", "--events")),
          "seed alone names --apartments, --listings, --accounts, --events: " + r.stderr.strip())
    check(not os.path.exists(os.path.join(tmp, "seed.db")), "seed alone creates no database")

    # a busy port: a clear message, and nothing created
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    r = run(["serve", "--listen", "127.0.0.1:%d" % port, "--database", "var/busy.db"], tmp)
    busy.close()
    check(r.returncode != 0 and ("127.0.0.1:%d is in use (another rentd?)" % port) in r.stderr,
          "a busy port says so: " + r.stderr.strip()[-200:])
    check(not os.path.exists(os.path.join(tmp, "var")), "a busy port leaves no database or secret behind")

    # and a free one still serves (the check does not hold the port)
    port = free_port()
    p = subprocess.Popen([RENTD, "serve", "--listen", "127.0.0.1:%d" % port, "--database", "var/ok.db",
                          "--access-log", "off"], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, text=True)
    try:
        import time
        import urllib.request
        ok = False
        for _ in range(300):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2) as resp:
                    ok = resp.status == 200
                    break
            except OSError:
                if p.poll() is not None:
                    break
                time.sleep(0.1)
        check(ok, "serve on a free port answers /healthz")
    finally:
        p.terminate()
        p.wait(timeout=30)

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
