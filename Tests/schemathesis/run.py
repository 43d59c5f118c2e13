#!/usr/bin/env python3
"""Fuzzes the three APIs of a running `zhaocai serve --demo` with schemathesis, once per role.

scripts/schemathesis starts the server and calls this with the file its banner went to. From
the banner it reads the base URLs, the data directory and the demo password; it then signs in
each role the way a client does:

- trading platform (openapi/trading.yaml, the first trading platform): anonymous; the
  administrator, an expert and a key holder with `POST /sessions` (demo password); the bidder
  and the tenderer with a certificate: `POST /sessions/challenge`, then the nonce signed with
  the key of `bidder1.key` / `tenderer.key` (Ed25519 or P-256) and `POST /sessions/certificate` with the
  matching `.pem`;
- hub (openapi/exchange.yaml): anonymous; the administrator with the token in `hub-admin.token`;
- supervision platform (openapi/supervision.yaml): anonymous; a supervisor with
  `POST /sessions`; the administrator with `supervision/supervision-admin.token`.

Each (API, role) run fuzzes every operation a bounded number of times (one run per API also
goes through the coverage phase, every boundary of the documents' bounds), with real ids of the
demo (section, bidder credit code, key holder, platforms, authorities) for most of its path and
query parameters, and only the `not_a_server_error` check. Every request is read back from the
run's HAR file: a run fails on any 5xx answer or request left without an answer (dropped
connection, timeout), on a non-zero schemathesis exit, or when the server stops answering.
Prints the requests sent per API and role, and each failing request with its body. Exits 1 on
any failure.
"""

import argparse
import base64
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import zhaocai_keys  # noqa: E402


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIGN_IN_CONTEXT = "zhaocai-sign-in v1\n"
APIS = ["trading", "exchange", "supervision"]
# Each role's run fuzzes every operation with up to --max-examples cases; one run per API (its
# most capable role) also goes through the coverage phase first: every boundary of the
# documents' bounds (maxLength, maxLength + 1, …) of each operation.
COVERAGE_ROLE = {"trading": "tenderer", "exchange": "hubAdministrator", "supervision": "supervisor"}
# A run still going after this long has hung: it is stopped and fails.
TIME_LIMIT = {"fuzz": 120, "coverage": 200}
# Operations whose boundary cases take schemathesis long to make (a 1 MiB base64 string, a
# thousand distinct credit codes or shares): fuzzed, but left out of the coverage phase.
SLOW_TO_COVER = [
    "releaseShares", "publishPrequalification", "receiveSupervisionOrder", "drawExperts",
    "receiveMessages", "publishRevocationList", "submitCheckpoint",
]


class Failure(Exception):
    pass


# --- The server's banner ---------------------------------------------------------------------


def parse_banner(text):
    def need(pattern, what):
        found = re.search(pattern, text, re.MULTILINE)
        if not found:
            raise Failure(f"the banner does not show {what} (pattern {pattern!r})")
        return found

    banner = {
        "data": need(r"data in (\S+)", "the data directory").group(1),
        "hub": need(r"hub\s+(http://127\.0\.0\.1:\d+/api/v1)/platforms", "the hub").group(1),
        "supervision": need(
            r"supervision\s+(http://127\.0\.0\.1:\d+/api/v1)/legal-basis", "supervision").group(1),
        "password": need(r"password ([^\s)]+)\)", "the demo password").group(1),
    }
    platforms = re.findall(r"^\s+交易平台 .*\(([a-z0-9.-]+)\)\s*$", text, re.MULTILINE)
    sections = re.findall(
        r"^\s+sections\s+(http://127\.0\.0\.1:\d+/api/v1)/sections/(\S+)\s*$", text, re.MULTILINE)
    if not platforms or len(platforms) != len(sections):
        raise Failure("the banner does not list the trading platforms and their demo sections")
    banner["trading"] = [
        {"id": platform, "base": base, "section": section}
        for platform, (base, section) in zip(platforms, sections)
    ]
    holders = re.search(r"(\S+) / (\S+) / (\S+) \(key holders\)", text)
    banner["holders"] = list(holders.groups()) if holders else ["platform", "tenderer-holder"]
    experts = re.search(r"\b(expert\d+)…", text)
    banner["expert"] = experts.group(1) if experts else "expert1"
    supervisors = re.search(r"demo supervisors \(password [^)]*\): (\S+)", text)
    banner["supervisor"] = supervisors.group(1) if supervisors else "fj-zj-1"
    return banner


