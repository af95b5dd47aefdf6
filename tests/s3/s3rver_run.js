'use strict';
/*
 * s3rver for the S3 store's tests (tests/s3/s3_server.py starts it):
 *   node s3rver_run.js PACKAGE_DIR DATA_DIR BUCKET...
 * PACKAGE_DIR holds node_modules/s3rver (installed from this folder's package-lock.json).
 *
 * s3rver 3.7 accepts any well-formed Signature Version 4 header without computing it (its
 * authentication middleware says so), and knows one hard-coded key pair. So this launcher
 * replaces that pair with S3RVER_ACCESS_KEY / S3RVER_SECRET_KEY from the environment and
 * puts in front of s3rver a check of its own that recomputes every request's signature as
 * AWS documents it (the canonical request, the string to sign, the derived key): a wrong
 * secret, an unsigned request, a signature over other headers or another region is refused
 * with 403 as S3 refuses it. rentd signs with libcurl's CURLOPT_AWS_SIGV4; this is a second,
 * independent implementation to check it against.
 *
 * A key whose last segment starts with "unavailable-" is answered 503 SlowDown (a 5xx to test).
 * Virtual-host style requests go to BUCKET.s3.localhost:PORT (path style to s3.localhost is refused).
 * Prints "listening PORT" on stdout once it accepts connections (port 0: a free one).
 */
const crypto = require('crypto');
const path = require('path');

const [pkgDir, dataDir, ...buckets] = process.argv.slice(2);
const mod = path.join(pkgDir, 'node_modules', 's3rver');
const S3rver = require(mod);
const AWSAccount = require(path.join(mod, 'lib', 'models', 'account'));
const S3Error = require(path.join(mod, 'lib', 'models', 'error'));

const accessKey = process.env.S3RVER_ACCESS_KEY;
const secretKey = process.env.S3RVER_SECRET_KEY;
const region = process.env.S3RVER_REGION || 'us-east-1';
if (!accessKey || !secretKey || !dataDir || buckets.length === 0) {
  process.stderr.write('usage: S3RVER_ACCESS_KEY=… S3RVER_SECRET_KEY=… node s3rver_run.js PKG DATA BUCKET...\n');
  process.exit(2);
}
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

const sha256 = s => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key, s) => crypto.createHmac('sha256', key).update(s).digest();

/* RFC 3986 unreserved characters stay, everything else %XX (upper case), as SigV4 wants. */
function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function canonicalQuery(raw) {
  if (!raw)
    return '';
  return raw
    .split('&')
    .filter(p => p.length)
    .map(p => {
      const eq = p.indexOf('=');
      const k = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
      const v = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1).replace(/\+/g, ' '));
      return [uriEncode(k), uriEncode(v)];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => k + '=' + v)
    .join('&');
}

async function verifySigV4(ctx, next) {
  const auth = ctx.get('authorization');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/, ]+)\/(\d{8})\/([^/, ]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m)
    throw new S3Error('AccessDenied', 'Access Denied (this test server wants a Signature Version 4 Authorization header)');
  const [, akid, day, scopeRegion, signedHeaders, signature] = m;
  const secret = AWSAccount.DUMMY_ACCOUNT.accessKeys.get(akid);
  if (!secret || akid !== accessKey)
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: akid });
  if (scopeRegion !== region)
    throw new S3Error('AuthorizationHeaderMalformed', `the region '${scopeRegion}' is wrong; expecting '${region}'`);
  const amzDate = ctx.get('x-amz-date');
  const t = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate);
  if (!t || !amzDate.startsWith(day))
    throw new S3Error('AccessDenied', 'X-Amz-Date is missing or does not match the credential scope');
  const when = Date.UTC(+t[1], +t[2] - 1, +t[3], +t[4], +t[5], +t[6]);
  if (Math.abs(Date.now() - when) > 15 * 60 * 1000)
    throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const payload = ctx.get('x-amz-content-sha256');
  if (!/^([0-9a-f]{64}|UNSIGNED-PAYLOAD)$/.test(payload))
    throw new S3Error('InvalidRequest', 'Missing or malformed x-amz-content-sha256');
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256'))
    throw new S3Error('AccessDenied', 'host, x-amz-date and x-amz-content-sha256 must be signed');

  const url = ctx.req.url;
  const q = url.indexOf('?');
  const canonicalRequest = [
    ctx.method,
    q < 0 ? url : url.slice(0, q), /* S3: the path as sent, not encoded twice */
    canonicalQuery(q < 0 ? '' : url.slice(q + 1)),
    names.map(h => h + ':' + String(ctx.req.headers[h] || '').trim().replace(/\s+/g, ' ')).join('\n') + '\n',
    signedHeaders,
    payload,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${scopeRegion}/s3/aws4_request`, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secret, day), scopeRegion), 's3'), 'aws4_request');
  const expected = hmac(key, stringToSign);
  if (!crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    throw new S3Error('SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { AWSAccessKeyId: akid, CanonicalRequest: canonicalRequest });

  /* s3.localhost itself is for virtual-host style only, so that a test of that style sees a path-style request fail */
  if (ctx.hostname === 's3.localhost')
    throw new S3Error('InvalidRequest', 'this test server takes only BUCKET.s3.localhost, not s3.localhost/BUCKET');
  const last = (q < 0 ? url : url.slice(0, q)).split('/').pop();
  if (last.startsWith('unavailable-'))
    throw new S3Error('SlowDown', 'Please reduce your request rate.');
  return next();
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.S3RVER_PORT || 0),
  directory: dataDir,
  silent: !process.env.S3RVER_VERBOSE,
  /* virtual-host style: BUCKET.s3.localhost (curl resolves *.localhost to the loopback itself) */
  serviceEndpoint: 'localhost',
  configureBuckets: buckets.map(name => ({ name })),
});
/* before s3rver's own middleware: koa composes the list when the server starts listening */
server.middleware.unshift(verifySigV4);
server.run((err, addr) => {
  if (err) {
    process.stderr.write(`s3rver: ${err.stack || err}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening ${addr.port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT'])
  process.on(sig, () => server.close(() => process.exit(0)));
