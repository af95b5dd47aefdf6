"""A headless Chromium driven over the DevTools protocol, with the standard library only.

Chromium is started with --remote-debugging-pipe: it reads commands from its fd 3 and writes
answers and events to its fd 4, each a JSON text ended by a NUL byte, so no WebSocket client
(and no package) is needed. One page target is opened and attached in flattened mode; every
event it sends is kept in `events`, in order, for the caller to count (network requests, say).

    with Browser(chromium, profile_dir, 1000, 1300) as b:
        b.navigate(url)
        b.wait_for('document.readyState === "complete"')
        b.evaluate('document.title')
        png = b.screenshot()
"""
import base64
import fcntl
import json
import os
import select
import subprocess
import time


class BrowserError(Exception):
    pass


class Browser:
    def __init__(self, chromium, profile, width, height, timeout=60):
        self.timeout = timeout
        self.events = []
        self.next_id = 0
        self.buffer = b''
        self.session = None
        # ours → its fd 3 (commands); its fd 4 → ours (answers and events)
        cmd_read, self.cmd_write = os.pipe()
        self.ans_read, ans_write = os.pipe()
        # above 4, so that moving one end onto 3 or 4 cannot overwrite the other
        cmd_read, ans_write = (self._high(fd) for fd in (cmd_read, ans_write))
        self.log_path = profile + '.log'  # Chromium's own messages, for a failure's diagnosis
        self.log = open(self.log_path, 'wb')
        args = [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--disable-dev-shm-usage', '--hide-scrollbars', '--remote-debugging-pipe', '--user-data-dir=' + profile,
                '--window-size=%d,%d' % (width, height), 'about:blank']
        # bash (dash takes one-digit fds only) puts the two pipe ends on the fd numbers Chromium
        # expects; no preexec_fn, since the caller has threads
        shell = 'exec 3<&%d 4>&%d %d<&- %d>&-; exec "$@"' % (cmd_read, ans_write, cmd_read, ans_write)
        self.proc = subprocess.Popen(['bash', '-c', shell, 'bash', *args], pass_fds=(cmd_read, ans_write),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        os.close(cmd_read)
        os.close(ans_write)
        try:
            target = self.send('Target.createTarget', {'url': 'about:blank'}, session=False)['targetId']
            self.session = self.send('Target.attachToTarget', {'targetId': target, 'flatten': True},
                                     session=False)['sessionId']
            self.send('Emulation.setDeviceMetricsOverride',
                      {'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': False})
            for domain in ('Page', 'Network', 'Runtime'):
                self.send(domain + '.enable')
        except Exception:
            self.close()
            raise

    @staticmethod
    def _high(fd):
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return high

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send('Browser.close', session=False, wait=False)
                self.proc.wait(10)
            except (OSError, subprocess.TimeoutExpired, BrowserError):
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        for fd in (self.cmd_write, self.ans_read):
            try:
                os.close(fd)
            except OSError:
                pass

    def _read_message(self, deadline):
        while b'\0' not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError('no answer from chromium within %d s' % self.timeout)
            ready, _, _ = select.select([self.ans_read], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.ans_read, 1 << 16)
            if not chunk:
                raise BrowserError('chromium closed its pipe (exit %s)' % self.proc.poll())
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b'\0', 1)
        return json.loads(text)

    def send(self, method, params=None, session=True, wait=True):
        self.next_id += 1
        message = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session and self.session:
            message['sessionId'] = self.session
        os.write(self.cmd_write, json.dumps(message).encode() + b'\0')
        if not wait:
            return None
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get('id') == self.next_id:
                if 'error' in answer:
                    raise BrowserError('%s: %s' % (method, answer['error']))
                return answer.get('result', {})
            if 'method' in answer:
                self.events.append(answer)

    def pump(self, seconds):
        """Collects events for this long (a ping keeps the reader turning)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.send('Runtime.evaluate', {'expression': '0'})
            time.sleep(0.05)

    def evaluate(self, expression, await_promise=False):
        result = self.send('Runtime.evaluate', {'expression': expression, 'returnByValue': True,
                                                'awaitPromise': await_promise})
        if 'exceptionDetails' in result:
            raise BrowserError('%s: %s' % (expression[:80], json.dumps(result['exceptionDetails'])[:500]))
        return result['result'].get('value')

    def wait_for(self, expression, seconds=60):
        """Polls a JavaScript expression until it is truthy; its last value, or None on time-out."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        return None

    def navigate(self, url):
        self.send('Page.navigate', {'url': url})

    def screenshot(self, clip=None):
        params = {'format': 'png'}
        if clip:
            params['clip'] = dict(clip, scale=1)
        return base64.b64decode(self.send('Page.captureScreenshot', params)['data'])

    def requests(self, url_part, method='POST', since=0):
        """The requests sent to URLs containing url_part, from event `since` on: [(requestId, request)]."""
        return [(e['params']['requestId'], e['params']['request']) for e in self.events[since:]
                if e['method'] == 'Network.requestWillBeSent' and url_part in e['params']['request']['url']
                and e['params']['request']['method'] == method]

    def received_bytes(self, request_id):
        for e in self.events:
            if e['method'] == 'Network.loadingFinished' and e['params']['requestId'] == request_id:
                return e['params']['encodedDataLength']
        return None

    def console_errors(self):
        return [' '.join(str(a.get('value', a.get('description', ''))) for a in e['params'].get('args', []))
                for e in self.events
                if e['method'] == 'Runtime.consoleAPICalled' and e['params'].get('type') == 'error']
