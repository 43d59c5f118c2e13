#!/usr/bin/env python3
"""Checks that every input a client sends through the OpenAPI documents is bounded.

Walks each operation's parameters and request bodies (following $refs into components) and
reports every string without maxLength (enums and binary bodies aside), integer without
minimum and maximum, array without maxItems, map (additionalProperties) without maxProperties,
and date-time without a description of its accepted range. It also checks that each pattern
compiles. Exits 1 if anything is unbounded; prints the counts per document otherwise.

    python3 Tests/schemathesis/check_bounds.py openapi/trading.yaml openapi/exchange.yaml ...
"""

import re
import sys
from collections import Counter

import yaml

DATE_NOTE = "2000-01-01T00:00:00Z"


def resolve(document, node):
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"cyclic $ref {ref}")
        seen.add(ref)
        target = document
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def check_schema(document, schema, where, problems, counts, visiting):
    if isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if ref in visiting:
            return
        visiting = visiting | {ref}
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(schema.get(key, [])):
            check_schema(document, part, f"{where}/{key}[{index}]", problems, counts, visiting)
    kind = schema.get("type")
    if "pattern" in schema:
        try:
            re.compile(schema["pattern"])
        except re.error as error:
            problems.append(f"{where}: pattern does not compile: {error}")
    if kind == "string":
        if "enum" in schema or schema.get("contentEncoding") == "binary":
            return
        if schema.get("format") == "date-time":
            if DATE_NOTE not in schema.get("description", ""):
                problems.append(f"{where}: date-time without its accepted range")
            counts["date-time"] += 1
            return
        if "maxLength" not in schema:
            problems.append(f"{where}: string without maxLength")
        counts["string"] += 1
    elif kind == "integer":
        if "minimum" not in schema or "maximum" not in schema:
            problems.append(f"{where}: integer without minimum and maximum")
        counts["integer"] += 1
    elif kind == "number":
        if "minimum" not in schema or "maximum" not in schema:
            problems.append(f"{where}: number without minimum and maximum")
        counts["number"] += 1
    elif kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: array without maxItems")
        counts["array"] += 1
        check_schema(document, schema.get("items", {}), f"{where}[]", problems, counts, visiting)
    elif kind == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            check_schema(document, sub, f"{where}.{name}", problems, counts, visiting)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                problems.append(f"{where}: map without maxProperties")
            counts["map"] += 1
            check_schema(document, extra, f"{where}{{*}}", problems, counts, visiting)


def check(path):
    document = yaml.safe_load(open(path, encoding="utf-8"))
    problems, counts = [], Counter()
    for route, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in ("get", "put", "post", "delete", "patch", "head", "options"):
                continue
            name = operation.get("operationId", f"{method} {route}")
            for parameter in shared + operation.get("parameters", []):
                parameter = resolve(document, parameter)
                check_schema(
                    document, parameter.get("schema", {}),
                    f"{name}:{parameter['in']}.{parameter['name']}", problems, counts, frozenset())
                counts["parameter"] += 1
            body = resolve(document, operation.get("requestBody", {}))
            for media, content in body.get("content", {}).items():
                check_schema(
                    document, content.get("schema", {}), f"{name}:body({media})", problems,
                    counts, frozenset())
    return problems, counts


def main(paths):
    failed = False
    for path in paths:
        problems, counts = check(path)
        for problem in problems:
            print(f"{path}: {problem}")
        failed = failed or bool(problems)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
        print(f"{path}: {'UNBOUNDED ' + str(len(problems)) if problems else 'bounded'} ({summary})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
