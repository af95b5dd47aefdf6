#!/usr/bin/env python3
"""Checks every answer the API suites received against docs/openapi/ (issue 19).

    tests/openapi/validate_responses.py [--docs DIR] [--verbose] RECORD_DIR...

RECORD_DIR holds the *.jsonl files that tests/api/harness.c writes when RENTD_TEST_RECORD_DIR
is set: one JSON line per exchange (method, path, query, request content type, status,
response content type, and the response body when it is JSON, else its length). The Makefile's
test-unit sets it for `meson test` and runs this script afterwards.

For each exchange the operation is found as the server's router finds a route: the request
path (one trailing slash optional) against every document's paths under each of its servers'
URLs (the market's /{env}/{tenant}/PmApi/v2 in any case, decision M-33), literal segments
before integer parameters before string ones, HEAD answered by GET. Then:
  - a path that is no operation's is a mismatch, unless the answer is the 404 (unknown path) or
    405 (known path, other method) that no operation can document; that body must still be the
    Error schema of the document the path belongs to (the one sharing its longest prefix). Also
    let through: a CORS preflight (OPTIONS answered 204 without a body, before routing), and
    the exchanges of a harness with routes of the test's own (tests/api/test_errors.c);
  - the status must be documented by the operation (exactly, as 2XX, or by `default`), except
    under an allocation failure the test injected (tests/api/test_alloc_fault.c): then the
    body need only be the document's Error;
  - a body must come with a documented media type of that status (wildcards such as image/*
    count), a documented body must come (except for HEAD), and a JSON body must validate
    against the media type's schema: JSON Schema Draft 2020-12 with the whole document as the
    root that `$ref`s resolve in, formats checked (jsonschema's own checkers, and small ones here
    for date-time and uri when the installed jsonschema has none), every object schema closed
    for the check (Document.closed): a property the document does not describe is a mismatch.
Every mismatch is printed once with its count, the first exchange that showed it (method,
path, status, test) and where in the document the failing schema is; then a summary:
exchanges, operations covered per document, operations never exercised (listed, not failed).
Exit status 1 on any mismatch or when nothing was recorded, 2 on bad usage.

Uses only the standard library and jsonschema (Debian's python3-jsonschema 4.10 or later).
"""
import argparse
import collections
import datetime
import glob
import json
import os
import re
import sys
import urllib.parse

try:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import best_match
except ImportError:  # pragma: no cover - the message is the point
    sys.exit('validate_responses: needs the jsonschema module (Debian: python3-jsonschema; '
             'scripts/install-deps.sh test installs it)')

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace')
INLINED = 'x-validate-responses-copy-of'  # marks a copy Document.closed() made of a $ref's target
CLOSED = 'x-validate-responses-closed'  # marks a schema Document.closed() closed

# --- formats -----------------------------------------------------------------------------------

_DATE_TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$')
# RFC 3986: a scheme, a colon, then only characters a URI may hold (reserved, unreserved, %)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _is_date_time(value):
    """RFC 3339 section 5.6 date-time."""
    if not isinstance(value, str):
        return True
    m = _DATE_TIME.match(value)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    try:
        datetime.datetime(y, mo, d, h, mi, min(s, 59))  # a leap second is 60
    except ValueError:
        return False
    if s > 60 or (m.group(9) and (int(m.group(9)) > 23 or int(m.group(10)) > 59)):
        return False
    return True


def _is_uri(value):
    return not isinstance(value, str) or bool(_URI.match(value))


def format_checker():
    """jsonschema's checkers, with date-time and uri added where it has none (it needs the
    optional rfc3339-validator / rfc3987 modules for them). Returns (checker, {format: who})."""
    checker = getattr(Draft202012Validator, 'FORMAT_CHECKER', None)
    checker = FormatChecker(checker.checkers.keys()) if checker else FormatChecker()
    who = {name: 'jsonschema' for name in checker.checkers}
    for name, func in (('date-time', _is_date_time), ('uri', _is_uri)):
        if name not in checker.checkers:
            checker.checks(name)(func)
            who[name] = 'this script'
    return checker, who


# --- documents ---------------------------------------------------------------------------------

def escape(part):
    """A JSON pointer token, percent-encoded for a URI fragment ({, }, spaces of media types)."""
    return urllib.parse.quote(str(part).replace('~', '~0').replace('/', '~1'), safe='~')