# --- Signing in --------------------------------------------------------------------------------


def call(method, url, body=None, token=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            raw = answer.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:500]
        raise Failure(f"{method} {url} answered {error.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as error:
        raise Failure(f"{method} {url} failed: {error}") from None
    return json.loads(raw) if raw else None


def read_secret(path):
    with open(path, encoding="utf-8") as file:
        return file.read().strip()



def signing_key(path):
    """The signer of a key file (Tests/python/zhaocai_keys.py)."""
    try:
        return zhaocai_keys.signer(path)
    except ValueError as error:
        raise Failure(str(error))

def password_session(base, account, password):
    session = call("POST", base + "/sessions", {"account": account, "password": password})
    return session


def certificate_session(base, data, party, role):
    """Signs in a party registered at the hub with its certificate (docs/EXCHANGE.md)."""
    challenge = call("POST", base + "/sessions/challenge")
    key = signing_key(os.path.join(data, party + ".key"))
    signature = key.sign((SIGN_IN_CONTEXT + challenge["nonce"]).encode())
    with open(os.path.join(data, party + ".pem"), encoding="utf-8") as file:
        certificate = file.read()
    return call("POST", base + "/sessions/certificate", {
        "role": role, "certificate": certificate, "nonce": challenge["nonce"],
        "signature": base64.b64encode(signature).decode(),
    })


def runs_for(banner):
    """Every (API, role) run: its spec, base URL, token and the real ids it fuzzes with."""
    data, password = banner["data"], banner["password"]
    trading = banner["trading"][0]
    base = trading["base"]
    platform_ids = [platform["id"] for platform in banner["trading"]]

    sessions = {
        "administrator": password_session(base, "admin", password),
        "expert": password_session(base, banner["expert"], password),
        "keyHolder": password_session(base, banner["holders"][1], password),
        "bidder": certificate_session(base, data, "bidder1", "bidder"),
        "tenderer": certificate_session(base, data, "tenderer", "tenderer"),
    }
    bidder_code = sessions["bidder"]["account"]["creditCode"]
    supervisor = password_session(banner["supervision"], banner["supervisor"], password)

    trading_ids = {
        "path.sectionID": [trading["section"]],
        "path.bidderID": [bidder_code],
        "path.holder": [banner["holders"][1]],
        "path.objectionID": ["ST-OBJ-1"],
        "path.version": [1],
        "path.name": ["tender-documents.pdf"],
    }
    hub_ids = {
        "path.platformID": platform_ids,
        "path.creditCode": [bidder_code],
        "path.authorityID": ["demo-ca-fj", "demo-ca-hx"],
        "query.platform": platform_ids,
        "query.party": [bidder_code],
    }
    supervision_ids = {
        "path.platform": [trading["id"]],
        "path.platformID": [trading["id"]],
        "path.section": [trading["section"]],
    }
    spec = lambda name: os.path.join(ROOT, "openapi", name + ".yaml")
    # The anonymous run first, and the roles that change the most (the tenderer can terminate
    # the demo section, the administrators refuse platforms) last.
    runs = [("trading", "anonymous", None)]
    for role in ["bidder", "expert", "keyHolder", "administrator", "tenderer"]:
        runs.append(("trading", role, sessions[role]["token"]))
    runs += [
        ("exchange", "anonymous", None),
        ("exchange", "hubAdministrator", read_secret(os.path.join(data, "hub-admin.token"))),
        ("supervision", "anonymous", None),
        ("supervision", "supervisor", supervisor["token"]),
        ("supervision", "supervisionAdministrator",
         read_secret(os.path.join(data, "supervision", "supervision-admin.token"))),
    ]
    bases = {"trading": base, "exchange": banner["hub"], "supervision": banner["supervision"]}
    ids = {"trading": trading_ids, "exchange": hub_ids, "supervision": supervision_ids}
    return [
        {"api": api, "role": role, "token": token, "spec": spec(api), "base": bases[api],
         "ids": ids[api], "coverage": COVERAGE_ROLE[api] == role}
        for api, role, token in runs
    ]


# --- Running schemathesis ----------------------------------------------------------------------


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)


