#!/usr/bin/env python3
"""A tender through nginx to two trading nodes on one PostgreSQL, with kill -9 in the middle.

Run by scripts/deploy-check once its processes are up (test tooling, never the product). The
deployment is a sandbox: every process reads one clock file, moved here through the sandbox API.
It registers the parties, publishes a section, lets three bidders seal with the real commands and
upload in parts (resumable upload), and kills node A with SIGKILL while a part is on its way to
it; it restarts A, moves the clock to the deadline, has the two key holders release with
`zhaocai holder release`, and kills whichever node starts the opening first, mid-opening. Then it
checks: every bid opened once at its price (none lost, none twice), one opening record, one
notice per event at the hub, and the platform's log complete and consistent with the hub's
checkpoints (`zhaocai log check`). Exits non-zero with the reason on any failure.
"""

import argparse
import base64
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "python"))
import zhaocai_keys  # noqa: E402

PART = 4 * 1024 * 1024
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
SECTION = "CL-2026-001"
BIDDERS = [  # account, name, credit code without its check character, price in yuan
    ("cl-bidder-1", "闽江建设集团有限公司", "91350100MA2XY0001", "9680000.00"),
    ("cl-bidder-2", "榕城路桥工程有限公司", "91350100MA2XY0002", "9415000.00"),
    ("cl-bidder-3", "海峡市政建设有限公司", "91350100MA2XY0003", "9720500.00"),
]
PASSWORD = "cluster-check-1"


class Failed(Exception):
    pass