def pointer(*parts):
    return '#/' + '/'.join(escape(p) for p in parts)


def resolve(doc, ref):
    node = doc
    for part in ref[2:].split('/') if ref != '#' else []:
        part = urllib.parse.unquote(part).replace('~1', '/').replace('~0', '~')
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(doc, obj):
    """A Reference Object's target (components.responses, parameters, …), followed to the end."""
    seen = 0
    while isinstance(obj, dict) and '$ref' in obj and seen < 20:
        obj = resolve(doc, obj['$ref'])
        seen += 1
    return obj


class Operation:
    def __init__(self, doc, method, path, op, path_item):
        self.doc = doc
        self.method = method
        self.path = path
        self.op = op
        self.id = op.get('operationId', f'{method.upper()} {path}')
        params = {}
        for p in path_item.get('parameters', []) + op.get('parameters', []):
            p = deref(doc.json, p)
            if p.get('in') == 'path':
                params[p['name']] = deref(doc.json, p.get('schema', {}))
        # per template segment: (kind, literal) with kind 0 literal, 1 integer, 2 string (router.c)
        self.segments = []
        for seg in path.strip('/').split('/') if path.strip('/') else []:
            if seg.startswith('{') and seg.endswith('}'):
                t = params.get(seg[1:-1], {}).get('type')
                self.segments.append((1 if t == 'integer' or (isinstance(t, list) and 'integer' in t) else 2, None))
            else:
                self.segments.append((0, seg))


