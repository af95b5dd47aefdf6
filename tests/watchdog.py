#!/usr/bin/env python3
"""Run a test program; if it outlives its time, print a backtrace of every thread first.

    watchdog.py SECONDS PROGRAM [ARGS...]

tests/meson.build runs every C suite through this script with SECONDS equal to the test's
meson timeout. meson multiplies its own timeout by --timeout-multiplier but does not tell the
test: the factor is RENTD_TEST_TIMEOUT_MULTIPLIER (the Makefile sets it), else the
--timeout-multiplier (-t) read from the command line of the `meson test` that started us, else 1.

Why: when meson's timeout strikes it kills the whole process group within half a second, and
all that is left of a hang is "TIMEOUT". This script gives up a little earlier (a tenth of the
time, at least 20 s and at most 60 s, before meson would), and then, for the program and each
of its descendants (Criterion runs every test in a child process), prints the command line, the
state and kernel wait channel of each thread, and `gdb -batch -ex 'thread apply all bt'`. Then
it kills them all and exits 124, so meson records a failure with the backtraces in its log.
Without gdb (scripts/install-deps.sh test installs it) only the /proc part is printed.

The exit status is otherwise the program's own (77 still means "skipped").
"""
import os
import re
import shutil
import signal
import subprocess
import sys


def children_of(pid):
    """Every descendant of pid, parents before children."""
    kids = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat') as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields start after the last ')'
        ppid = int(stat[stat.rindex(')') + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        for k in sorted(kids.get(p, [])):
            out.append(k)
            todo.append(k)
    return out


def read(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode(errors='replace')
    except OSError:
        return '?'


FRAME = re.compile(r'^(#\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*?\)(?: (?:at|from) (\S+))?$')


def compact(line):
    """'#3  0x.. in worker (arg=0x..) at ../src/base/workpool.c:27' -> '#3 worker  ../src/base/workpool.c:27'
    (meson --print-errorlogs shows only a log's last 100 lines: keep every frame on a short line)"""
    m = FRAME.match(line)
    return f'  {m.group(1)} {m.group(2)}  {m.group(3) or ""}'.rstrip() if m else line


def describe(pid, gdb):
    cmd = read(f'/proc/{pid}/cmdline').replace('\0', ' ').strip()
    print(f'--- watchdog: process {pid}: {cmd}', flush=True)
    try:
        tids = sorted(int(t) for t in os.listdir(f'/proc/{pid}/task'))
    except OSError:
        tids = []
    for tid in tids:
        stat = read(f'/proc/{pid}/task/{tid}/stat')
        name = stat[stat.find('(') + 1:stat.rfind(')')] if ')' in stat else '?'
        state = stat[stat.rfind(')') + 2:].split()[0] if ')' in stat else '?'
        wchan = read(f'/proc/{pid}/task/{tid}/wchan')
        print(f'    thread {tid} ({name}) state {state} wchan {wchan}', flush=True)
    if not gdb:
        print('    (no gdb installed: no backtrace)', flush=True)
        return
    try:
        r = subprocess.run([gdb, '-nx', '-batch', '-p', str(pid), '-ex', 'set pagination off',
                            '-ex', 'thread apply all bt'],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
        lines, depth = [], 0
        for l in r.stdout.splitlines():
            if l.startswith('Thread '):
                lines.append(l)
                depth = 0
            elif l.startswith('#') and depth < 12 and not compact(l).endswith(' ??'):
                lines.append(compact(l))
                depth += 1
        print('\n'.join(lines) if lines else (r.stdout + r.stderr)[-3000:], flush=True)
    except subprocess.TimeoutExpired:
        print('    gdb did not finish within 90 s', flush=True)


def meson_multiplier():
    """The --timeout-multiplier (-t) of the `meson test` that started us, if it had one."""
    args = read(f'/proc/{os.getppid()}/cmdline').split('\0')
    for i, a in enumerate(args):
        for flag in ('--timeout-multiplier', '-t'):
            if a == flag and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(flag + '=') or (flag == '-t' and a.startswith('-t') and a[2:3].isdigit()):
                return a[len(flag) + (a[len(flag):].startswith('=')):]
    return None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    factor = float(os.environ.get('RENTD_TEST_TIMEOUT_MULTIPLIER') or meson_multiplier() or 1)
    if factor <= 0:  # meson: no timeout at all
        return subprocess.call(sys.argv[2:])
    limit = float(sys.argv[1]) * factor
    grace = min(60.0, max(20.0, limit / 10))
    deadline = max(limit - grace, limit / 2)
    proc = subprocess.Popen(sys.argv[2:])
    # meson's SIGTERM (its own timeout, or ^C) goes to the whole group; just pass it on
    signal.signal(signal.SIGTERM, lambda *_: proc.send_signal(signal.SIGTERM))
    try:
        return proc.wait(timeout=deadline)
    except subprocess.TimeoutExpired:
        pass
    print(f'\n=== watchdog: {" ".join(sys.argv[2:])} still running after {deadline:.0f} s '
          f'(meson gives up at {limit:.0f} s); every thread of every process:', flush=True)
    gdb = shutil.which('gdb')
    pids = [proc.pid] + children_of(proc.pid)
    for pid in pids:
        if os.path.exists(f'/proc/{pid}'):
            describe(pid, gdb)
    for pid in reversed(pids):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    proc.wait()
    print('=== watchdog: killed; the test failed by timeout', flush=True)
    return 124


if __name__ == '__main__':
    sys.exit(main())
