#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The tests' JSON Schema validator: python3-jsonschema (the reference
# implementation, Debian's package) checks a schema and validates many
# documents against it in one start, naming each failure's JSON path.
"""Validate JSON documents against a draft 2020-12 JSON Schema.

usage: schema-validate.py [--json-results] SCHEMA [FILE...]

The schema is checked first (against the 2020-12 meta-schema, and for
keywords no validator knows: a misspelt keyword would otherwise be a
constraint that is silently never checked). Then each FILE is validated,
or, with no FILE, each line of stdin: {"name": NAME, "doc": DOCUMENT}.

Prints one line per document ("ok: NAME" or "invalid: NAME: /json/path:
message (schema #/...)"), or with --json-results a JSON array of
{"name", "valid", "errors": [{"path", "message", "schema_path"}]}.
Exit status: 0 all valid, 1 some document invalid, 2 the schema is
invalid, an input does not parse, or python3-jsonschema is missing.
"""
import json
import sys

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, best_match
except ImportError as e:
    print("schema-validate.py: python3-jsonschema with draft 2020-12 is missing (%s): "
          "apt-get install python3-jsonschema" % e, file=sys.stderr)
    sys.exit(2)

VALIDATOR = Draft202012Validator

# Keywords that only annotate or structure (2020-12 core, meta-data and
# content vocabularies): not assertions, but not typos either.
ANNOTATIONS = {
    "$schema", "$id", "$anchor", "$dynamicAnchor", "$vocabulary", "$comment", "$defs",
    "definitions", "title", "description", "default", "deprecated", "readOnly",
    "writeOnly", "examples", "contentEncoding", "contentMediaType", "contentSchema",
}
# "then" and "else" are read by the "if" validator, not validators of
# their own.
KNOWN = set(VALIDATOR.VALIDATORS) | ANNOTATIONS | {"then", "else"}
# Where subschemas are, by the shape of the keyword's value.
ONE_SCHEMA = {
    "additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not",
    "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
}
SCHEMA_LIST = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_MAP = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


def pointer(parts, root="(root)"):
    """A JSON pointer (RFC 6901), "(root)" for the document itself."""
    if not parts:
        return root
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def unknown_keywords(schema, where=()):
    """Yields the pointer of every keyword no validator implements."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        here = where + (key,)
        if key not in KNOWN:
            yield pointer(here)
        elif key in ONE_SCHEMA:
            yield from unknown_keywords(value, here)
        elif key in SCHEMA_LIST and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from unknown_keywords(sub, here + (i,))
        elif key in SCHEMA_MAP and isinstance(value, dict):
            for name, sub in value.items():
                yield from unknown_keywords(sub, here + (name,))


def check_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    if schema.get("$schema") != VALIDATOR.META_SCHEMA["$id"]:
        raise ValueError("$schema is %r, this validator is %s" %
                         (schema.get("$schema"), VALIDATOR.META_SCHEMA["$id"]))
    try:
        VALIDATOR.check_schema(schema)
    except SchemaError as e:
        raise ValueError("#%s: %s" % (pointer(e.absolute_path, ""), e.message)) from None
    bad = list(unknown_keywords(schema))
    if bad:
        more = " and %d more" % (len(bad) - 5) if len(bad) > 5 else ""
        raise ValueError("unknown keyword (a typo?) at #" + ", #".join(bad[:5]) + more)
    return schema


def describe(error):
    """The most specific cause (anyOf/oneOf descend into their branches)."""
    error = best_match([error]) or error
    return {
        "path": pointer(error.absolute_path),
        "message": error.message,
        "schema_path": "#" + pointer(error.absolute_schema_path, ""),
    }


def inputs(files):
    if files:
        for name in files:
            with open(name, encoding="utf-8") as f:
                yield name, json.load(f)
        return
    for n, line in enumerate(sys.stdin, 1):
        if line.strip():
            item = json.loads(line)
            yield item.get("name", "stdin line %d" % n), item["doc"]


def main(argv):
    as_json = "--json-results" in argv
    args = [a for a in argv if a != "--json-results"]
    if not args or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        schema = check_schema(args[0])
    except Exception as e:  # the schema is the thing under test: say why
        print("schema-validate.py: %s: invalid schema: %s" % (args[0], e), file=sys.stderr)
        return 2
    validator = VALIDATOR(schema)
    results = []
    try:
        for name, doc in inputs(args[1:]):
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            results.append({"name": name, "valid": not errors,
                            "errors": [describe(e) for e in errors]})
    except (OSError, ValueError, KeyError) as e:
        print("schema-validate.py: cannot read a document: %s" % e, file=sys.stderr)
        return 2
    if as_json:
        json.dump(results, sys.stdout)
        print()
    else:
        for r in results:
            if r["valid"]:
                print("ok: %s" % r["name"])
            for e in r["errors"]:
                print("invalid: %s: %s: %s (schema %s)" %
                      (r["name"], e["path"], e["message"], e["schema_path"]))
    return 0 if all(r["valid"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