class Document:
    def __init__(self, path):
        self.file = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            self.json = json.load(f)
        self.operations = []
        for p, item in self.json.get('paths', {}).items():
            for m in METHODS:
                if m in item:
                    self.operations.append(Operation(self, m, p, item[m], item))
        # server URLs as path prefixes: (regex, templated)
        self.prefixes = []
        for s in self.json.get('servers', [{'url': '/'}]):
            url = re.sub(r'^[a-z][a-z0-9+.-]*://[^/]*', '', s['url']).rstrip('/')
            templated = '{' in url
            rx = ''.join('[^/]+' if part.startswith('{') else re.escape(part)
                         for part in re.split(r'(\{[^}]*\})', url) if part)
            self.prefixes.append((re.compile('^' + rx + '(?=/)', re.I if templated else 0), templated))
        self.validators = {}

    def validator(self, ref, checker):
        """A Draft 2020-12 validator for the schema at ref with the closed copy of this document
        (closed()) as its root."""
        if ref not in self.validators:
            root = dict(self.closed())
            root['$ref'] = ref
            self.validators[ref] = Draft202012Validator(root, format_checker=checker)
        return self.validators[ref]

    def closed(self):
        """A copy of the document in which every object schema that lists properties is closed,
        so a property the server sends and the document does not describe is a mismatch
        (docs/openapi's convention: every property the server sends). The documents themselves
        leave responses open, for clients. Closed means `additionalProperties: false` where the
        schema composes nothing (the same, and far cheaper for jsonschema 4.10 to check), else
        `unevaluatedProperties: false`; either is marked CLOSED.

        Left open: schemas that say additionalProperties, patternProperties or
        unevaluatedProperties themselves, and the branches of an allOf (or of an anyOf/oneOf
        beside properties of its own), which describe a part of the object only: the node that
        composes them is closed instead, and unevaluatedProperties counts what its successful
        branches evaluated. Such a branch that is a $ref is replaced by a copy of its target
        (marked INLINED with where it came from), so the target stays closed where it is used
        on its own."""
        if hasattr(self, '_closed'):
            return self._closed
        doc = json.loads(json.dumps(self.json))

        def schemas():
            """(location, schema) of every schema object of the document."""
            found = []

            def schema(node, loc):
                if not isinstance(node, dict):
                    return
                found.append((loc, node))
                for k in ('properties', 'patternProperties', '$defs', 'dependentSchemas'):
                    for name, sub in (node.get(k) or {}).items():
                        schema(sub, f'{loc}/{k}/{escape(name)}')
                for k in ('allOf', 'anyOf', 'oneOf', 'prefixItems'):
                    for i, sub in enumerate(node.get(k) or []):
                        schema(sub, f'{loc}/{k}/{i}')
                for k in ('items', 'additionalProperties', 'unevaluatedProperties', 'not', 'if', 'then',
                          'else', 'contains', 'propertyNames', 'unevaluatedItems'):
                    schema(node.get(k), f'{loc}/{k}')

            def outside(node, loc):
                """The parts of the document that are not schemas, down to their `schema`s."""
                if isinstance(node, dict):
                    for k, v in node.items():
                        if k == 'schema':
                            schema(v, f'{loc}/schema')
                        elif k == 'schemas' and loc == '#/components':
                            for name, sub in v.items():
                                schema(sub, f'{loc}/schemas/{escape(name)}')
                        elif k not in ('example', 'examples'):
                            outside(v, f'{loc}/{escape(k)}')
                elif isinstance(node, list):
                    for i, v in enumerate(node):
                        outside(v, f'{loc}/{i}')
            outside(doc, '#')
            return found

        def partial_branches(node):
            if 'allOf' in node:
                yield from node['allOf']
            if 'properties' in node:
                yield from node.get('anyOf', [])
                yield from node.get('oneOf', [])

        for _ in range(10):  # inline $ref branches until none is left (nested allOf in a target)
            changed = False
            for _, node in schemas():
                for branch in partial_branches(node):
                    if '$ref' in branch and INLINED not in branch:
                        ref = branch.pop('$ref')
                        target = json.loads(json.dumps(resolve(self.json, ref)))
                        for k, v in target.items():
                            branch.setdefault(k, v)
                        branch[INLINED] = ref
                        changed = True
            if not changed:
                break
        open_ = {id(b) for _, node in schemas() for b in partial_branches(node)}
        for _, node in schemas():
            if id(node) in open_ or any(k in node for k in ('additionalProperties', 'patternProperties',
                                                            'unevaluatedProperties')):
                continue
            if not any(k in node for k in ('properties', 'allOf', 'anyOf', 'oneOf')):
                continue
            if any(k in node for k in ('allOf', 'anyOf', 'oneOf', '$ref', 'if', 'dependentSchemas')):
                node['unevaluatedProperties'] = False
                node[CLOSED] = True
            elif 'properties' in node:
                node['additionalProperties'] = False
                node[CLOSED] = True
        self._closed = doc
        return doc

    def locations(self):
        """id() of every object of the closed document → its JSON pointer (as a URI fragment)."""
        if not hasattr(self, '_locations'):
            self._locations = {}
            pending = [(self.closed(), '#')]
            while pending:
                node, loc = pending.pop()
                if isinstance(node, dict):
                    loc = node.get(INLINED, loc)  # a copy closed() made: where it came from
                    self._locations[id(node)] = loc
                    pending.extend((v, f'{loc}/{escape(k)}') for k, v in node.items())
                elif isinstance(node, list):
                    pending.extend((v, f'{loc}/{i}') for i, v in enumerate(node))
        return self._locations

    def literal_prefix(self, segs):
        """How many leading segments of a request path some operation's path has literally."""
        best = 0
        for op in self.operations:
            n = 0
            for (kind, lit), seg in zip(op.segments, segs):
                if kind != 0 or lit != seg:
                    break
                n += 1
            best = max(best, n)
        return best


def split_path(path):
    """Request path → segments as the router splits them, or None when none can match."""
    if len(path) > 1 and path.endswith('/'):
        path = path[:-1]  # one optional trailing slash
        if path.endswith('/'):
            return None
    if not path.startswith('/'):
        return None
    if path == '/':
        return []
    segs = path[1:].split('/')
    return None if '' in segs else segs


def seg_matches(kind, lit, seg, fold):
    if kind == 0:
        return lit.lower() == seg.lower() if fold else lit == seg
    if kind == 1:
        return seg.isascii() and seg.isdigit() and int(seg) > 0 and int(seg) < 2 ** 63
    return True


