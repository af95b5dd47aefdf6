"""openapi_cases.py — requests that break exactly one constraint of an OpenAPI 3.1 document.

Given a document and a valid request (a body from the document's own examples, query values),
cases() lists every way to break one constraint the document states for it: a required member
left out, a value of a type the schema's type list does not name, a value outside an enum, a
string over maxLength or under minLength, a number over maximum or under minimum, a string that
does not match the pattern, an array under minItems or over maxItems. Each case is checked with
jsonschema against the document's schema: the broken request must fail validation at that one
place, for that one reason, and the valid request must pass (else the case is not made).
"""
import copy
import json

from jsonschema import Draft202012Validator

# the kinds of constraint, as jsonschema names the keyword that a case breaks
KINDS = ("required", "type", "enum", "maxLength", "minLength", "maximum", "minimum", "pattern", "minItems",
         "maxItems")
BODY_LIMIT = 1 << 20
# a value of each JSON type that no coercion of the server can read as another type
SAMPLES = (("string", "zz"), ("integer", 7), ("number", 1.5), ("boolean", True), ("object", {"zz": 1}),
           ("array", ["zz"]), ("null", None))


class Document:
    """One OpenAPI document: its operations and a jsonschema validator for any schema in it."""

    def __init__(self, name, path):
        self.name = name
        with open(path) as f:
            self.doc = json.load(f)
        self.ops = {}
        for path_, item in self.doc["paths"].items():
            for method, op in item.items():
                if method in ("get", "put", "post", "patch", "delete"):
                    self.ops[op["operationId"]] = (method, path_, op)
        self.error = self.validator({"$ref": "#/components/schemas/Error"})

    def resolve(self, node):
        """node with a $ref followed (its siblings kept over the target's members)."""
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = dict(target, **{k: v for k, v in node.items() if k != "$ref"})
        return node

    def validator(self, schema):
        """A 2020-12 validator of schema whose #/components/… references resolve in this document."""
        wrapped = dict(schema, components=self.doc["components"])
        return Draft202012Validator(wrapped, format_checker=None)

    def parameters(self, op_id):
        method, path, op = self.ops[op_id]
        shared = self.doc["paths"][path].get("parameters", [])
        return [self.resolve(p) for p in shared + op.get("parameters", [])]

    def json_body(self, op_id):
        """(schema, [example values]) of the operation's application/json body, or None."""
        body = self.ops[op_id][2].get("requestBody")
        media = body and body.get("content", {}).get("application/json")
        if not media or "schema" not in media:
            return None
        examples = [e["value"] for e in media.get("examples", {}).values() if "value" in self.resolve(e)]
        if "example" in media:
            examples.append(media["example"])
        return media["schema"], examples


def types_of(schema):
    t = schema.get("type")
    return [] if t is None else [t] if isinstance(t, str) else list(t)


