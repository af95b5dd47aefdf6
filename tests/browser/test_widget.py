#!/usr/bin/env python3
"""The widget in a real browser (issue 6, "Done when"; docs/WIDGET.md).

Starts the real rentd binary on a loopback port with a fresh database, creates two companies
and their published listings through the API (plus a draft and a paused listing that must not
show), serves tests/browser/widget_page.html from a second, tiny static server on another port
(so the widget's calls are cross-origin and CORS is exercised as on a landlord's site), loads
it in Debian's headless Chromium and checks the dumped DOM: the seed's anchor shows one card per
published listing of its company (one with the picture uploaded for it: its original, as the
server runs without a thumbnail job and the widget falls back from the missing thumbnail), none of the other
company's, none of the draft or the paused one; rentd's own anchor, pointed at the server by
URL, shows the other company's listings as links; a company without listings is "empty" and a
malformed anchor "error". A screenshot is kept in the build directory (widget-screenshot.png)
as the test's artifact, with the dumped DOM (widget-dom.html).

The second case pages: a company with 5,000 seeded listings (`rentd seed --listings 5000` into
a database of its own) on tests/browser/widget_paging.html, driven over the DevTools protocol
(tests/browser/cdp.py), which counts the requests the page sends. Before any scrolling the
widget must have asked the card search for one page only (one POST /api/v3/cards/ with an
amount of at most PAGE_MAX, answered by that many cards, well under PAGE_BYTES_MAX of JSON);
the first card's picture must be a thumbnail that really loaded (naturalWidth > 0, lazy, with
width, height and alt); scrolling to the end of the page must fetch the next page (a second
request, from where the first ended) and show its cards, none twice. Then the button: with
data-amount="30" a press asks for the last 6 cards and hides it; a page that fails (the server
stopped) keeps the cards and says so on the button. Its artifact is widget-paging-screenshot.png.

Usage: test_widget.py RENTD_BIN ARTIFACT_DIR   (meson passes both; RENTD_GEO_DIR in the env)
Exit status 77 (meson's "skipped") only when no chromium is installed.
"""
import base64
import hashlib
import html.parser
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402 (beside this file)

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = 'browser-test-password'
BULK_LISTINGS = 5000
PAGE_MAX = 100             # the most cards one page of the widget may ask for
PAGE_BYTES_MAX = 150000    # a page's JSON on the wire (all 5,000 cards are about 4 MB)


def fail(msg):
    print('FAIL: ' + msg, flush=True)
    print('0 passed, 1 failed', flush=True)
    sys.exit(1)


