#!/usr/bin/env python3
"""tests/openapi/validate_responses.py against two small documents and hand-made recordings: the
answers it must accept (routing as the server routes: trailing slash, literal before integer
before string parameter, HEAD by GET, the market deployment prefix in any case, 404/405 of no
operation with the Error shape, `default`, image/* for a PNG) and each kind of mismatch it must
report and fail on, with the schema location it names.

usage: test_validate_responses.py
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, 'validate_responses.py')
sys.path.insert(0, HERE)
import validate_responses  # noqa: E402
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


def error_schema(required):
    return {'type': 'object', 'required': [required], 'properties': {required: {'type': 'string'}}}


def json_response(ref):
    return {'description': 'x', 'content': {'application/json': {'schema': {'$ref': ref}}}}


LANDLORD = {
    'openapi': '3.1.0', 'info': {'title': 'l', 'version': '1'},
    'servers': [{'url': '/'}, {'url': 'http://127.0.0.1:8080'}],
    'paths': {
        '/api/items/{id}': {
            'parameters': [{'name': 'id', 'in': 'path', 'required': True, 'schema': {'type': 'integer'}}],
            'get': {'operationId': 'getItem', 'responses': {
                '200': json_response('#/components/schemas/Item'),
                '404': json_response('#/components/schemas/Error')}},
            'delete': {'operationId': 'deleteItem', 'responses': {'204': {'description': 'gone'}}},
        },
        '/api/items/me': {'get': {'operationId': 'getMe', 'responses': {
            '200': {'description': 'x', 'content': {'application/json': {'schema': {
                'type': 'object', 'required': ['me'], 'properties': {'me': {'const': True}}}}}}}}},
        '/api/items/{slug}/photo': {
            'parameters': [{'name': 'slug', 'in': 'path', 'required': True, 'schema': {'type': 'string'}}],
            'get': {'operationId': 'getPhoto', 'responses': {
                '200': {'description': 'x', 'content': {'image/*': {'schema': {'type': 'string', 'format': 'binary'}}}},
                'default': json_response('#/components/schemas/Error')}}},
        '/api/never': {'post': {'operationId': 'neverCalled', 'responses': {'204': {'description': 'x'}}}},
        '/api/derived': {'get': {'operationId': 'getDerived', 'responses': {
            '200': json_response('#/components/schemas/Derived')}}},
    },
    'components': {'schemas': {
        'Error': error_schema('error'),
        'Item': {'type': 'object', 'required': ['id', 'name', 'created'], 'properties': {
            'id': {'type': 'integer'}, 'name': {'type': 'string'},
            'created': {'type': 'string', 'format': 'date-time'},
            'link': {'type': 'string', 'format': 'uri'},
            'tags': {'type': 'array', 'items': {'$ref': '#/components/schemas/Tag'}}}},
        'Tag': {'type': 'object', 'required': ['label'], 'properties': {'label': {'type': 'string'}}},
        # an Item with one more property: Item is a part here, and closed where used alone
        'Derived': {'allOf': [{'$ref': '#/components/schemas/Item'},
                              {'type': 'object', 'properties': {'more': {'type': 'integer'}}}]},
        'Open': {'type': 'object', 'additionalProperties': {'type': 'integer'}},
    }},
}

MARKET = {
    'openapi': '3.1.0', 'info': {'title': 'm', 'version': '1'},
    'servers': [{'url': '/'}, {'url': '/{env}/{tenant}/PmApi', 'variables': {'env': {'default': 'Prod'},
                                                                        'tenant': {'default': 'Demo'}}}],
    'paths': {'/v2/auth': {'post': {'operationId': 'login', 'responses': {
        '200': {'description': 'x', 'content': {'application/json': {'schema': {
            'type': 'object', 'required': ['token'], 'properties': {'token': {'type': 'string'}}}}}}}}}},
    'components': {'schemas': {'Error': error_schema('message')}},
}

ITEM = {'id': 5, 'name': 'x', 'created': '2026-05-01T10:00:00Z', 'link': 'https://example.com/a',
        'tags': [{'label': 'a'}]}


def ex(method, path, status, body=None, content_type='application/json', **more):
    e = {'method': method, 'path': path, 'query': '', 'status': status, 'test': 'selftest',
         'suite': 'validate', 'backend': 'sqlite'}
    if body is not None:
        e['body'] = body
    e.update(more)
    if body is not None or e.get('body_length') or 'body_text' in e:
        e['content_type'] = content_type
    return e


GOOD = [
    ex('GET', '/api/items/5', 200, ITEM),
    ex('GET', '/api/items/5/', 200, ITEM),                       # one trailing slash
    ex('HEAD', '/api/items/5', 200, None, body_length=0),         # HEAD: GET's operation, no body
    ex('GET', '/api/items/me', 200, {'me': True}),                # literal before integer
    ex('GET', '/api/items/abc', 404, {'error': 'NotFound'}),      # no such operation: the Error shape
    ex('GET', '/api/items/0', 404, {'error': 'NotFound'}),        # 0 is no {id:int}
    ex('PATCH', '/api/items/5', 405, {'error': 'MethodNotAllowed'}),
    ex('DELETE', '/api/items/5', 204, None, body_length=0),
    ex('GET', '/api/items/5/photo', 200, None, content_type='image/png', body_length=99),
    ex('GET', '/api/items/x/photo', 500, {'error': 'InternalError'}),  # `default`
    ex('POST', '/Prod/Acme/pmapi/V2/auth', 200, {'token': 't'}),  # decision M-33's prefix, any case
    ex('POST', '/v2/nope', 404, {'message': 'no'}),               # unknown path of the market document
    ex('GET', '/api/derived', 200, dict(ITEM, more=1)),           # allOf: both parts' properties
]

BAD = [
    ('an undocumented status', [ex('GET', '/api/items/5', 418, {'error': 'x'})],
     'status 418 is not documented'),
    ('a property of the wrong type', [ex('GET', '/api/items/5', 200, dict(ITEM, name=7))],
     '#/components/schemas/Item/properties/name/type'),
    ('a null the schema does not allow', [ex('GET', '/api/items/5', 200, dict(ITEM, name=None))],
     "$.name: None is not of type 'string'"),
    ('a missing required property', [ex('GET', '/api/items/5', 200, {k: v for k, v in ITEM.items() if k != 'created'})],
     "'created' is a required property"),
    ('a bad date-time', [ex('GET', '/api/items/5', 200, dict(ITEM, created='2026-05-01 10:00'))],
     "is not a 'date-time'"),
    ('a relative uri', [ex('GET', '/api/items/5', 200, dict(ITEM, link='/media/1'))], "is not a 'uri'"),
    ('an error inside a $ref of a $ref', [ex('GET', '/api/items/5', 200, dict(ITEM, tags=[{'label': 1}]))],
     '#/components/schemas/Tag/properties/label/type'),
    ('a property the document does not describe', [ex('GET', '/api/items/5', 200, dict(ITEM, more=1))],
     "properties the document does not describe ('more' was unexpected)"),
    ('an undescribed property of a $ref\'d schema in an array', [ex('GET', '/api/items/5', 200,
                                                                  dict(ITEM, tags=[{'label': 'a', 'x': 1}]))],
     '#/components/schemas/Tag/properties'),
    ('an undescribed property of an allOf', [ex('GET', '/api/derived', 200, dict(ITEM, more=1, most=2))],
     "('most' was unexpected)"),
    ('a wrong type in an allOf part, located in its $ref target',
     [ex('GET', '/api/derived', 200, dict(ITEM, name=1))], '#/components/schemas/Item/properties/name/type'),
    ('an unknown path answered 200', [ex('GET', '/api/other', 200, {'a': 1})], 'no operation has this path'),
    ('an undocumented content type', [ex('GET', '/api/items/5', 200, None, content_type='text/plain', body_length=3)],
     "content type 'text/plain' is not documented"),
    ('a documented body that did not come', [ex('GET', '/api/items/5', 200, None, body_length=0)],
     'the answer had none'),
    ('a body where none is documented', [ex('DELETE', '/api/items/5', 204, {'a': 1})],
     'the document none'),
    ('JSON that does not parse', [ex('GET', '/api/items/5', 200, None, content_type='application/json', body_text='{')],
     'is not JSON'),
    ('a 404 of no operation in the wrong error shape', [ex('GET', '/api/nothing', 404, {'message': 'x'})],
     "'error' is a required property"),
    ('the market error shape on a market path', [ex('POST', '/v2/nope', 404, {'error': 'x'})],
     "'message' is a required property"),
    ('a 404 of a known path whose method is not routed', [ex('PUT', '/api/items/5', 404, {'error': 'x'})],
     'not 405'),
]


def run(docs, exchanges, process=False):
    """The script over a recording of exchanges: in a process of its own (its exit status as
    the shell sees it), or for speed called in this one."""
    with tempfile.TemporaryDirectory() as rec:
        # two files, as two test processes write them
        half = len(exchanges) // 2
        for i, part in enumerate((exchanges[:half], exchanges[half:])):
            with open(os.path.join(rec, f'test_x.{100 + i}.jsonl'), 'w') as f:
                f.writelines(json.dumps(e) + '\n' for e in part)
        if process:
            return subprocess.run([sys.executable, SCRIPT, '--docs', docs, rec], capture_output=True, text=True)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = validate_responses.main(['--docs', docs, rec])
        return subprocess.CompletedProcess([], code, out.getvalue(), '')


def main():
    with tempfile.TemporaryDirectory() as docs:
        for name, doc in (('landlord', LANDLORD), ('market', MARKET)):
            with open(os.path.join(docs, name + '.json'), 'w') as f:
                json.dump(doc, f)
        r = run(docs, GOOD, process=True)
        check(r.returncode == 0, f'every good answer passes (exit {r.returncode})')
        if r.returncode:
            print(r.stdout + r.stderr)
        check(f'{len(GOOD)} exchanges' in r.stdout, 'the summary counts the exchanges')
        check('operations covered: 6 of 7' in r.stdout, 'the summary counts the operations covered')
        check('landlord: neverCalled (POST /api/never)' in r.stdout, 'an operation never exercised is listed')
        check('date-time (' in r.stdout and 'uri (' in r.stdout, 'the summary names the formats checked')
        for what, exchanges, expect in BAD:
            r = run(docs, GOOD[:2] + exchanges, process=what == BAD[0][0])
            ok = r.returncode == 1 and expect in r.stdout and 'MISMATCH' in r.stdout
            check(ok, f'{what} fails, naming {expect!r}')
            if not ok:
                print(r.stdout + r.stderr)
        r = run(docs, [], process=True)
        check(r.returncode == 1 and 'nothing was recorded' in r.stdout, 'an empty recording fails')
        r = subprocess.run([sys.executable, SCRIPT, '--docs', docs, os.path.join(docs, 'none')],
                           capture_output=True, text=True)
        check(r.returncode != 0 and 'is not a folder' in r.stderr, 'a missing recording folder fails')
    print(f'{5 + len(BAD) + 2 - len(failures)} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
