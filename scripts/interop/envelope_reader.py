#!/usr/bin/env python3
"""An independent reader of sealed envelopes, written from docs/ENVELOPE.md alone (suite 1).

Test tooling, not product: it proves the document specifies enough to interoperate.
Usage: envelope_reader.py ENVELOPE SIGNER.pub BID_KEY_HEX OUT
Checks structure, the key commitment, every segment and the bidder's signature, writes the
plaintext to OUT and prints the envelope hash as sha256:HEX. Exits 1 on any defect.
"""
import base64
import hashlib
import struct
import sys

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def fail(message):
    print(f"envelope_reader: {message}", file=sys.stderr)
    sys.exit(1)


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if self.at + n > len(self.data):
            fail("truncated")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def field(self):
        return self.take(self.u16())


def main(path, signer_path, key_hex, out_path):
    data = open(path, "rb").read()
    key = bytes.fromhex(key_hex)
    signer_line = [l for l in open(signer_path).read().splitlines() if l.startswith("signing:")][0]
    signer_alg, signer_b64 = signer_line.split()[1:3]
    signer_raw = base64.b64decode(signer_b64)

    r = Reader(data)
    if r.take(6) != b"ZCSEAL" or r.u8() != 1 or r.u8() != 1:
        fail("not a version 1 standard-suite envelope")
    body = Reader(r.take(r.u32()))
    if body.u32() != 65536:
        fail("segment size")
    opening_time = body.i64()
    section, bidder = body.field(), body.field()
    algorithm, signer_key = body.u8(), body.field()
    threshold, count = body.u8(), body.u8()
    commitment = body.take(32)
    for _ in range(count):
        body.take(32), body.u8(), body.take(32), body.field(), body.field()
    if body.at != len(body.data) or not 2 <= threshold <= count <= 16:
        fail("header")
    if signer_key != signer_raw:
        fail("signed by another key")
    if hashlib.sha256(b"zhaocai-envelope-v1 key-commitment" + key).digest() != commitment:
        fail("bid key does not match the commitment")

    ad = b"ZCSEAL" + bytes([1]) + struct.pack(">H", len(section)) + section
    ad += struct.pack(">H", len(bidder)) + bidder + struct.pack(">q", opening_time)
    aead = AESGCM(key)
    plaintext, position, last = bytearray(), 0, False
    while True:
        frame_start = r.at
        kind = r.u8()
        if kind == 0x53:
            if not last:
                fail("truncated")
            envelope_hash = hashlib.sha256(data[:frame_start]).digest()
            signature = r.field()
            if r.at != len(data):
                fail("trailing data")
            break
        if last or kind not in (0, 1):
            fail("malformed or misplaced segment")
        counter, length = r.u32(), r.u32()
        ciphertext, tag = r.take(length), r.take(16)
        if counter != position:
            fail("segments reordered or dropped")
        last = kind == 1
        nonce = bytes(7) + struct.pack(">I", counter) + bytes([1 if last else 0])
        try:
            plaintext += aead.decrypt(nonce, ciphertext + tag, ad)
        except InvalidTag:
            fail(f"segment {position} fails authentication")
        position += 1

    message = b"zhaocai-envelope-v1 signature" + envelope_hash
    try:
        if algorithm == 1:
            ed25519.Ed25519PublicKey.from_public_bytes(signer_key).verify(signature, message)
        elif algorithm == 2:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), signer_key)
            der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            public.verify(der, message, ec.ECDSA(hashes.SHA256()))
        else:
            fail("signature algorithm")
    except InvalidSignature:
        fail("signature invalid")
    open(out_path, "wb").write(plaintext)
    print("sha256:" + envelope_hash.hex())


if __name__ == "__main__":
    if len(sys.argv) != 5:
        fail(__doc__)
    main(*sys.argv[1:])
