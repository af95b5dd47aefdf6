#!/usr/bin/env python3
"""Takes the screenshots of docs/WIDGET.md from the demo: docs/widget.png and docs/widget-project.png.

Usage: tests/browser/docs_screenshots.py RENTD_BIN OUTPUT_DIR      (e.g. build/rentd docs)

Starts `rentd serve --demo` on a fresh database in a temporary directory (a free loopback port),
serves a landlord's page with the widget's embed code for the demo company and one with the
project iframe from a second origin, and photographs both in headless Chromium (driven over the
DevTools protocol, tests/browser/cdp.py) once the pictures in view have loaded. The project is
the demo's first published one; a demo without one gets one through the landlord API, made by
an employee created for the purpose, so the page always has something to show.
Nothing leaves 127.0.0.1. Not a test: run it by hand when the widget or the demo changes.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402 (beside this file)
from test_widget import serve_pages  # noqa: E402 (a second origin for the pages)

WIDTH = 1000
GEO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'geo')
PASSWORD = 'screenshot-password'

WIDGET_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>Lediga lägenheter</title>
<style>
  :root {{ --rentd-color-accent: #7a1f5c; --rentd-radius: 4px; }}
  body {{ margin: 24px; font-family: Georgia, serif; }}
</style>
<link rel="stylesheet" type="text/css" href="{rentd}/widgets/overview.css"/>
</head>
<body>
<h1>Våra lediga lägenheter</h1>
<div id="homeq-anchor" data-company="{company}"></div>
<script type="application/javascript" src="{rentd}/widgets/overview.js"></script>
</body>
</html>
"""

PROJECT_PAGE = """<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>{name}</title>
<style>body {{ margin: 8px; font-family: system-ui, sans-serif; }}</style></head>
<body>
<h1>{name}</h1>
<iframe width="100%" height="400px" src="{rentd}/widgets/project?project={project}&amp;lang=sv"></iframe>
</body>
</html>
"""

# resolves once every picture in the viewport has loaded (or failed)
PICTURES_IN_VIEW = """(async () => {
  const imgs = Array.from(document.images).filter(i => i.getBoundingClientRect().top < innerHeight);
  await Promise.all(imgs.map(i => i.complete ? null :
    new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); })));
  return imgs.filter(i => i.naturalWidth > 0).length;
})()"""


def call(base, method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    req.add_header('Content-Type', 'application/json')
    if token:
        req.add_header('Authorization', 'JWT ' + token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    return json.loads(text) if text else None


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def demo_project(binary, db, base, company):
    """The id and name of a published project of the demo company, made if there is none."""
    found = call(base, 'POST', '/api/v3/cards/', {'card_type': 'projects', 'amount': 100})['results']
    for card in found:
        if card.get('type') == 'project' and (card.get('references') or {}).get('company') == company:
            return card['references']['project'], card.get('title') or 'Nyproduktion'
    subprocess.run([binary, 'employee', 'create', '--company', str(company), '--username', 'screenshots',
                    '--password', PASSWORD, '--right-profile', 'admin', '--database', db],
                   check=True, capture_output=True)
    token = call(base, 'POST', '/api/v2/tokens/', {'username': 'screenshots', 'password': PASSWORD})['token']
    name = 'Kvarteret Linden'
    project = call(base, 'POST', '/api/v1/projects/', {'name': name}, token)['id']
    estate = call(base, 'POST', '/api/v4/estate', {'legal_name': 'Linden Fastigheter', 'city': 'Uppsala'},
                  token)['id']
    call(base, 'POST', '/api/v1/projects/%d/estates/%d' % (project, estate), None, token)
    call(base, 'PATCH', '/api/v1/projects/%d' % project,
         {'info_header': 'Nya hyresrätter', 'info_description': 'Inflyttning hösten 2027.'}, token)
    call(base, 'PATCH', '/api/v1/projects/%d' % project, {'published': True}, token)
    return project, name


def photograph(chromium, work, url, height, path):
    with cdp.Browser(chromium, os.path.join(work, 'profile'), WIDTH, height) as b:
        b.navigate(url)
        b.wait_for('document.readyState === "complete"')
        b.wait_for("!document.querySelector('[data-rentd-state=loading]')")
        b.pump(1)
        b.evaluate(PICTURES_IN_VIEW, await_promise=True)
        with open(path, 'wb') as f:
            f.write(b.screenshot())
    print('wrote ' + path, flush=True)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    chromium = shutil.which('chromium') or sys.exit('chromium is not installed')
    work = tempfile.mkdtemp(prefix='rentd-shots-')
    db = os.path.join(work, 'rentd.db')
    port = free_port()
    base = 'http://127.0.0.1:%d' % port
    server = subprocess.Popen([binary, 'serve', '--demo', '--database', db, '--listen', '127.0.0.1:%d' % port,
                               '--public-url', base, '--log-level', 'warn'], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, RENTD_GEO_DIR=os.environ.get('RENTD_GEO_DIR', GEO_DIR)))
    static = None
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + '/widgets/overview.js', timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        company = 1  # the demo company of a fresh database
        project, name = demo_project(binary, db, base, company)
        static, origin = serve_pages({
            'widget.html': WIDGET_PAGE.format(rentd=base, company=company).encode(),
            'project.html': PROJECT_PAGE.format(rentd=base, project=project, name=name).encode()})
        photograph(chromium, work, origin + 'widget.html', 960, os.path.join(out, 'widget.png'))
        photograph(chromium, work, origin + 'project.html', 540, os.path.join(out, 'widget-project.png'))
    finally:
        if static:
            static.shutdown()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
