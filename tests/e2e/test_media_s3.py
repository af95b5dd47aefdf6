#!/usr/bin/env python3
"""rentd serve --media-store s3 against a real S3-compatible server (run under tests/s3/s3_server.py,
which starts s3rver with Signature Version 4 checked and sets RENTD_TEST_S3_*), on a SQLite file or,
under tests/pg/pg_cluster.py as well, on PostgreSQL 15 (tests/e2e/e2e_server.py's Database).

1. the start-up check: a wrong secret, a missing bucket, an endpoint where nothing listens and
   a missing --media-s3-bucket each stop `rentd serve` with a clear message (never the secret);
2. a landlord uploads an apartment picture through the landlord API (file reference, signed PUT,
   the apartment's pictures): the original lands in the bucket under --media-s3-prefix, not on
   local disk; its six thumbnails appear in the bucket; GET /media/… serves the bytes (whole,
   a range, 304 for its ETag) and the thumbnails;
3. a second rentd on the same database with a --media-dir of its own serves the first one's
   upload, and the first serves the second one's; both list both pictures; a video uploaded
   through one is compressed by a job (ffmpeg between two temporary files) and served;
4. the picture deleted through the API is gone from the apartment (its bytes stay: stored files
   are content-addressed and may be shared, on local disk alike);
5. the store going away while rentd runs (a TCP relay in front of s3rver, closed): GET /media/…
   is answered 503, and again 200 when it is back;
6. no log line names the secret.

usage: test_media_s3.py RENTD_BINARY SOURCE_ROOT
"""
import base64
import hashlib
import http.client
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

from e2e_server import Database, Server, check, failures, stop_all

RENTD, ROOT = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
ENDPOINT = os.environ.get("RENTD_TEST_S3_ENDPOINT")
BUCKET = os.environ.get("RENTD_TEST_S3_BUCKET")
ACCESS_KEY = os.environ.get("RENTD_TEST_S3_ACCESS_KEY")
SECRET_KEY = os.environ.get("RENTD_TEST_S3_SECRET_KEY")
DATA = os.environ.get("RENTD_TEST_S3_DATA")
PREFIX = "site-1"
WIDTHS = (320, 460, 840, 1440, 1920, 2880)


def png(width, height, seed):
    """An RGB PNG (a gradient that differs per seed), with the standard library only."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x + seed * 37) % 256, (y * 2 + seed) % 256, (x ^ y ^ seed) % 256))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b""))


def in_bucket(key):
    """The bytes of object PREFIX/key as s3rver stored them, or None."""
    path = os.path.join(DATA, BUCKET, PREFIX, key + "._S3rver_object")
    return open(path, "rb").read() if os.path.exists(path) else None


def raw(server, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def wait_for(cond, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return cond()


def s3_args(media_dir, endpoint=ENDPOINT, bucket=BUCKET):
    return ["--media-store", "s3", "--media-s3-endpoint", endpoint, "--media-s3-bucket", bucket,
            "--media-s3-prefix", PREFIX, "--media-dir", media_dir, "--log-level", "info"]


def upload_picture(server, token, apartment, data, entity="apartment_image", mime="image/png", kind="pictures"):
    """A file reference, the signed PUT, the apartment's picture (or video): (its id, /media/… path)."""
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    st, ref = server.call("POST", "/api/v1/file_reference/", {
        "entity_type": entity, "mime_type": mime, "content_length": len(data),
        "content_md5": md5}, token)
    check(st == 201, "file reference created (%d %s)" % (st, ref))
    url = ref["signed_url"]
    st, _, body = raw(server, "PUT", url[url.index("/media/upload/"):], data,
                      {"Content-Type": mime, "Content-MD5": md5, "Content-Length": str(len(data))})
    check(st == 200, "upload accepted (%d %s)" % (st, body[:300]))
    import json
    path = json.loads(body)["url"]
    path = path[path.index("/media/"):]
    st, pic = server.call("POST", "/api/v4/apartment/%d/%s" % (apartment, kind), {"file_reference": ref["file_reference"]},
                          token)
    check(st == 201, "%s added to the apartment (%d %s)" % (kind, st, pic))
    return pic["id"], path