def explains(error, kind):
    """Whether a jsonschema error is that kind's (through oneOf/anyOf: one branch fails only so)."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches = {}
        for e in error.context:
            branches.setdefault(e.relative_schema_path[0], []).append(e)
        return any(all(explains(e, kind) for e in errs) for errs in branches.values())
    if kind == "type":  # a value of another type is also outside an enum or const
        return error.validator in ("type", "enum", "const")
    return error.validator == kind


class Case:
    """One broken request: where (a body member path like ["credit", "moves"], or a parameter),
    which kind of constraint, and the broken body or parameter value."""

    def __init__(self, doc, op_id, where, kind, member, body=None, query=None, path_values=None, note=""):
        self.doc, self.op_id, self.where, self.kind, self.member = doc, op_id, where, kind, member
        self.body, self.query, self.path_values, self.note = body, query, path_values, note

    def label(self):
        return "%s %s %s %s%s" % (self.doc, self.op_id, self.where, self.kind, " (%s)" % self.note if self.note else "")


def _merged(doc, schema, value):
    """The schema that applies to value: $ref followed, allOf merged, and of oneOf/anyOf the first
    branch value is valid against (None when none is)."""
    schema = doc.resolve(schema)
    if "allOf" in schema:
        out = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = _merged(doc, part, value) or {}
            for k, v in part.items():
                if k == "properties":
                    out["properties"] = dict(out.get("properties", {}), **v)
                elif k == "required":
                    out["required"] = out.get("required", []) + v
                else:
                    out.setdefault(k, v)
        schema = out
    for key in ("oneOf", "anyOf"):
        if key in schema:
            for branch in schema[key]:
                if not list(doc.validator(branch).iter_errors(value)):
                    rest = {k: v for k, v in schema.items() if k != key}
                    return dict(_merged(doc, branch, value) or {}, **rest)
            return None
    return schema


def _value_breaks(schema, value, present):
    """(kind, broken value, note) for every constraint of schema on one value; value is the valid
    one in the request when present, else None (an optional member the request leaves out)."""
    out = []
    types = types_of(schema)
    if types:
        for kind, sample in SAMPLES:
            if kind in types or (kind == "integer" and "number" in types):
                continue
            out.append(("type", sample, kind))
    if "enum" in schema:
        for bad in ("zz-not-in-enum", 987654, -987654):
            if bad not in schema["enum"]:
                out.append(("enum", bad, ""))
    text = value if present and isinstance(value, str) else ""
    # a string over the server's body limit (1 MiB by default) is 413 before it is read: not made
    if "maxLength" in schema and schema["maxLength"] < BODY_LIMIT:
        n = schema["maxLength"] + 1
        for pad in ((text[-1:] or "x"), "x", "1", "a"):
            out.append(("maxLength", (text + pad * n)[:n] if len(text) < n else text + pad, "%d characters" % n))
    if schema.get("minLength", 0) > 0:
        n = schema["minLength"] - 1
        out.append(("minLength", text[:n] if len(text) >= n else "", "%d characters" % n))
    for key, step in (("maximum", 1), ("exclusiveMaximum", 0)):
        if key in schema:
            out.append(("maximum" if key == "maximum" else "exclusiveMaximum", schema[key] + step, ""))
    for key, step in (("minimum", -1), ("exclusiveMinimum", 0)):
        if key in schema:
            out.append(("minimum" if key == "minimum" else "exclusiveMinimum", schema[key] + step, ""))
    if "pattern" in schema:
        for bad in ("!!", "zz @ not matching", text + "!", "x" * max(1, schema.get("minLength", 1)), "0"):
            out.append(("pattern", bad, ""))
    if "array" in types and present and isinstance(value, list):
        if schema.get("minItems", 0) > 0:
            out.append(("minItems", value[:schema["minItems"] - 1], ""))
        if "maxItems" in schema and value:
            out.append(("maxItems", (value * (schema["maxItems"] + 1))[:schema["maxItems"] + 1], ""))
    return out


def _set(body, path, value):
    node = body
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _remove(body, path):
    node = body
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


def _fails_only_there(validator, body, path, kind):
    """Whether body fails validation, at path only and for the kind's reason only."""
    errors = list(validator.iter_errors(body))
    if not errors:
        return False
    for e in errors:
        at = list(e.absolute_path)
        if kind == "required":
            if at != path[:-1] or not explains(e, "required"):
                return False
        elif at != path or not explains(e, kind):
            return False
    return True


def body_cases(doc, op_id, schema, base):
    """Every case that breaks one constraint of the body schema in the valid body base."""
    validator = doc.validator(schema)
    problems = [e.message for e in validator.iter_errors(base)]
    if problems:
        raise ValueError("%s %s: the valid body is not valid against its schema: %s" % (doc.name, op_id, problems[:3]))
    cases, seen = [], set()

    def add(path, kind, body, note):
        key = (tuple(map(str, path)), kind, json.dumps(body, sort_keys=True))
        if key in seen or not _fails_only_there(validator, body, path, kind):
            return
        seen.add(key)
        member = ".".join(str(p) for p in path)
        cases.append(Case(doc.name, op_id, "body " + member, kind, path, body=body, note=note))

    def walk(node_schema, value, path, present):
        s = _merged(doc, node_schema, value) if present else doc.resolve(node_schema)
        if s is None:
            return
        if path:
            for kind, bad, note in _value_breaks(s, value, present):
                body = copy.deepcopy(base)
                _set(body, path, bad)
                add(path, kind, body, note)
        if not present:
            return
        if isinstance(value, dict):
            for name in s.get("required", []):
                if name in value:
                    body = copy.deepcopy(base)
                    _remove(body, path + [name])
                    add(path + [name], "required", body, "")
            for name, prop in s.get("properties", {}).items():
                if name in value:
                    walk(prop, value[name], path + [name], True)
                elif not path or len(path) < 2:  # optional members the example leaves out, near the top
                    walk(prop, None, path + [name], False)
        elif isinstance(value, list) and value and "items" in s:
            walk(s["items"], value[0], path + [0], True)

    walk(schema, base, [], True)
    return cases