def find_chromium():
    for name in (os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome'):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Rentd:
    """The server under test, started on port 0; its port comes from its first line."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.db = os.path.join(workdir, 'rentd.db')
        self.proc = None
        self.base = None

    def cli(self, *args):
        out = subprocess.run([self.binary, *args, '--database', self.db], capture_output=True, text=True,
                             timeout=120)
        if out.returncode != 0:
            fail('rentd %s: %s%s' % (' '.join(args[:2]), out.stdout, out.stderr))
        return out.stdout

    def start(self, *extra):
        # a port chosen here, not port 0: the links rentd makes (signed upload URLs, picture URLs)
        # carry its public URL, which must name the real port
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        self.base = 'http://127.0.0.1:%d' % port
        self.proc = subprocess.Popen([self.binary, 'serve', '--listen', '127.0.0.1:%d' % port, '--database', self.db,
                                      '--public-url', self.base, '--threads', '2', '--log-level', 'warn', *extra],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if 'listening on ' + self.base not in line:
            fail('rentd did not start: %r' % line)
        # the rest of its output is not read: keep the pipe from filling
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def call(self, method, path, body=None, token=None, expect=(200, 201)):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header('Content-Type', 'application/json')
        if token:
            req.add_header('Authorization', 'JWT ' + token)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        if status not in expect:
            fail('%s %s %s → %d %s' % (method, path, json.dumps(body), status, text))
        return json.loads(text) if text else None


def png(width, height, rgb):
    """A solid-colour PNG, made here so the test needs no image files or tools."""
    def chunk(kind, data):
        return (len(data).to_bytes(4, 'big') + kind + data
                + zlib.crc32(kind + data).to_bytes(4, 'big'))
    rows = b''.join(b'\x00' + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, 'big') + height.to_bytes(4, 'big') + bytes([8, 2, 0, 0, 0])
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(rows))
            + chunk(b'IEND', b''))


def add_picture(rentd, token, apartment, rgb):
    """Uploads a picture through a file reference and its signed URL (H-40) and attaches it."""
    data = png(320, 240, rgb)
    ref = rentd.call('POST', '/api/v1/file_reference/', {
        'content_length': len(data), 'content_md5': base64.b64encode(hashlib.md5(data).digest()).decode(),
        'content_name': 'facade.png', 'entity_type': 'apartment_image', 'mime_type': 'image/png'}, token)
    if ref.get('signed_url'):
        req = urllib.request.Request(ref['signed_url'], data=data, method='PUT')
        for key, value in ref.get('headers', {}).items():
            req.add_header(key, value)
        with urllib.request.urlopen(req, timeout=30) as resp:
            if resp.status not in (200, 201, 204):
                fail('upload → %d' % resp.status)
    rentd.call('POST', '/api/v4/apartment/%d/pictures' % apartment,
               {'file_reference': ref['file_reference'], 'caption': 'Fasaden'}, token)


def company_with_listings(rentd, name, slug, published, extra_states):
    """A company, its admin's token, and listings: ids of the published ones, then of the others."""
    created = json.loads(rentd.cli('company', 'create', '--name', name, '--admin-username', slug + '-admin',
                                   '--admin-password', PASSWORD))
    token = rentd.call('POST', '/api/v2/tokens/', {'username': slug + '-admin', 'password': PASSWORD})['token']
    estate = rentd.call('POST', '/api/v4/estate', {'legal_name': name + ' Fastigheter', 'city': 'Uppsala'},
                        token)['id']
    requirement = rentd.call('POST', '/api/v1/requirements/', {'name': 'Standard'}, token)['id']
    ids, others = [], []
    for i in range(published + len(extra_states)):
        apartment = rentd.call('POST', '/api/v4/apartment', {
            'estate': estate, 'street_name': 'Svartbäcksgatan', 'street_number': str(10 + i),
            'zip_code': '75320', 'national_id': '%04d' % (1000 * len(slug) + i), 'latitude': 59.8617 + i / 1000,
            'longitude': 17.6389, 'area': 40 + 7 * i, 'floor': 1 + i, 'rent': 7000 + 850 * i, 'rooms': 1 + i % 4,
            'description': 'Ljus lägenhet nära centrum.'}, token)['id']
        state = extra_states[i - published] if i >= published else 'active'
        if i == 0:
            add_picture(rentd, token, apartment, (46, 125, 50) if slug == 'alpha' else (120, 60, 160))
        ad = {'apartment': apartment, 'requirement': requirement, 'is_draft': state == 'draft'}
        ad_id = rentd.call('POST', '/api/v1/object_ad/', ad, token)['id']
        if state == 'paused':
            rentd.call('PATCH', '/api/v1/object_ad/%d/' % ad_id, {'status': 'paused'}, token)
        (ids if state == 'active' else others).append(ad_id)
    return created['company_id'], ids, others


class StaticPage(http.server.BaseHTTPRequestHandler):
    """Serves the test pages (by name), with the server's address and the company filled in."""
    pages = {}

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        page = self.pages.get(self.path.split('?')[0].lstrip('/'))
        if page is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header('Content-Type', 'text/html; charset=utf-8')
        self.send_header('Content-Length', str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


class Widgets(html.parser.HTMLParser):
    """Each anchor of a dumped DOM (by its data-company) with its state, cards, titles, images, links."""
    VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr'}

    def __init__(self):
        super().__init__()
        self.anchors = {}
        self.stack = []  # (tag, the anchor it opens or None)

    def current(self):
        for _, anchor in reversed(self.stack):
            if anchor is not None:
                return anchor
        return None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get('class') or '').split()
        anchor = None
        if 'data-company' in a and tag == 'div':
            anchor = {'state': a.get('data-rentd-state'), 'cards': [], 'titles': 0, 'images': [], 'srcsets': [],
                      'links': []}
            self.anchors[a['data-company']] = anchor
        into = anchor or self.current()
        if into is not None:
            if tag == 'article' and 'rentd-card' in classes:
                into['cards'].append(int(a.get('data-object-ad') or 0))
            if 'rentd-card__title' in classes:
                into['titles'] += 1
            if tag == 'img' and 'rentd-card__image' in classes:
                into['images'].append(a.get('src') or '')
                into['srcsets'].append(a.get('srcset'))
            if tag == 'a' and 'rentd-card__link' in classes:
                into['links'].append(a.get('href') or '')
        if tag not in self.VOID:
            self.stack.append((tag, anchor))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def page_from(name, **values):
    """A test page with its {{KEY}}s filled in, as bytes to serve."""
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        page = f.read()
    for key, value in values.items():
        page = page.replace('{{%s}}' % key, str(value))
    return page.encode()


def serve_pages(pages):
    """A second origin for the test pages: the widget's calls to rentd are cross-origin."""
    StaticPage.pages = pages
    static = http.server.ThreadingHTTPServer(('127.0.0.1', 0), StaticPage)
    threading.Thread(target=static.serve_forever, daemon=True).start()
    return static, 'http://127.0.0.1:%d/' % static.server_address[1]


def chromium_run(chromium, profile, url, *extra):
    args = [chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
            '--disable-dev-shm-usage', '--user-data-dir=' + profile, '--virtual-time-budget=15000',
            '--window-size=1000,1300', *extra, url]
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        fail('chromium did not finish within 120 s')


CARDS = "document.querySelectorAll('#homeq-anchor .rentd-card')"
STATE = "(document.getElementById('homeq-anchor') || { getAttribute: () => null }).getAttribute('data-rentd-state')"
# the first card's picture once it has loaded or failed: what the browser made of it
FIRST_IMAGE = """(async () => {
  const img = document.querySelector('#homeq-anchor .rentd-card__image');
  if (!img)
    return null;
  if (!img.complete)
    await new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); });
  return { naturalWidth: img.naturalWidth, src: img.currentSrc, alt: img.alt, loading: img.loading,
           width: img.getAttribute('width'), height: img.getAttribute('height') };
})()"""


BUTTON = "document.querySelector('#homeq-anchor .rentd-widget__more')"


def load(b, url):
    """Opens a page at the top and waits for the anchor's first page; the event index it began at."""
    mark = len(b.events)
    b.navigate(url)
    if b.wait_for(STATE + " !== 'loading' && " + STATE, 90) != 'ready':
        fail('%s: the anchor is %r, not ready; console: %s' % (url, b.evaluate(STATE), b.console_errors()))
    return mark


def more_button(b, rentd, origin, page):
    """The button: data-amount="30" stops after 24 + 6 cards; a failed page keeps the cards and says so."""
    mark = load(b, origin + 'widget_amount.html')
    b.evaluate(BUTTON + ".querySelector('button').click()")
    if not b.wait_for(CARDS + '.length === 30 && ' + BUTTON + '.hidden', 60):
        fail('data-amount="30": %d cards after pressing the button, which is %s'
             % (b.evaluate(CARDS + '.length'), 'hidden' if b.evaluate(BUTTON + '.hidden') else 'shown'))
    b.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)')
    b.pump(1)
    asked = [json.loads(r.get('postData') or '{}') for _, r in b.requests('/api/v3/cards/', since=mark)]
    if [(a.get('offset'), a.get('amount')) for a in asked] != [(0, page), (page, 30 - page)]:
        fail('data-amount="30" asked for %s' % asked)

    load(b, origin + 'widget_paging.html')
    rentd.stop()
    b.evaluate(BUTTON + ".querySelector('button').click()")
    said = b.wait_for("(s => s.includes('Försök igen') && s)(" + BUTTON + ".textContent)", 60)
    if not said or b.evaluate(CARDS + '.length') != page or b.evaluate(STATE) != 'ready':
        fail('a failed second page: the button says %r, %d cards, state %r'
             % (b.evaluate(BUTTON + '.textContent'), b.evaluate(CARDS + '.length'), b.evaluate(STATE)))
    print('paging: data-amount="30" asked for %s; a failed page keeps its %d cards: %r' % (asked, page, said),
          flush=True)


