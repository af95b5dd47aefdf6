#!/usr/bin/env python3
"""First paint of the portal's search page over a big database (docs/PORTAL.md "Size and speed").

Usage: tests/browser/portal_first_paint.py RENTD_BIN DATABASE [RUNS]

Serves a *copy* of DATABASE (e.g. one made by `rentd seed --listings 100000`; the original is
never opened for writing) and loads the portal's search page in headless Chromium as a first
visit (cache disabled, after /healthz of the same origin so that the fresh browser's start of
a renderer process for the site is not counted), RUNS times (default 5). Prints, per run and as the median: the first contentful paint
(Chromium's performance timeline: the shell), and when the first page of results was on screen
(the count shown), both in milliseconds from navigation start, and when the page and its
styles had arrived (the resource timeline). The timeline is the browser's
own clock, so a busy machine makes the figures worse, never better. Not a test: run it by hand.
"""
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402
from test_widget import Rentd, find_chromium  # noqa: E402


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    chromium = find_chromium()
    if not chromium:
        sys.exit('no chromium')
    with tempfile.TemporaryDirectory() as work:
        rentd = Rentd(binary, work)
        shutil.copyfile(source, rentd.db)
        rentd.start()
        fcps, results, docs, styles = [], [], [], []
        try:
            count = rentd.call('GET', '/v2/market/objects?limit=0')['count']
            with cdp.Browser(chromium, os.path.join(work, 'profile'), 1024, 720) as b:
                for _ in range(runs):
                    b.navigate(rentd.base + '/healthz')
                    b.wait_for('document.readyState === "complete"', 10)
                    b.send('Network.setCacheDisabled', {'cacheDisabled': True})
                    b.navigate(rentd.base + '/')
                    b.wait_for('!!document.querySelector(".card")', 60)
                    fcps.append(b.evaluate('(performance.getEntriesByName("first-contentful-paint")[0]||{}).startTime||0'))
                    results.append(b.evaluate('(performance.getEntriesByName("results")[0]||{}).startTime||0'))
                    docs.append(b.evaluate('performance.getEntriesByType("navigation")[0].responseEnd'))
                    styles.append(b.evaluate('(performance.getEntriesByType("resource").find(e => e.name.endsWith("portal.css"))||{}).responseEnd||0'))
                    time.sleep(0.3)
        finally:
            rentd.stop()
    print(json.dumps({'listings': count, 'runs': runs, 'first_contentful_paint_ms': [round(x) for x in fcps],
                      'results_shown_ms': [round(x) for x in results],
                      'page_received_ms': [round(x) for x in docs], 'styles_received_ms': [round(x) for x in styles],
                      'median_first_contentful_paint_ms': round(statistics.median(fcps)),
                      'median_results_shown_ms': round(statistics.median(results))}))


if __name__ == '__main__':
    main()