def find_operation(docs, method, path):
    """(operation, None, path) or (None, 'not found' | 'method not allowed', path), path being
    the request path as routed (a deployment prefix taken off)."""
    method = 'get' if method.lower() == 'head' else method.lower()
    views = []  # (documents, path remainder, fold the first literal segment's case)
    for doc in docs:
        for rx, templated in doc.prefixes:
            if templated:
                m = rx.match(path)
                if m:
                    # decision M-33: the deployed prefix /{Env}/{Tenant}/PmApi/v2 in any case
                    views.append(([doc], path[m.end():], True))
    if not views:  # a deployed prefix is rewritten before routing, as the server does
        views.append((docs, path, False))
    best, best_rank, other = None, None, False
    routed = views[0][1]
    for vdocs, rest, fold in views:
        segs = split_path(rest)
        if segs is None:
            continue
        for doc in vdocs:
            for op in doc.operations:
                if len(op.segments) != len(segs):
                    continue
                if not all(seg_matches(k, lit, s, fold and i == 0)
                           for i, ((k, lit), s) in enumerate(zip(op.segments, segs))):
                    continue
                if op.method != method:
                    other = True
                    continue
                rank = tuple(k for k, _ in op.segments)
                if best_rank is None or rank < best_rank:
                    best, best_rank = op, rank
    if best:
        return best, None, routed
    return None, 'method not allowed' if other else 'not found', routed


def home_document(docs, path):
    """The document an unrouted path belongs to: the longest literal prefix, ties to the first."""
    segs = [s for s in path.split('/') if s]
    best, n = docs[0], -1
    for doc in docs:
        k = doc.literal_prefix(segs)
        if k > n:
            best, n = doc, k
    return best


def response_for(op, status):
    """The documented Response Object of a status and its location (where a $ref led)."""
    responses = op.op.get('responses', {})
    for key in (str(status), f'{str(status)[0]}XX', f'{str(status)[0]}xx', 'default'):
        if key in responses:
            loc, resp = pointer('paths', op.path, op.method, 'responses', key), responses[key]
            while isinstance(resp, dict) and '$ref' in resp:
                loc = resp['$ref']
                resp = resolve(op.doc.json, loc)
            return loc, resp
    return None, None


def essence(media_type):
    return media_type.split(';', 1)[0].strip().lower() if media_type else ''


def media_for(content, content_type):
    """The documented media type key matching a response's Content-Type, most specific first."""
    want = essence(content_type)
    if '/' not in want:
        return None
    typ = want.split('/', 1)[0]
    keys = {essence(k): k for k in content}
    for candidate in (want, typ + '/*', '*/*'):
        if candidate in keys:
            return keys[candidate]
    return None


# --- checking ----------------------------------------------------------------------------------

def schema_location(doc, err, fallback):
    """The document location of a failing keyword: the pointer of the schema object that holds
    it (found by identity: the validator works on the document's own objects), then the keyword.
    (jsonschema's schema paths do not say where a $ref led, and differ between its versions.)"""
    loc = doc.locations().get(id(err.schema))
    if loc and closed_by_us(err):
        return f'{loc}/properties'  # where the property should have been described
    return f'{loc}/{escape(err.validator)}' if loc else fallback


def closed_by_us(err):
    """An error of the closing Document.closed() added, not of the document's own keywords."""
    return err.validator in ('additionalProperties', 'unevaluatedProperties') and \
        isinstance(err.schema, dict) and err.schema.get(CLOSED) is True


def instance_path(err):
    return '$' + ''.join(f'[{p}]' if isinstance(p, int) else f'.{p}' for p in err.absolute_path)


def explain(err):
    """The message of an error; for anyOf/oneOf the most relevant branch failure too."""
    msg = err.message
    if closed_by_us(err):
        msg = re.sub(r'^(Unevaluated|Additional) properties are not allowed', 'properties the document does not describe', msg)
    if len(msg) > 300:
        msg = msg[:300] + '…'
    if err.context:
        sub = best_match(err.context)
        if sub is not None:
            msg += f' (best branch: {instance_path(sub)}: {sub.message[:200]})'
    return msg


