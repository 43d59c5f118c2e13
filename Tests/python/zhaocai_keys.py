"""Signing with a `zhaocai keys generate` key file, as a client does (docs/ENVELOPE.md, "Key
files"): the PKCS#8 PEM form (`zhaocai-private-key v2`, the signing key's block first) or the
earlier line form (`v1`). Ed25519 and ECDSA P-256 (signatures as raw r ‖ s, as the platform and
WebCrypto write them). Shared by the browser walk and the schemathesis runs; test tooling only."""

import base64

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


class Signer:
    """Signs bytes with a key file's signing key."""

    def __init__(self, key):
        self.key = key

    def sign(self, message):
        if isinstance(self.key, Ed25519PrivateKey):
            return self.key.sign(message)
        r, s = decode_dss_signature(self.key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def signer(path):
    """The signer of the key file at `path`; raises ValueError for what it cannot use."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    lines = [line.strip() for line in text.splitlines()]
    if lines and lines[0] == "zhaocai-private-key v2":
        begin = lines.index("-----BEGIN PRIVATE KEY-----")
        end = lines.index("-----END PRIVATE KEY-----", begin)
        block = "\n".join(lines[begin:end + 1]) + "\n"
        return Signer(serialization.load_pem_private_key(block.encode(), password=None))
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == "signing":
            algorithm, encoded = value.split()
            raw = base64.b64decode(encoded)
            if algorithm == "ed25519":
                return Signer(Ed25519PrivateKey.from_private_bytes(raw))
            if algorithm == "p256":
                return Signer(ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1()))
            raise ValueError(f"{path}: signs with {algorithm}")
    raise ValueError(f"{path} is not a zhaocai key file")
