"""Test tooling behind scripts/ocds-check: libcoveocds validation of an OCDS package, offline.

libcoveocds fetches the standard's schema and each extension the package declares over HTTP.
Here every such request is answered from the archives in Tests/Fixtures/ocds, and any other is
refused and listed under "blocked_downloads", so a result never depends on the network."""
import collections
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile

import requests
from requests.adapters import HTTPAdapter
from urllib3.response import HTTPResponse

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "ocds")
STANDARD_ZIP = os.path.join(FIXTURES, "standard-1__1__5.zip")
BID_ZIP = os.path.join(FIXTURES, "ocds_bid_extension-v1.1.5.zip")
BID_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/"
# A URL prefix -> (archive, folder under the archive's top folder); None: the archive itself.
LOCAL = {
    BID_EXTENSION: (BID_ZIP, ""),
    "https://github.com/open-contracting-extensions/ocds_bid_extension/archive/v1.1.5.zip": (BID_ZIP, None),
    "https://standard.open-contracting.org/schema/1__1__5/": (STANDARD_ZIP, "schema/"),
}


class FromFixtures(HTTPAdapter):
    """Answers requests for the schema and the bid extension from the fixtures' archives."""

    def __init__(self):
        super().__init__()
        self.blocked = []

    def send(self, request, **kwargs):
        for prefix, (archive, folder) in LOCAL.items():
            if folder is None and request.url == prefix:
                with open(archive, "rb") as file:
                    return self.answer(request, 200, file.read())
            if folder is not None and request.url.startswith(prefix):
                with zipfile.ZipFile(archive) as zipped:
                    name = zipped.namelist()[0] + folder + request.url[len(prefix):]
                    try:
                        return self.answer(request, 200, zipped.read(name))
                    except KeyError:
                        return self.answer(request, 404, b"")
        self.blocked.append(request.url)
        raise requests.ConnectionError(f"offline: no local copy of {request.url}")

    def answer(self, request, status, body):
        raw = HTTPResponse(body=io.BytesIO(body), status=status, preload_content=False,
                           headers={"Content-Length": str(len(body))}, request_url=request.url)
        return self.build_response(request, raw)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/ocds-check FILE.json   (a package may declare the bid extension as\n"
                 f"  {BID_EXTENSION}extension.json)")
    for path in (STANDARD_ZIP, BID_ZIP):
        if not os.path.isfile(path):
            sys.exit(f"ocds-check: the fixture {os.path.normpath(path)} is missing")
    adapter = FromFixtures()
    requests.Session.get_adapter = lambda self, url: adapter
    import libcoveocds.api
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig()
    config.config["standard_zip"] = f"file://{STANDARD_ZIP}"
    config.config["additional_checks"] = "all"
    config.config["context"] = "api"
    work = tempfile.mkdtemp()
    try:
        result = libcoveocds.api.ocds_json_output(work, sys.argv[1], None, convert=False,
                                                  lib_cove_ocds_config=config)
    finally:
        shutil.rmtree(work)
    errors = result["validation_errors"]
    summary = {
        "file_type": result.get("file_type"),
        "version": result.get("version_used"),
        "releases_or_records": result.get("count"),
        "unique_ocids": result.get("unique_ocids_count"),
        "schema_errors": len(errors),
        "schema_error_types": dict(collections.Counter(error["type"] for error in errors)),
        "additional_fields": sorted(
            {f'{field["path"]}/{field["field"]}' for field in result.get("additional_fields", [])}),
        "closed_codelist_violations": sorted(result.get("additional_closed_codelist_values", {})),
        "open_codelist_additions": sorted(result.get("additional_open_codelist_values", {})),
        "deprecated_fields": sorted(result.get("deprecated_fields", {})),
        "additional_checks": {name: len(found)
                              for name, found in result.get("additional_checks", {}).items()},
        "blocked_downloads": adapter.blocked,
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False, default=list))
    for error in errors[:50]:
        print("ERROR:", error["type"], error.get("path"), "|", error["description"][:160])
    # OCDS allows additional fields (they belong in an extension): reported above, not fatal.
    valid = not errors and not summary["closed_codelist_violations"]
    print("ocds-check:", "valid" if valid else "INVALID")
    sys.exit(0 if valid else 1)


if __name__ == "__main__":
    main()