def write_config(path, run):
    """A schemathesis.toml: the real ids as dictionaries most parameters draw from."""
    lines = []
    if run["token"]:
        lines += ["[headers]", f"Authorization = {toml_string('Bearer ' + run['token'])}", ""]
    lines.append("[parameters]")
    for name in run["ids"]:
        dictionary = name.replace(".", "-")
        binding = f"{{ dictionary = {toml_string(dictionary)}, probability = 0.8 }}"
        lines.append(f"{toml_string(name)} = {binding}")
    lines.append("")
    for name, values in run["ids"].items():
        dictionary = name.replace(".", "-")
        rendered = ", ".join(toml_string(v) if isinstance(v, str) else str(v) for v in values)
        lines += [f"[dictionaries.{dictionary}]", f"values = [{rendered}]", ""]
    if run["coverage"]:
        slow = ", ".join(toml_string(name) for name in SLOW_TO_COVER)
        lines += ["[[operations]]", f"include-operation-id = [{slow}]",
                  "phases.coverage.enabled = false", ""]
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines))


def server_answers(banner):
    """Whether every platform still answers HTTP at all (any status will do)."""
    urls = [banner["hub"] + "/platforms", banner["supervision"] + "/legal-basis"] + [
        platform["base"] + "/log/checkpoint" for platform in banner["trading"]]
    for url in urls:
        try:
            urllib.request.urlopen(url, timeout=10).close()
        except urllib.error.HTTPError:
            pass
        except (urllib.error.URLError, OSError) as error:
            return f"{url}: {error}"
    return None