class Checker:
    def __init__(self, docs):
        self.docs = docs
        self.formats, self.format_source = format_checker()
        self.mismatches = collections.OrderedDict()  # key → [count, first exchange, message]
        self.exchanges = 0
        self.backends = collections.Counter()
        self.covered = collections.defaultdict(set)  # operation → statuses seen
        self.unrouted = 0
        self.preflights = 0
        self.portal = 0
        self.test_clock = 0
        self.test_routes = 0
        self.faults = 0
        self.validated = 0

    def mismatch(self, ex, op, where, message):
        key = (op.id if op else '-', ex['status'], where, message)
        first = self.mismatches.get(key)
        if first:
            first[0] += 1
        else:
            self.mismatches[key] = [1, ex, op]

    def check(self, ex):
        self.exchanges += 1
        self.backends[ex.get('backend', '?')] += 1
        op, why, routed = find_operation(self.docs, ex['method'], ex['path'])
        status = ex['status']
        if not op:
            self.check_unrouted(ex, why, routed)
            return
        self.covered[op].add(status)
        where, resp = response_for(op, status)
        if resp is None and ex.get('alloc_fault') and 'body' in ex:
            # an allocation failure injected by the test (tests/api/test_alloc_fault.c): a state no
            # client can bring about, so its status need not be documented; the body is an error
            self.faults += 1
            self.validate(ex, op.doc, op, '#/components/schemas/Error')
            return
        if resp is None:
            self.mismatch(ex, op, pointer('paths', op.path, op.method, 'responses'),
                          f'status {status} is not documented (documented: {", ".join(op.op.get("responses", {}))})')
            return
        self.check_body(ex, op.doc, op, resp, where)

    def check_unrouted(self, ex, why, routed):
        if ex.get('test_routes'):
            # tests/api/test_errors.c's own routes (harness_add_routes): the pipeline's behaviour
            # on paths no document has; their answers are checked by that suite, not here
            self.test_routes += 1
            return
        if ex.get('portal'):
            # the applicant portal's page and files under the harness's prefix (issue 18): routes
            # added at run time (portal_add_routes), not in the route tables nor the documents,
            # which describe the APIs; tests/api/test_portal.c checks their answers
            self.portal += 1
            return
        if ex.get('test_clock'):
            # /test-clock of a harness started with --test-clock (dialects/system.c): a test's tool,
            # never served in production, so in no document; tests/api/test_clock.c checks it
            self.test_clock += 1
            return
        if (ex['method'].upper() == 'OPTIONS' and ex['status'] == 204 and 'body' not in ex
                and not ex.get('body_length')):
            # a CORS preflight, answered before routing on the public paths (docs/API.md)
            self.preflights += 1
            return
        # 404 for an unknown path, 405 for a known path's other method: the router's answers
        want = {'not found': 404, 'method not allowed': 405}[why]
        doc = home_document(self.docs, routed)
        if ex['status'] != want:
            self.mismatch(ex, None, doc.name, f'no operation has this {"path" if want == 404 else "method"} '
                          f'({why}), yet the answer was {ex["status"]}, not {want}')
            return
        self.unrouted += 1
        if 'body' in ex:
            self.validate(ex, doc, None, '#/components/schemas/Error')

    def check_body(self, ex, doc, op, resp, where):
        content = resp.get('content') or {}
        has_body = 'body' in ex or 'body_text' in ex or ex.get('body_length', 0) > 0
        if not has_body:
            if content and ex['method'].upper() != 'HEAD':
                self.mismatch(ex, op, where, f'the document gives this status a body ({", ".join(content)}), '
                              'the answer had none')
            return
        if not content:
            self.mismatch(ex, op, where, f'the answer has a body ({ex.get("content_type")}), the document none')
            return
        key = media_for(content, ex.get('content_type'))
        if key is None:
            self.mismatch(ex, op, where + '/content', f'content type {ex.get("content_type")!r} is not documented '
                          f'(documented: {", ".join(content)})')
            return
        if 'body_text' in ex:
            self.mismatch(ex, op, where, f'the {ex.get("content_type")} body is not JSON')
            return
        if 'body' not in ex or 'schema' not in content[key]:
            return
        self.validate(ex, doc, op, where + '/content/' + escape(key) + '/schema')

    def validate(self, ex, doc, op, ref):
        self.validated += 1
        for err in doc.validator(ref, self.formats).iter_errors(ex['body']):
            loc = schema_location(doc, err, ref)
            self.mismatch(ex, op, f'{doc.name}.json {loc}', f'{instance_path(err)}: {explain(err)}')

    def report(self, verbose, out=None):
        w = (out or sys.stdout).write
        for (opid, status, where, message), (count, ex, op) in self.mismatches.items():
            where_op = f'{op.doc.name}: {opid} ({op.method.upper()} {op.path})' if op else 'no operation'
            q = f'?{ex["query"]}' if ex.get('query') else ''
            w(f'MISMATCH {where_op}, status {status}: {message}\n'
              f'    schema: {where}\n'
              f'    exchange: {ex["method"]} {ex["path"]}{q} → {status} {ex.get("content_type") or ""}'
              f' [{ex.get("backend", "?")}: {ex.get("suite", "?")}/{ex.get("test", "?")}]'
              f'{f" (and {count - 1} more like it)" if count > 1 else ""}\n')
            if verbose and 'body' in ex:
                w('    body: ' + json.dumps(ex['body'])[:2000] + '\n')
        total = sum(len(d.operations) for d in self.docs)
        w(f'\nvalidate_responses: {self.exchanges} exchanges '
          f'({", ".join(f"{n} {b}" for b, n in sorted(self.backends.items()))}); '
          f'{self.validated} JSON bodies validated against their schemas\n'
          f'  of no operation: {self.unrouted} 404/405 answers (checked against Error), '
          f'{self.preflights} CORS preflights, {self.portal} to the portal\'s page and files (skipped), {self.test_clock} to the test clock (skipped), {self.test_routes} to a test\'s own routes (skipped); '
          f'{self.faults} under an injected allocation failure (checked against Error)\n')
        for doc in self.docs:
            ops = doc.operations
            seen = [o for o in ops if o in self.covered]
            w(f'  {doc.name}.json: {len(seen)} of {len(ops)} operations exercised\n')
        w(f'  operations covered: {len(self.covered)} of {total}\n')
        checked = sorted(f'{f} ({self.format_source[f]})' for f in self.used_formats() if f in self.format_source)
        unchecked = sorted(f for f in self.used_formats() if f not in self.format_source)
        w(f'  formats checked: {", ".join(checked)}; not checked: {", ".join(unchecked) or "none"}\n')
        never = [(d.name, o) for d in self.docs for o in d.operations if o not in self.covered]
        if never:
            w(f'operations never exercised by the API suites ({len(never)}; listed, not failed):\n')
            for name, o in never:
                w(f'  {name}: {o.id} ({o.method.upper()} {o.path})\n')
        n = sum(c for c, _, _ in self.mismatches.values())
        if n:
            w(f'validate_responses: FAILED: {len(self.mismatches)} distinct mismatches in {n} exchanges\n')
        elif self.exchanges:
            w('validate_responses: every answer matches its document\n')

    def used_formats(self):
        found = set()

        def walk(x):
            if isinstance(x, dict):
                if isinstance(x.get('format'), str) and isinstance(x.get('type'), (str, list)):
                    found.add(x['format'])
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        for d in self.docs:
            walk(d.json)
        return found


