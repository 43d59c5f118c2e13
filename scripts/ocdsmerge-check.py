"""Test tooling: checks that each record's compiledRelease in an OCDS record package equals what
ocdsmerge compiles from the record's releases (with the release schema patched by the bid
extension, read offline from Tests/Fixtures/ocds/release-schema-1__1__5+bids.json). Prints one
line per record; exits 1 on any difference. Run with the Python of scripts/ocds-check's
environment, which has ocdsmerge. usage: ocdsmerge-check.py RECORDS.json SCHEMA+BIDS.json"""
import json
import os
import sys

import ocdsmerge

package = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
merger = ocdsmerge.Merger(schema=schema)
failed = 0
for record in package["records"]:
    compiled = merger.create_compiled_release(record["releases"])
    same = compiled == record["compiledRelease"]
    failed += not same
    print(record["ocid"], len(record["releases"]), "equal" if same else "DIFFERENT")
    if not same:
        for key in sorted(set(compiled) | set(record["compiledRelease"])):
            if compiled.get(key) != record["compiledRelease"].get(key):
                print("  ", key, json.dumps(record["compiledRelease"].get(key), ensure_ascii=False)[:200],
                      "| ocdsmerge:", json.dumps(compiled.get(key), ensure_ascii=False)[:200])
print("ocdsmerge-check:", "equal" if not failed else f"{failed} different")
sys.exit(1 if failed else 0)