def credit_code(first17):
    """GB 32100: the 18th character checks the first 17."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights))
    return first17 + alphabet[(31 - total % 31) % 31]


class Cluster:
    def __init__(self, args):
        self.args = args
        self.front = f"http://127.0.0.1:{args.front}"
        self.nodes = {}  # name -> (port, pid)
        for spec in args.node:
            name, port, pid = spec.split(":")
            self.nodes[name] = (int(port), int(pid))
        self.work = args.work
        self.sandbox_token = open(args.sandbox_token).read().strip()
        self.hub = f"http://127.0.0.1:{args.hub}"
        self.parties = {}

    # HTTP --------------------------------------------------------------------------------------
    def call(self, method, path, body=None, token=None, base=None, raw=None, headers=None,
             expect=(200, 201)):
        url = (base or self.front) + path
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(url, data=data, method=method)
        if body is not None:
            request.add_header("content-type", "application/json")
        if raw is not None:
            request.add_header("content-type", "application/octet-stream")
        if token:
            request.add_header("authorization", "Bearer " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        if status not in expect:
            raise Failed(f"{method} {path} answered {status}: {text[:400]!r}")
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    def sign_in(self, party):
        """A party's session, signed in with its certificate by `zhaocai bidder sign-in`."""
        key, role = self.parties[party]
        session = key + ".session"
        # The platforms learn the hub's recognised CAs and parties from its registry, which their
        # relays read every few seconds: a party registered a moment ago waits for that.
        deadline = time.monotonic() + 30
        while True:
            try:
                self.zhaocai("bidder", "sign-in", "--platform", self.front, "--key", key + ".key",
                             "--role", role, "--session", session)
                return json.load(open(session))["token"]
            except Failed as failure:
                waiting = ("CERTIFICATE_UNTRUSTED", "PARTY_NOT_REGISTERED")
                if not any(code in str(failure) for code in waiting) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def register_party(self, alias, role, name, code):
        """Keys made with the real command, a certificate from the check's own CA, registered
        once at the hub (一地注册) with a signature of its key."""
        key = os.path.join(self.work, alias)
        self.zhaocai("keys", "generate", "--out", key, "--id", code)
        signing = zhaocai_keys.signer(key + ".key")
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(x509.ObjectIdentifier("2.5.4.97"), code)])
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(self.ca_name)
            .public_key(signing.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=False)
            .sign(self.ca_key, hashes.SHA256()))
        pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
        with open(key + ".pem", "w") as out:
            out.write(pem)
        statement = f"zhaocai-party-registration v1\n{code}\n{name}".encode()
        self.call("POST", "/api/v1/parties", {
            "name": name, "certificate": pem,
            "signature": base64.b64encode(signing.sign(statement)).decode()}, base=self.hub)
        self.parties[alias] = (key, role)
        return key

    def trust_authority(self):
        """The check's CA, recognised at the hub by its administrator (CA 互认)."""
        self.ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca_name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "集群检查数字证书认证中心"),
            x509.NameAttribute(NameOID.COMMON_NAME, "集群检查数字证书认证中心 Root CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        root = (
            x509.CertificateBuilder().subject_name(self.ca_name).issuer_name(self.ca_name)
            .public_key(self.ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=365))
            .not_valid_after(now + datetime.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=False)
            .sign(self.ca_key, hashes.SHA256()))
        token = open(os.path.join(self.work, "hub", "hub-admin.token")).read().strip()
        self.call("POST", "/api/v1/trust/authorities", {
            "id": "cluster-check-ca", "name": "集群检查数字证书认证中心",
            "certificate": root.public_bytes(serialization.Encoding.PEM).decode()},
            token=token, base=self.hub)

    def now(self):
        return self.call("GET", "/api/v1/sandbox/clock")["nowSeconds"]

    def advance(self, seconds):
        self.call("POST", "/api/v1/sandbox/clock", {"advanceSeconds": seconds},
                  token=self.sandbox_token)

    def zhaocai(self, *arguments, environment=None):
        result = subprocess.run([self.args.binary, *arguments], capture_output=True, text=True,
                                env={**os.environ, **(environment or {})}, timeout=300)
        if result.returncode != 0:
            raise Failed(f"zhaocai {' '.join(arguments)} exited {result.returncode}: "
                         f"{result.stderr.strip()[-600:]}")
        return result.stdout

    # Nodes -------------------------------------------------------------------------------------
    def log_of(self, name):
        return os.path.join(self.work, f"{name}.out")

    def kill(self, name):
        _, pid = self.nodes[name]
        os.kill(pid, signal.SIGKILL)
        with open(os.path.join(self.work, "killed.pids"), "a") as killed:
            killed.write(f"{pid}\n")
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass  # started by the shell: it reaps it

    def restart(self, name):
        port, _ = self.nodes[name]
        log = open(self.log_of(name), "a")
        process = subprocess.Popen(
            [self.args.binary, "serve", "trading", "--config", self.args.config],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ZHAOCAI_HTTP_PORT": str(port)})
        self.nodes[name] = (port, process.pid)
        with open(os.path.join(self.work, "extra.pids"), "a") as pids:
            pids.write(f"{process.pid}\n")
        self.wait_for_line(name, "Serving;", after=os.path.getsize(self.log_of(name)) - 0, start=True)
        self.wait_in_rotation(port)

    def wait_in_rotation(self, port, seconds=30):
        """nginx sends requests to the restarted node again (after its fail_timeout)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            request = urllib.request.Request(self.front + "/health/ready")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.headers.get("X-Upstream", "").endswith(f":{port}"):
                        return
            except urllib.error.URLError:
                pass
            time.sleep(0.1)
        raise Failed(f"nginx did not send requests to the node on {port} again within {seconds} s")

    def wait_for_line(self, name, text, after=0, start=False, seconds=60):
        """The node's log gains `text` (read as the node writes it); fails after `seconds`."""
        deadline = time.monotonic() + seconds
        path = self.log_of(name)
        offset = 0 if start else after
        while time.monotonic() < deadline:
            with open(path, "rb") as log:
                log.seek(offset)
                if text.encode() in log.read():
                    return
            time.sleep(0.02)
        raise Failed(f"no '{text}' in {path} within {seconds} s")

    # The tender --------------------------------------------------------------------------------
    def run(self):
        admin = self.call("POST", "/api/v1/sessions",
                          {"account": "admin", "password": self.args.admin_password})["token"]
        holders = []
        for name in ("cl-holder-1", "cl-holder-2"):
            self.zhaocai("keys", "generate", "--out", os.path.join(self.work, name))
            self.call("POST", "/api/v1/accounts", {
                "id": name, "password": PASSWORD, "role": "keyHolder", "name": name,
                "creditCode": credit_code("12350000MB0000001")}, token=admin)
            public = dict(line.split(": ", 1) for line in
                          open(os.path.join(self.work, name + ".pub")).read().splitlines()[1:])
            holders.append({"name": name, "suite": public["suite"],
                            "sealingKey": public["sealing"].split(" ")[1]})
        self.trust_authority()
        self.register_party("cl-tenderer", "tenderer", "福州市集群检查学校",
                            credit_code("12350100MB0000012"))
        tenderer = self.sign_in("cl-tenderer")
        self.call("POST", "/api/v1/sections", {
            "sectionID": SECTION, "name": "集群检查工程 第1标段", "estimateFen": 1_000_000_000,
            "bidBondFen": 0, "procedure": "open", "evaluationMethod": "lowestEvaluatedPrice",
            "industry": "住建", "region": "350100", "stateFunded": True, "project": "集群检查工程"},
            token=tenderer)
        self.call("PUT", f"/api/v1/sections/{SECTION}/documents/tender-documents.pdf",
                  raw="集群检查工程 招标文件".encode(), token=tenderer)
        today = datetime.datetime.fromtimestamp(self.now(), BEIJING).date()

        def at(days, hour, minute=0):
            day = today + datetime.timedelta(days=days)
            return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)

        deadline = at(28, 9, 30)
        self.call("POST", f"/api/v1/sections/{SECTION}/publication", {
            "saleEndsAt": at(8, 17).isoformat(), "bidDeadline": deadline.isoformat(),
            "keyHolders": holders, "threshold": 2}, token=tenderer)

        # Three bidders seal on their machines with the real commands.
        envelopes = {}
        for account, name, first17, price in BIDDERS:
            code = credit_code(first17)
            key = self.register_party(account, "bidder", name, code)
            token = self.sign_in(account)
            self.call("GET", f"/api/v1/sections/{SECTION}/documents/versions/1", token=token)
            document = key + "-technical.bin"
            with open(document, "wb") as out:
                out.write(os.urandom(self.args.bid_mib * 1024 * 1024))
            self.zhaocai("bid", "bundle", "--section", SECTION, "--price", price,
                         "--duration-days", "360", "--project-manager", "闽135060812345",
                         "--bidder", code, "--bidder-name", name, "--file", document,
                         "--out", key + ".bundle")
            sealed_hash = self.zhaocai("bid", "seal", "--section", SECTION, "--platform", self.front,
                         "--signer", key + ".key", "--bidder", code, "--in", key + ".bundle",
                         "--out", key + ".sealed")
            envelopes[code] = (account, key + ".sealed", price, sealed_hash.strip())

        codes = list(envelopes)
        for code in codes[:2]:
            self.upload(code, *envelopes[code][:2], envelopes[code][3])
        # The third bidder's upload: node A dies while a part is on its way to it.
        self.upload(codes[2], *envelopes[codes[2]][:2], envelopes[codes[2]][3], kill_mid_part=True)
        print("cluster-check: node A killed mid-upload; the upload resumed through nginx on node B")
        self.restart("a")

        # The deadline: bidding closes; the holders release; a node dies mid-opening.
        self.advance(int(deadline.timestamp()) - self.now())
        section = self.call("GET", f"/api/v1/sections/{SECTION}", token=self.sign_in("cl-tenderer"))
        if section["phase"] != "opening":
            raise Failed(f"bidding did not close at the deadline: phase {section['phase']}")
        offsets = {name: os.path.getsize(self.log_of(name)) for name in self.nodes}
        for holder in ("cl-holder-1", "cl-holder-2"):
            self.zhaocai("holder", "release", "--platform", self.front + "/api/v1",
                         "--section", SECTION, "--name", holder,
                         "--key", os.path.join(self.work, holder + ".key"),
                         environment={"ZHAOCAI_PASSWORD": PASSWORD})
        victim = self.first_to_start_opening(offsets)
        self.kill(victim)
        with open(self.log_of(victim), "rb") as log:
            log.seek(offsets[victim])
            if b"opening published" in log.read():
                raise Failed(f"node {victim} finished the opening before it was killed")
        print(f"cluster-check: node {victim.upper()} killed mid-opening")
        survivor = next(name for name in self.nodes if name != victim)
        self.wait_for_line(survivor, "opening published", after=offsets[survivor])
        self.restart(victim)
        self.check(envelopes)

    def upload(self, code, account, path, sealed_hash, kill_mid_part=False):
        token = self.sign_in(account)
        size = os.path.getsize(path)
        base = f"/api/v1/sections/{SECTION}/bids/{code}/uploads"
        started = self.call("POST", base, raw=b"", token=token)
        upload = started["id"]
        with open(path, "rb") as envelope:
            content = envelope.read()
        offset = 0
        killed = False
        while offset < size:
            part = content[offset:offset + PART]
            if kill_mid_part and not killed and offset > 0:
                self.half_part_then_kill(f"{base}/{upload}/parts/{offset}", part, token)
                killed = True
                state = self.call("GET", f"{base}/{upload}", token=token)
                if state["offset"] != offset:
                    raise Failed(f"after the kill the upload holds {state['offset']} bytes, "
                                 f"not the {offset} sent whole before it")
                continue
            self.call("PUT", f"{base}/{upload}/parts/{offset}", raw=part, token=token)
            offset += len(part)
        if kill_mid_part and not killed:
            raise Failed("the envelope is one part: make --bid-mib larger than 4")
        receipt = self.call("POST", f"{base}/{upload}/completion", token=token)
        # The receipt's log entry names the envelope the platform holds: the one sealed.
        entry = json.loads(base64.b64decode(receipt["entry"]))
        received = entry["event"]["bidReceived"]
        if received["envelopeHash"] != sealed_hash:
            raise Failed(f"the receipt names another envelope than {sealed_hash}: {entry}")
        # The first version: the part cut off by the kill recorded nothing of its own.
        if received["version"] != 1:
            raise Failed(f"the bid was recorded {received['version']} times")

    def half_part_then_kill(self, path, part, token):
        """Sends half of a part straight to node A, then kills A: the connection dies mid-body."""
        port, _ = self.nodes["a"]
        connection = socket.create_connection(("127.0.0.1", port), timeout=30)
        head = (f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {len(part)}\r\n\r\n").encode()
        connection.sendall(head + part[:len(part) // 2])
        self.kill("a")
        try:
            connection.sendall(part[len(part) // 2:])
            answer = connection.recv(100)
        except OSError:
            answer = b""
        connection.close()
        if answer:
            raise Failed(f"node A answered a part it never received whole: {answer!r}")

    def first_to_start_opening(self, offsets):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for name in self.nodes:
                with open(self.log_of(name), "rb") as log:
                    log.seek(offsets[name])
                    if b"opening started" in log.read():
                        return name
            time.sleep(0.01)
        raise Failed("no node started the opening within 60 s of the holders' release")

    # What must hold afterwards -----------------------------------------------------------------
    def check(self, envelopes):
        tenderer = self.sign_in("cl-tenderer")
        record = self.call("GET", f"/api/v1/sections/{SECTION}/opening/record", token=tenderer)
        entries = record if isinstance(record, list) else record.get("entries", [])
        opened = {entry["bidder"]: entry.get("priceFen") for entry in entries}
        expected = {code: round(float(price) * 100) for code, (_, _, price, _) in envelopes.items()}
        if len(entries) != len(opened) or opened != expected:
            raise Failed(f"the opening record is not every bid once at its price: {entries}")
        published = sum(open(self.log_of(name), "rb").read().count(b"opening published")
                        for name in self.nodes)
        if published != 1:
            raise Failed(f"the nodes published the opening {published} times")
        print(f"cluster-check: one opening record, {len(entries)} bids each opened once at its price")
        # The hub: one notice per event, relayed once although two nodes relay and both were
        # killed once each.
        hub = self.hub
        deadline = time.monotonic() + 60
        while True:
            notices = self.call("GET", "/api/v1/notices?platform=trading.fz&limit=1000", base=hub)
            kinds = [notice["kind"] for notice in notices if notice["section"] == SECTION]
            if kinds or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if kinds != ["tenderNotice"]:
            raise Failed(f"the hub's notices of {SECTION}: {kinds}, not one tender notice")
        print(f"cluster-check: the hub holds one notice per event ({', '.join(kinds)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--front", type=int, required=True)
    parser.add_argument("--hub", type=int, required=True)
    parser.add_argument("--node", action="append", required=True, help="name:port:pid")
    parser.add_argument("--admin-password", required=True)
    parser.add_argument("--sandbox-token", required=True)
    parser.add_argument("--bid-mib", type=int, default=12)
    try:
        Cluster(parser.parse_args()).run()
    except Failed as failure:
        print(f"cluster-check: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