def read_exchanges(dirs):
    files = sorted(f for d in dirs for f in glob.glob(os.path.join(d, '*.jsonl')))
    for name in files:
        with open(name) as f:
            for lineno, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError as e:
                        sys.exit(f'validate_responses: {name}:{lineno}: not JSON ({e}): a torn recording?')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--docs', default=os.path.join(ROOT, 'docs', 'openapi'),
                    help='folder of the OpenAPI documents (default: docs/openapi)')
    ap.add_argument('--verbose', action='store_true', help='print the body of each mismatch\'s first exchange')
    ap.add_argument('record_dirs', nargs='+', metavar='RECORD_DIR')
    args = ap.parse_args(argv)
    names = sorted(glob.glob(os.path.join(args.docs, '*.json')))
    # landlord first: the home of unknown paths outside the other two (docs/API.md "Error shapes")
    names.sort(key=lambda n: os.path.basename(n) != 'landlord.json')
    if not names:
        sys.exit(f'validate_responses: no *.json in {args.docs}')
    for d in args.record_dirs:
        if not os.path.isdir(d):
            sys.exit(f'validate_responses: {d} is not a folder (was RENTD_TEST_RECORD_DIR set?)')
    checker = Checker([Document(n) for n in names])
    for ex in read_exchanges(args.record_dirs):
        checker.check(ex)
    checker.report(args.verbose)
    if not checker.exchanges:
        print('validate_responses: FAILED: nothing was recorded (did the API suites run with '
              'RENTD_TEST_RECORD_DIR set?)')
        return 1
    return 1 if checker.mismatches else 0


if __name__ == '__main__':
    sys.exit(main())
