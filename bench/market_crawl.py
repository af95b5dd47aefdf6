#!/usr/bin/env python3
"""market_crawl.py — a market client's whole crawl of GET /v2/market/objects, timed.

    bench/market_crawl.py http://127.0.0.1:8080 [limit ...]

Pages with offset += limit until offset >= count, as the public clients do (momentum.md
Part C), checks that count never changes and that every object comes exactly once, and
prints per limit the pages, objects, seconds and the slowest page. One connection, one
request at a time: the time a client waits, not the server's throughput. Run each limit
twice to see the first crawl (pages rendered, deep pages found from kept cursors) and the
second (pages kept).
"""
import http.client
import json
import sys
import time
import urllib.parse


def crawl(base, limit):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    offset, count, seen, pages, slowest = 0, None, set(), 0, 0.0
    t0 = time.monotonic()
    while count is None or offset < count:
        t = time.monotonic()
        conn.request("GET", f"/v2/market/objects?offset={offset}&limit={limit}")
        r = conn.getresponse()
        body = r.read()
        slowest = max(slowest, time.monotonic() - t)
        if r.status != 200:
            sys.exit(f"offset {offset}: HTTP {r.status}: {body[:200]!r}")
        page = json.loads(body)
        if count is None:
            count = page["count"]
        elif page["count"] != count:
            sys.exit(f"count changed from {count} to {page['count']} at offset {offset}")
        for item in page["items"]:
            if item["id"] in seen:
                sys.exit(f"{item['id']} twice")
            seen.add(item["id"])
        pages += 1
        offset += limit
    if len(seen) != count:
        sys.exit(f"{len(seen)} objects for count {count}")
    return pages, count, time.monotonic() - t0, slowest


def main():
    base = sys.argv[1]
    for limit in [int(x) for x in sys.argv[2:]] or [500, 50]:
        for run in ("first", "second"):
            pages, count, secs, slowest = crawl(base, limit)
            print(f"limit {limit} ({run} crawl): {pages} pages, {count} objects, {secs:.2f} s,"
                  f" {secs / pages * 1000:.2f} ms a page, slowest {slowest * 1000:.1f} ms")


main()
