#!/usr/bin/env python3
"""Every shell example of README.md, run as written against a real server.

The ```sh blocks run in order in one bash (`set -euo pipefail`, so a variable one block sets,
such as TOKEN, is there for the next) in an empty directory that looks like a checkout:
./build/rentd is the binary under test and data/ the repository's, and `rentd serve` runs there
on its default database (var/rentd.db) on a free port, which replaces 8080 in the examples.
curl gets --fail-with-body, so any answer of 400 or more fails the run, as does any command that
exits non-zero.

The README's own conventions (documented in its source, above its first example):
- `<!-- readme-test: skip … -->` on the line before a block: not run (say why in the comment);
- `cmd   # {…}` on the command's own line: the exact output, `…` standing for anything;
- `# {…}` on the lines after a command: an example of the output; the test checks that the
  output is a JSON object with every top-level member the example shows.

usage: test_readme.py RENTD_BINARY SOURCE_ROOT
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SKIP = re.compile(r"^<!--\s*readme-test:\s*skip\b")


def blocks(text):
    """(line number, lines) of every ```sh block not marked skip."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            j = i + 1
            while lines[j].strip() != "```":
                j += 1
            prev = next((l for l in reversed(lines[:i]) if l.strip()), "")
            if not SKIP.match(prev.strip()):
                out.append((i + 1, lines[i + 1:j]))
            i = j
        i += 1
    return out


def commands(lines):
    """[command text, exact expectation or None, example expectation or None] per command."""
    cmds, cur = [], None
    for line in lines:
        s = line.strip()
        if cur is None and s.startswith("#"):
            body = s.lstrip("#").strip()
            if cmds and (body.startswith("{") or body.startswith("[") or
                         (cmds[-1][2] is not None and line.startswith("#  "))):
                cmds[-1][2] = (cmds[-1][2] or "") + body
            continue
        if not s and cur is None:
            continue
        cur = line if cur is None else cur + "\n" + line
        if not (s.endswith("\\") or s.endswith("|")):
            m = re.search(r"\s#\s+(\{.*)$", line)
            cmds.append([cur, m.group(1).strip() if m else None, None])
            cur = None
    return cmds


def top_keys(text):
    """The top-level member names of a JSON object written with … for values."""
    keys, depth, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if depth == 1 and text[j + 1:].lstrip().startswith(":"):
                keys.append(text[i + 1:j])
            i = j
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        i += 1
    return keys


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        found = blocks(f.read())
    todo = []
    for lineno, lines in found:
        for cmd in commands(lines):
            todo.append((lineno,) + tuple(cmd))
    if len(todo) < 10:
        print("only %d commands found in README.md: the extraction is broken" % len(todo))
        return 1

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "build"))
        os.symlink(RENTD, os.path.join(tmp, "build", "rentd"))
        os.symlink(os.path.join(ROOT, "data"), os.path.join(tmp, "data"))
        os.mkdir(os.path.join(tmp, ".readme"))
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("RENTD_")}
        # --demo, as `make run` serves: the README's demo examples (reset-passwords) need it
        server = subprocess.Popen(["./build/rentd", "serve", "--demo", "--listen", "127.0.0.1:%d" % port,
                                   "--access-log", "off"], cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                  stdout=open(os.path.join(tmp, ".readme", "server.out"), "w"),
                                  stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=2):
                        break
                except OSError:
                    if server.poll() is not None:
                        break
                    time.sleep(0.1)
            script = ["set -euo pipefail",
                      'curl() { command curl --fail-with-body --max-time 60 "$@"; }']
            for n, (lineno, cmd, _, _) in enumerate(todo):
                cmd = re.sub(r"\b(localhost|127\.0\.0\.1):8080\b", "127.0.0.1:%d" % port, cmd)
                script.append("echo %d > .readme/current" % n)
                script.append("{ %s\n} > .readme/out.%d; cat .readme/out.%d" % (cmd, n, n))
            script.append("echo done > .readme/current")
            r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp, env=env,
                               stdin=subprocess.DEVNULL, timeout=600)
            with open(os.path.join(tmp, ".readme", "current")) as f:
                reached = f.read().strip()
            if r.returncode != 0 or reached != "done":
                n = int(reached) if reached.isdigit() else 0
                failures.append("README.md block at line %d: exit %d in\n%s" % (todo[n][0], r.returncode, todo[n][1]))
                todo = todo[:n]
            for n, (lineno, cmd, exact, example) in enumerate(todo):
                with open(os.path.join(tmp, ".readme", "out.%d" % n), encoding="utf-8") as f:
                    out = f.read().strip()
                if exact is not None:
                    pattern = ".*?".join(re.escape(p) for p in exact.split("…"))
                    if not re.fullmatch(pattern, out, re.S):
                        failures.append("line %d: `%s` printed %s, the README shows %s" % (lineno, cmd, out, exact))
                if example is not None:
                    try:
                        got = json.loads(out.split("\n")[-1])
                    except ValueError:
                        got = None
                    missing = [k for k in top_keys(example) if not isinstance(got, dict) or k not in got]
                    if missing:
                        failures.append("line %d: `%s` printed %s, without %s that the README shows" %
                                        (lineno, cmd, out[:300], ", ".join(missing)))
        finally:
            server.terminate()
            server.wait(timeout=30)
            if failures:
                with open(os.path.join(tmp, ".readme", "server.out")) as f:
                    print("server output (last 2000 characters):\n" + f.read()[-2000:])
    for f in failures:
        print("FAIL " + f)
    print("%d commands of %d blocks of README.md run" % (len(todo), len(found)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
