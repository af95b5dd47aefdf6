#!/usr/bin/env python3
"""
include_layers.py — fails when a file under src/ includes a folder above its own.

The layers, lowest first, written down once (docs/ARCHITECTURE.md describes them):

  base      arenas, strings, errors, logs, the worker pool, the JSON writer
  json      the JSON reader and the streaming writer
  http      requests, responses, the router, the libmicrohttpd adapter
  store     SQL and the database backends
  core      the business rules (no HTTP, no wire JSON), one subfolder per area
  seed      generators of demo and benchmark data (rentd seed, serve --demo)
  jobs      the background job runner
  app       from a parsed request to a response: routing, auth, error dispatch
  dialects  the three wire dialects: route tables, handlers, error shapes
  wiring    the server's assembly (config -> store -> core -> app)
  main      src/main.c and src/cli.c: the command line

A file may include its own folder and any folder below it. `#include "x.h"` without a
folder is its own folder's. Every folder of src/ must be in the list, so a new folder is
placed deliberately. Known upward includes that cannot be fixed yet are listed in ALLOWED,
each with its reason, so the debt stays visible; an ALLOWED entry that no longer occurs
fails too (remove it).

usage: include_layers.py [SRC_DIR]   (default: src/ beside this script's parent)
"""
import os
import re
import sys

LAYERS = ["base", "json", "http", "store", "core", "seed", "jobs", "app", "dialects", "wiring", "main"]

# (including file relative to src/, included header) -> why it is still allowed
ALLOWED = {}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    """The layer of a path relative to src/: its first folder, or main for src/*.c|h."""
    parts = rel.split("/")
    return "main" if len(parts) == 1 else parts[0]


def check(src):
    problems = []
    seen_allowed = set()
    for dirpath, _dirs, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            own = layer_of(rel)
            if own not in LAYERS:
                problems.append(f"{rel}: folder '{own}' is not in the layer list of tests/include_layers.py")
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                target = m.group(1)
                if "/" not in target:
                    continue  # its own folder
                folder = target.split("/")[0]
                if folder not in LAYERS:
                    problems.append(f"{rel}: includes \"{target}\" from folder '{folder}', which is in no layer")
                    continue
                if LAYERS.index(folder) <= LAYERS.index(own):
                    continue
                if (rel, target) in ALLOWED:
                    seen_allowed.add((rel, target))
                    continue
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"src/{rel}:{line}: {own}/ includes \"{target}\" from {folder}/, a layer above it")
    for key in sorted(set(ALLOWED) - seen_allowed):
        problems.append(f"allowed include {key[0]} -> {key[1]} no longer occurs: remove it from ALLOWED")
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src")
    if not os.path.isdir(src):
        print(f"include_layers: no directory {src}", file=sys.stderr)
        return 2
    problems = check(src)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"include_layers: {len(problems)} problem(s); layers, lowest first: {' < '.join(LAYERS)}",
              file=sys.stderr)
        return 1
    print(f"include_layers: ok ({' < '.join(LAYERS)}; {len(ALLOWED)} allowed exception(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
