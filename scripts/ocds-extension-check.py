"""Test tooling: checks an OCDS record package against the release schema patched with the bid
extension (offline, Tests/Fixtures/ocds) and with our own extension (docs/ocds-extension): every
release and compiled release validates, and every field it carries is declared by one of them.
ocds-check cannot fetch our extension offline and so lists its fields as additional; this shows
they are the extension's. usage: ocds-extension-check.py RECORDS.json SCHEMA+BIDS.json PATCH.json"""
import json
import sys

import jsonschema


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def undeclared(value, schema, root, path, found):
    if "$ref" in schema:
        schema = root["definitions"][schema["$ref"].split("/")[-1]]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                found.append(f"{path}/{key}")
            else:
                undeclared(item, properties[key], root, f"{path}/{key}", found)
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            undeclared(item, schema["items"], root, path, found)


package = json.load(open(sys.argv[1]))
schema = merge_patch(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])))
validator = jsonschema.Draft4Validator(schema)
errors, extra = 0, []
for record in package["records"]:
    for release in record["releases"] + [record["compiledRelease"]]:
        for error in validator.iter_errors(release):
            errors += 1
            print("ERROR:", record["ocid"], list(error.path), error.message[:160])
        undeclared(release, schema, schema, "", extra)
for path in sorted(set(extra)):
    print("undeclared:", path)
ok = errors == 0 and not extra
print("ocds-extension-check:", "valid, every field declared" if ok else "INVALID")
sys.exit(0 if ok else 1)
