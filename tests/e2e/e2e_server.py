"""e2e_server.py — what the end-to-end tests that run real `rentd serve` processes share: the
list of failed checks, a free loopback port, and a server with its HTTP calls, kill -9 and stop.

Every server started is in RUNNING; a test's entry point stops them all (stop_all) whatever
happened, so no rentd outlives its test.
"""
import http.client
import json
import os
import signal
import socket
import subprocess
import time

failures = []
RUNNING = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`rentd serve` on a free port of 127.0.0.1 with two job workers and no access log; ready
    when /readyz answers 200 (start_seconds: how long that took)."""

    def __init__(self, rentd, db, env, args=(), stdout=None, stderr=None, ready_seconds=20):
        self.port = free_port()
        cmd = [rentd, "serve", "--listen", "127.0.0.1:%d" % self.port, "--database", db, "--job-workers", "2",
               "--access-log", "off"] + list(args)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env,
                                     start_new_session=True)
        RUNNING.append(self)
        started = time.monotonic()
        while not self.ready():
            if time.monotonic() - started > ready_seconds:
                raise RuntimeError("rentd did not become ready in %d s" % ready_seconds)
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - started

    def ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError("rentd exited with %d at start" % self.proc.returncode)
        try:
            return self.call("GET", "/readyz")[0] == 200
        except OSError:
            return False

    def call(self, method, path, body=None, token=None, scheme="JWT"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = scheme + " " + token
        c.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        r = c.getresponse()
        data = r.read()
        c.close()
        try:
            return r.status, json.loads(data) if data else None
        except ValueError:
            return r.status, data

    def kill9(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


def stop_all():
    for server in RUNNING:
        server.stop()