def paging_case(binary, chromium, artifacts, work):
    """5,000 listings: the first paint asks for one page, scrolling for the next."""
    os.makedirs(os.path.join(work, 'bulk'))
    rentd = Rentd(binary, os.path.join(work, 'bulk'))
    static = None
    try:
        company = json.loads(rentd.cli('company', 'create', '--name', 'Storstadens Hyresbostäder',
                                       '--admin-username', 'bulk-admin', '--admin-password',
                                       PASSWORD))['company_id']
        rentd.cli('seed', '--listings', str(BULK_LISTINGS), '--company', str(company))
        rentd.start()
        total = rentd.call('POST', '/api/v3/cards/', {'company': company, 'amount': 1})['total_hits']
        if total < BULK_LISTINGS // 2:
            fail('the seed published %d of %d listings' % (total, BULK_LISTINGS))
        static, origin = serve_pages({
            'widget_paging.html': page_from('widget_paging.html', RENTD=rentd.base, COMPANY=company, ATTRS=''),
            'widget_amount.html': page_from('widget_paging.html', RENTD=rentd.base, COMPANY=company,
                                            ATTRS=' data-amount="30"')})
        with cdp.Browser(chromium, os.path.join(work, 'paging-profile'), 1000, 1300) as b:
            load(b, origin + 'widget_paging.html')
            b.pump(2)  # whatever the widget would fetch on its own, without a scroll
            first = b.requests('/api/v3/cards/')
            shown = b.evaluate(CARDS + '.length')
            sent = sum(b.received_bytes(rid) or 0 for rid, _ in first)
            print('paging: %d published listings; first paint: %d card request(s), %d cards, %d bytes'
                  % (total, len(first), shown, sent), flush=True)
            if len(first) != 1:
                fail('the first paint sent %d card searches, not one' % len(first))
            asked = json.loads(first[0][1].get('postData') or '{}')
            if not isinstance(asked.get('amount'), int) or not 0 < asked['amount'] <= PAGE_MAX:
                fail('the first card search asks for %r cards, not one page (1-%d): %s'
                     % (asked.get('amount'), PAGE_MAX, asked))
            if shown != asked['amount'] or asked.get('offset', 0) != 0:
                fail('%d cards shown after asking for %s' % (shown, asked))
            if sent > PAGE_BYTES_MAX:
                fail('the first page was %d bytes (at most %d)' % (sent, PAGE_BYTES_MAX))

            img = b.evaluate(FIRST_IMAGE, await_promise=True)
            if not img or not img['naturalWidth'] > 0:
                fail('the first card\'s picture did not load: %s' % img)
            if not img['src'].startswith(rentd.base + '/media/') or \
                    not any('/media/%d/' % w in img['src'] for w in (320, 460, 840)):
                fail('the first card\'s picture is not one of its thumbnails: %s' % img['src'])
            if img['loading'] != 'lazy' or not img['width'] or not img['height'] or not img['alt']:
                fail('the picture has no lazy loading, size or alt text: %s' % img)
            with open(os.path.join(artifacts, 'widget-paging-screenshot.png'), 'wb') as f:
                f.write(b.screenshot())

            b.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)')
            if not b.wait_for(CARDS + '.length > %d' % shown, 60):
                fail('scrolling to the end did not load more cards (%d requests)' % len(b.requests('/api/v3/cards/')))
            b.pump(1)
            after = b.requests('/api/v3/cards/')
            ids = b.evaluate('Array.from(' + CARDS + ', c => c.getAttribute("data-card-id"))')
            print('paging: after one scroll: %d card requests, %d cards' % (len(after), len(ids)), flush=True)
            if len(after) != 2:
                fail('one scroll sent %d card searches in all, not 2' % len(after))
            asked2 = json.loads(after[1][1].get('postData') or '{}')
            if asked2.get('offset') != shown or asked2.get('amount') != asked['amount']:
                fail('the second page is %s, not the next %d cards after %d' % (asked2, asked['amount'], shown))
            if len(ids) != 2 * shown or len(set(ids)) != len(ids):
                fail('%d cards (%d distinct) after two pages of %d' % (len(ids), len(set(ids)), shown))
            if b.console_errors():
                fail('console errors: %s' % b.console_errors())
            more_button(b, rentd, origin, asked['amount'])
    except cdp.BrowserError as e:
        fail('chromium: %s' % e)
    finally:
        if static:
            static.shutdown()
        rentd.stop()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, artifacts = sys.argv[1], sys.argv[2]
    chromium = find_chromium()
    if not chromium:
        print('SKIP: chromium is not installed (scripts/install-deps.sh test installs it)', flush=True)
        sys.exit(77)
    work = tempfile.mkdtemp(prefix='rentd-browser-')
    rentd = Rentd(binary, work)
    static = None
    try:
        # first, so the companies under test do not have id 1; it has no listings
        empty = json.loads(rentd.cli('company', 'create', '--name', 'Tomma Hus', '--admin-username', 'empty-admin',
                                     '--admin-password', PASSWORD))['company_id']
        # no thumbnail job: the uploaded picture has only its original, which the widget falls back to
        rentd.start('--job-workers', '0')
        alpha, alpha_ads, alpha_hidden = company_with_listings(rentd, 'Alpha Bostäder', 'alpha', 3,
                                                               ['draft', 'paused'])
        beta, beta_ads, _ = company_with_listings(rentd, 'Beta Hyresrätter', 'beta', 2, [])

        static, origin = serve_pages({'widget_page.html': page_from('widget_page.html', RENTD=rentd.base,
                                                                   COMPANY=alpha, OTHER=beta, EMPTY=empty)})
        url = origin + 'widget_page.html'

        out = chromium_run(chromium, os.path.join(work, 'profile'), url, '--dump-dom')
        if out.returncode != 0 or '<html' not in out.stdout:
            fail('chromium --dump-dom failed (%d): %s' % (out.returncode, out.stderr[-2000:]))
        with open(os.path.join(artifacts, 'widget-dom.html'), 'w', encoding='utf-8') as f:
            f.write(out.stdout)
        parsed = Widgets()
        parsed.feed(out.stdout)
        where = ' (DOM in %s/widget-dom.html)' % artifacts
        a, b = parsed.anchors.get(str(alpha)), parsed.anchors.get(str(beta))
        if not a or not b or str(empty) not in parsed.anchors or 'three' not in parsed.anchors:
            fail('an anchor is missing from the DOM' + where)

        # the seed's anchor: exactly the published listings of its company
        if a['state'] != 'ready':
            fail('#homeq-anchor is %r, not ready%s' % (a['state'], where))
        if sorted(a['cards']) != sorted(alpha_ads):
            fail('cards for listings %s; company %d has published %s (draft and paused: %s; company %d has %s)'
                 % (sorted(a['cards']), alpha, sorted(alpha_ads), alpha_hidden, beta, beta_ads))
        if set(a['cards']) & (set(beta_ads) | set(alpha_hidden)):
            fail('another company\'s or an unpublished listing is shown: %s' % a['cards'])
        if a['titles'] != len(alpha_ads) or a['links']:
            fail('%d titles and links %s for %d cards' % (a['titles'], a['links'], len(alpha_ads)))
        if len(a['images']) != 1 or not a['images'][0].startswith(rentd.base + '/media/apartment_images/') \
                or a['srcsets'][0] is not None:
            fail('one card has its original picture, as its thumbnails are not made; the images are %s, srcset %s'
                 % (a['images'], a['srcsets']))

        # rentd's anchor with an explicit server and links: the other company's, and only those
        if b['state'] != 'ready' or sorted(b['cards']) != sorted(beta_ads):
            fail('#rentd-anchor is %r with cards %s, not %s%s' % (b['state'], b['cards'], beta_ads, where))
        links = sorted('https://landlord.example/bostad/%d?company=%d' % (ad, beta) for ad in beta_ads)
        if sorted(b['links']) != links:
            fail('links %s, not %s' % (sorted(b['links']), links))

        if parsed.anchors[str(empty)]['state'] != 'empty' or parsed.anchors[str(empty)]['cards']:
            fail('the company without listings is %r' % parsed.anchors[str(empty)])
        if parsed.anchors['three']['state'] != 'error':
            fail('a company that is not an id is %r, not an error' % parsed.anchors['three']['state'])
        shown = a['cards']

        shot = os.path.join(artifacts, 'widget-screenshot.png')
        if os.path.exists(shot):
            os.unlink(shot)
        out = chromium_run(chromium, os.path.join(work, 'profile'), url, '--screenshot=' + shot,
                           '--hide-scrollbars')
        if out.returncode != 0 or not os.path.exists(shot) or os.path.getsize(shot) < 1000:
            fail('chromium --screenshot failed (%d): %s' % (out.returncode, out.stderr[-2000:]))
        print('widget: %d cards of company %d shown, none of company %d; screenshot %s'
              % (len(shown), alpha, beta, shot), flush=True)
        rentd.stop()
        paging_case(binary, chromium, artifacts, work)
        print('2 passed, 0 failed', flush=True)
    finally:
        if static:
            static.shutdown()
        rentd.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