def refused_start(tmp, env, args, says, what):
    r = subprocess.run([RENTD, "serve", "--listen", "127.0.0.1:0", "--database", os.path.join(tmp, "refused.db")] + args,
                       env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    check(r.returncode != 0, what + ": rentd serve exits non-zero (%d)" % r.returncode)
    check(says in r.stderr, what + ": it says %r (%s)" % (says, r.stderr.strip()[-400:]))
    check(SECRET_KEY not in r.stdout + r.stderr, what + ": the secret is not printed")


class Relay:
    """A TCP relay from a free port of 127.0.0.1 to s3rver, which can be closed (store down) and
    opened again on the same port."""

    def __init__(self, target_port):
        self.target = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conns = []
        self.open()

    def open(self):
        if self.listener is None:
            self.listener = socket.socket()
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                a, _ = listener.accept()
            except OSError:
                return
            b = socket.create_connection(("127.0.0.1", self.target))
            self.conns += [a, b]
            for src, dst in ((a, b), (b, a)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone would not stop it)
        except OSError:
            pass
        self.listener.close()
        self.listener = None
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.conns = []


def main():
    if not ENDPOINT:
        print("RENTD_TEST_S3_ENDPOINT is not set: run this under tests/s3/s3_server.py", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # on PostgreSQL, the secret and the contract key go in var/ of the working directory
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RENTD_", "AWS_"))}
        env["RENTD_GEO_DIR"] = os.path.join(ROOT, "data/geo")
        env["AWS_ACCESS_KEY_ID"] = ACCESS_KEY
        env["AWS_SECRET_ACCESS_KEY"] = SECRET_KEY
        media_a, media_b, media_c = (os.path.join(tmp, d) for d in ("media-a", "media-b", "media-c"))

        # 1. the start-up check
        wrong = dict(env, AWS_SECRET_ACCESS_KEY="not-the-secret-0123456789")
        refused_start(tmp, wrong, s3_args(media_a), "refused access to the bucket " + BUCKET, "wrong secret")
        check("not-the-secret" not in subprocess.run(
            [RENTD, "serve", "--listen", "127.0.0.1:0", "--database", os.path.join(tmp, "refused.db")] + s3_args(media_a),
            env=wrong, capture_output=True, text=True, timeout=60).stderr, "wrong secret: not printed either")
        refused_start(tmp, env, s3_args(media_a, bucket="no-such-bucket"), "has no bucket no-such-bucket",
                      "missing bucket")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            dead = "http://127.0.0.1:%d" % s.getsockname()[1]
        refused_start(tmp, env, s3_args(media_a, endpoint=dead), "cannot reach the S3 endpoint", "endpoint down")
        refused_start(tmp, env, ["--media-store", "s3", "--media-s3-endpoint", ENDPOINT],
                      "--media-store s3 needs --media-s3-endpoint and --media-s3-bucket", "no bucket named")
        no_creds = {k: v for k, v in env.items() if not k.startswith("AWS_")}
        refused_start(tmp, no_creds, s3_args(media_a), "no S3 credentials", "no credentials")
        creds = os.path.join(tmp, "s3-credentials")
        with open(creds, "w") as f:
            f.write("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (ACCESS_KEY, SECRET_KEY))
        os.chmod(creds, 0o600)

        db = Database(os.path.join(tmp, "t.db"))
        r = subprocess.run([RENTD, "company", "create", "--name", "Acme", "--admin-username", "admin",
                            "--admin-password", "admin-password-1", "--database", db.arg],
                           env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        check(r.returncode == 0, "company create: " + r.stderr[-300:])

        # 2. one server: upload, thumbnails, serving
        log_a = open(os.path.join(tmp, "a.log"), "w")
        a = Server(RENTD, db.arg, env, s3_args(media_a), stdout=log_a, stderr=log_a)
        st, body = a.call("POST", "/api/v2/tokens/", {"username": "admin", "password": "admin-password-1"})
        check(st == 200, "landlord login")
        token = body["token"]
        st, est = a.call("POST", "/api/v4/estate", {"legal_name": "E", "city": "Stockholm"}, token)
        check(st in (200, 201), "estate (%d %s)" % (st, est))
        st, apt = a.call("POST", "/api/v4/apartment", {
            "estate": est["id"], "street_name": "Drottninggatan", "street_number": "3", "zip_code": "11151",
            "national_id": "1001", "latitude": 59.3293, "longitude": 18.0686, "area": 42.5, "floor": 1,
            "rent": 9000, "rooms": 1.5}, token)
        check(st == 201, "apartment (%d %s)" % (st, apt))
        apartment = apt["id"]

        first = png(900, 600, 1)
        pic1, path1 = upload_picture(a, token, apartment, first)
        sha1 = hashlib.sha256(first).hexdigest()
        check(path1 == "/media/apartment_images/%s.png" % sha1, "the URL names the bytes' SHA-256: " + path1)
        check(in_bucket("apartment_images/%s.png" % sha1) == first, "the original is in the bucket under the prefix")
        local = [os.path.join(d, f) for d, _, fs in os.walk(media_a) for f in fs]
        check(local == [], "nothing is left on local disk: %s" % local)
        thumbs = ["%d/apartment_images/%s.jpeg" % (w, sha1) for w in WIDTHS]
        check(wait_for(lambda: all(in_bucket(k) for k in thumbs), 60), "its six thumbnails appear in the bucket")
        check(all((in_bucket(k) or b"")[:2] == b"\xff\xd8" for k in thumbs), "they are JPEGs")

        st, headers, body = raw(a, "GET", path1)
        check(st == 200 and body == first, "GET %s serves the bytes (%d, %d bytes)" % (path1, st, len(body)))
        check(headers.get("content-type") == "image/png", "as image/png")
        etag = headers.get("etag")
        st, headers, body = raw(a, "GET", path1, headers={"Range": "bytes=100-199"})
        check(st == 206 and body == first[100:200], "a range of it (%d)" % st)
        st, _, _ = raw(a, "GET", path1, headers={"If-None-Match": etag})
        check(st == 304, "304 for its ETag (%d)" % st)
        st, headers, body = raw(a, "GET", "/media/320/apartment_images/%s.jpeg" % sha1)
        check(st == 200 and body == in_bucket(thumbs[0]), "GET /media/320/… serves the thumbnail from the bucket")
        st, _, _ = raw(a, "GET", "/media/apartment_images/%s.png" % ("0" * 64))
        check(st == 404, "a key that is not in the bucket: 404 (%d)" % st)

        # 3. a second rentd on the same database and bucket, its temporary files elsewhere; the
        # credentials from a file this time
        log_b = open(os.path.join(tmp, "b.log"), "w")
        env_b = dict(no_creds, RENTD_MEDIA_S3_CREDENTIALS_FILE=creds)
        b = Server(RENTD, db.arg, env_b, s3_args(media_b), stdout=log_b, stderr=log_b)
        st, _, body = raw(b, "GET", path1)
        check(st == 200 and body == first, "the second rentd serves the first one's upload (%d)" % st)
        second = png(700, 400, 2)
        pic2, path2 = upload_picture(b, token, apartment, second)
        sha2 = hashlib.sha256(second).hexdigest()
        st, _, body = raw(a, "GET", path2)
        check(st == 200 and body == second, "the first rentd serves the second one's upload (%d)" % st)
        check(wait_for(lambda: all(in_bucket("%d/apartment_images/%s.jpeg" % (w, sha2)) for w in WIDTHS), 60),
              "the second picture's thumbnails appear in the bucket")
        st, _, body = raw(a, "GET", "/media/840/apartment_images/%s.jpeg" % sha2)
        check(st == 200 and body[:2] == b"\xff\xd8", "the first rentd serves the second one's thumbnail (%d)" % st)
        for server, name in ((a, "first"), (b, "second")):
            st, pics = server.call("GET", "/api/v4/apartment/%d/pictures" % apartment, None, token)
            ids = sorted(p["id"] for p in (pics.get("results", pics) if isinstance(pics, dict) else pics))
            check(st == 200 and ids == sorted([pic1, pic2]), "the %s rentd lists both pictures (%s)" % (name, ids))

        # a video: the compression job GETs it from the bucket into a temporary file, ffmpeg writes
        # its output in <media-dir>/tmp, and that is PUT to the bucket and removed
        clip = os.path.join(tmp, "clip.mp4")
        r = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc=duration=1:size=320x180:rate=25", "-c:v", "mpeg4", clip], capture_output=True)
        check(r.returncode == 0, "ffmpeg made a clip (it is a dependency of rentd)")
        video = open(clip, "rb").read()
        _, vpath = upload_picture(a, token, apartment, video, "apartment_video", "video/mp4", "videos")
        check(in_bucket(vpath[len("/media/"):]) == video, "the video is in the bucket")
        def compressed():
            st, vids = b.call("GET", "/api/v4/apartment/%d/videos" % apartment, None, token)
            items = vids.get("results", vids) if isinstance(vids, dict) else vids
            url = items[0]["url"] if st == 200 and items else ""
            return url[url.index("/media/"):] if "/media/" in url and not url.endswith(vpath) else None
        check(wait_for(lambda: compressed() is not None, 120), "the video was compressed by a job")
        cpath = compressed() or "/media/none"
        st, _, body = raw(b, "GET", cpath)
        check(st == 200 and body and body == in_bucket(cpath[len("/media/"):]),
              "the compressed video is served from the bucket (%d, %d bytes)" % (st, len(body)))
        left = [os.path.join(d, f) for m in (media_a, media_b) for d, _, fs in os.walk(m) for f in fs]
        check(left == [], "no temporary file is left behind: %s" % left)

        # 4. delete
        st, _ = b.call("DELETE", "/api/v4/apartment/%d/pictures/%d" % (apartment, pic1), None, token)
        check(st in (200, 204), "the first picture deleted through the second rentd (%d)" % st)
        st, pics = a.call("GET", "/api/v4/apartment/%d/pictures" % apartment, None, token)
        ids = [p["id"] for p in (pics.get("results", pics) if isinstance(pics, dict) else pics)]
        check(ids == [pic2], "the first rentd no longer lists it (%s)" % ids)
        check(in_bucket("apartment_images/%s.png" % sha1) == first,
              "its stored bytes stay (content-addressed, as on local disk)")

        # 5. the store going away under a running rentd
        relay = Relay(int(ENDPOINT.rsplit(":", 1)[1]))
        log_c = open(os.path.join(tmp, "c.log"), "w")
        c = Server(RENTD, db.arg, env, s3_args(media_c, endpoint="http://127.0.0.1:%d" % relay.port), stdout=log_c,
                   stderr=log_c)
        st, _, body = raw(c, "GET", path2)
        check(st == 200 and body == second, "through the relay: 200 (%d)" % st)
        relay.close()
        st, headers, body = raw(c, "GET", path2)
        check(st == 503, "the store down: GET /media/… is answered 503 (%d %s)" % (st, body[:200]))
        relay.open()
        st, _, body = raw(c, "GET", path2)
        check(st == 200 and body == second, "the store back: 200 again (%d)" % st)
        relay.close()

        stop_all()
        for log, name in ((log_a, "a"), (log_b, "b"), (log_c, "c")):
            log.close()
            text = open(os.path.join(tmp, name + ".log")).read()
            check(SECRET_KEY not in text, "rentd %s's log never names the secret" % name)
        check("media: S3 bucket %s at %s, keys under %s" % (BUCKET, ENDPOINT, PREFIX) in
              open(os.path.join(tmp, "a.log")).read(), "the start is logged with the bucket and prefix")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a broken step is a failure too, with the servers stopped
        import traceback
        traceback.print_exc()
        failures.append("exception: %s" % e)
    finally:
        stop_all()
    print("%d failed" % len(failures) if failures else "all passed")
    sys.exit(1 if failures else 0)