def _param_value(schema, text):
    """A query or path value as the schema sees it: digits as a number where the schema is numeric."""
    types = types_of(schema)
    if isinstance(text, str) and ("integer" in types or "number" in types):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    if isinstance(text, str) and "boolean" in types and text in ("true", "false"):
        return text == "true"
    return text


def parameter_cases(doc, op_id, query, path_values):
    """Every case that breaks one constraint of a query or path parameter, given valid values
    (query: name -> text; path_values: name -> text)."""
    cases = []
    for p in doc.parameters(op_id):
        if p["in"] not in ("query", "path"):
            continue
        name, schema = p["name"], doc.resolve(p.get("schema", {}))
        if "array" in types_of(schema) or "object" in types_of(schema):
            continue  # exploded forms: not sampled
        validator = doc.validator(schema)
        valid = query if p["in"] == "query" else path_values
        if p["in"] == "query" and p.get("required"):
            if name not in query:
                raise ValueError("%s %s: no valid value for the required ?%s" % (doc.name, op_id, name))
            q = dict(query)
            del q[name]
            cases.append(Case(doc.name, op_id, "query " + name, "required", [name], query=q, path_values=path_values))
        present = name in valid
        for kind, bad, note in _value_breaks(schema, valid.get(name), present):
            if isinstance(bad, (dict, list)) or bad is None or isinstance(bad, bool):
                continue  # a query string carries text
            text = bad if isinstance(bad, str) else json.dumps(bad)
            if text == "":
                continue
            errors = list(validator.iter_errors(_param_value(schema, text)))
            if not errors or not all(explains(e, kind) for e in errors):
                continue
            if p["in"] == "path":
                if kind not in ("type", "minimum"):
                    continue
                pv = dict(path_values, **{name: text})
                cases.append(Case(doc.name, op_id, "path " + name, kind, [name], query=dict(query), path_values=pv,
                                  note=text))
            else:
                q = dict(query, **{name: text})
                cases.append(Case(doc.name, op_id, "query " + name, kind, [name], query=q, path_values=path_values,
                                  note=text if len(text) < 20 else "%d characters" % len(text)))
    # one case per (where, kind, text)
    out, seen = [], set()
    for c in cases:
        key = (c.where, c.kind, json.dumps(c.query, sort_keys=True), json.dumps(c.path_values, sort_keys=True))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def sample(cases, rng, per_operation, budget):
    """A deterministic sample (rng seeded by the caller): every (document, kind) there is at least
    once, then up to per_operation cases of each operation, then any others up to budget cases;
    in each step the kinds take turns (a kind with many cases, like type, does not crowd out the rest)."""
    order = list(cases)
    rng.shuffle(order)
    turn, seen = {}, {}
    for c in order:
        seen[(c.doc, c.kind)] = seen.get((c.doc, c.kind), 0) + 1
        turn[id(c)] = seen[(c.doc, c.kind)]
    order.sort(key=lambda c: turn[id(c)])
    chosen, taken = [], set()

    def take(c):
        if id(c) not in taken:
            taken.add(id(c))
            chosen.append(c)

    covered = set()
    for c in order:
        if (c.doc, c.kind) not in covered:
            covered.add((c.doc, c.kind))
            take(c)
    per_op = {}
    for c in chosen:
        per_op[(c.doc, c.op_id)] = per_op.get((c.doc, c.op_id), 0) + 1
    for c in order:
        key = (c.doc, c.op_id)
        if per_op.get(key, 0) < per_operation and id(c) not in taken:
            per_op[key] = per_op.get(key, 0) + 1
            take(c)
    for c in order:
        if len(chosen) >= budget:
            break
        take(c)
    return chosen