def run_schemathesis(run, work, max_examples, workers):
    name = f"{run['api']}-{run['role']}"
    config = os.path.join(work, name + ".toml")
    har = os.path.join(work, name + ".har")
    log = os.path.join(work, name + ".log")
    write_config(config, run)
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", config, "--no-color",
        "run", run["spec"], "--url", run["base"],
        "--checks", "not_a_server_error",
        "--phases", "coverage,fuzzing,stateful" if run["coverage"] else "fuzzing,stateful",
        "--max-examples", str(max_examples),
        "--workers", str(workers), "--request-timeout", "30", "--request-retries", "0",
        "--suppress-health-check", "all", "--generation-database", "none",
        "--report", "har", "--report-har-path", har, "--report-dir", work,
    ]
    if run["token"]:
        # Signing out would end the session the rest of the run signs in with.
        command += ["--exclude-operation-id", "signOut"]
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as output:
        try:
            process = subprocess.run(
                command, cwd=work, stdout=output, stderr=subprocess.STDOUT,
                timeout=TIME_LIMIT["coverage" if run["coverage"] else "fuzz"],
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
            status = process.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
    elapsed = time.monotonic() - started
    entries = []
    if os.path.exists(har):
        with open(har, encoding="utf-8") as file:
            try:
                entries = json.load(file).get("log", {}).get("entries", [])
            except json.JSONDecodeError:
                entries = []
    return status, entries, log, elapsed


def describe(entry):
    request, response = entry["request"], entry["response"]
    status = response.get("status", 0)
    body = (request.get("postData") or {}).get("text")
    line = f"    {request['method']} {request['url']} -> {status or 'no answer'}"
    if body is not None:
        line += f"\n      body: {body[:2000]}"
    text = (response.get("content") or {}).get("text")
    if status and text:
        line += f"\n      answer: {text[:500]}"
    return line


def log_summary(log):
    """A failed run's log: each failure or error heading and its first lines, or the log's end."""
    with open(log, encoding="utf-8", errors="replace") as file:
        lines = file.read().splitlines()
    found = []
    for index, line in enumerate(lines):
        if re.fullmatch(r"_{3,} .+ _{3,}", line):
            found.append(line.strip("_ "))
            found += [text[:200] for text in lines[index + 1:index + 5] if text.strip()][:3]
    return found[:40] or lines[-40:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--banner", required=True, help="The file serve --demo printed to")
    parser.add_argument("--work", required=True, help="A directory for configs and reports")
    parser.add_argument("--max-examples", type=int,
                        default=int(os.environ.get("ZHAOCAI_ST_EXAMPLES", "10")),
                        help="Fuzzing cases per operation and run (ZHAOCAI_ST_EXAMPLES, 10)")
    # One worker: schemathesis' threads race in hypothesis (CPython's ast is not thread-safe:
    # "AST constructor recursion depth mismatch"), and generation holds the GIL anyway.
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("ZHAOCAI_ST_WORKERS", "1")))
    # Runs side by side: each is its own schemathesis process (no shared GIL), and the server
    # answers them together as it would any users; two halve the wall time on two cores.
    parser.add_argument(
        "--parallel", type=int, default=int(os.environ.get("ZHAOCAI_ST_PARALLEL", "2")))
    arguments = parser.parse_args()

    with open(arguments.banner, encoding="utf-8", errors="replace") as file:
        banner = parse_banner(file.read())
    runs = runs_for(banner)
    print(f"schemathesis: {len(runs)} runs, up to {arguments.max_examples} fuzzing cases per"
          f" operation each, data in {banner['data']}")

    results, failed = [], False
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, arguments.parallel))
    futures = [
        pool.submit(run_schemathesis, run, arguments.work, arguments.max_examples,
                    arguments.workers)
        for run in runs]
    for run, future in zip(runs, futures):
        status, entries, log, elapsed = future.result()
        bad = [entry for entry in entries if not 0 < entry["response"].get("status", 0) < 500]
        server_errors = sum(1 for e in bad if e["response"].get("status"))
        unanswered = len(bad) - server_errors
        problem = None
        if bad:
            problem = f"{server_errors} server errors, {unanswered} requests without an answer"
        elif status == "timeout":
            problem = "schemathesis did not finish in time"
        elif status != 0:
            problem = f"schemathesis exited {status}"
        elif not entries:
            problem = "no request was sent"
        print(f"  {run['api']:<12} {run['role']:<25} {len(entries):>6} requests"
              f"  {elapsed:5.0f} s  {problem or 'ok'}")
        for entry in bad[:20]:
            print(describe(entry))
        if problem and not bad:
            print("\n".join("    | " + line for line in log_summary(log)))
        results.append((run["api"], run["role"], len(entries), problem))
        failed = failed or problem is not None
        gone = server_answers(banner)
        if gone:
            print(f"schemathesis: the server stopped answering after {run['api']} {run['role']}:"
                  f" {gone}")
            failed = True
            pool.shutdown(wait=False, cancel_futures=True)
            break
    pool.shutdown(wait=True)

    print("schemathesis: requests sent per API and role")
    for api in APIS:
        rows = [row for row in results if row[0] == api]
        total = sum(row[2] for row in rows)
        print(f"  {api}: {total} — " + ", ".join(f"{role} {count}" for _, role, count, _ in rows))
    failures = [row for row in results if row[3]]
    print(f"schemathesis: {len(results) - len(failures)} passed, {len(failures)} failed"
          + (f" (reports in {arguments.work})" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as error:
        print(f"schemathesis: {error}", file=sys.stderr)
        sys.exit(1)
