// A party's zhaocai key file read in the browser: its signing key imported into WebCrypto as
// non-extractable, never sent anywhere. The file is PKCS#8 PEM (`zhaocai-private-key v2`, as
// `zhaocai keys generate` writes it: the signing key's block first); the earlier line form
// (`v1`) is still read. Ed25519 and ECDSA P-256 keys sign here; SM2 needs the command line.
"use strict";
(function () {
  const subtle = crypto.subtle;
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // The prefixes docs/ENVELOPE.md gives for PKCS#8 (RFC 8410 and RFC 5915 with the point).
  const ed25519Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
    0x04, 0x22, 0x04, 0x20];
  const p256Prefix = [0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
  const sm2Curve = [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d];
  const startsWith = (bytes, prefix) => prefix.every((value, at) => bytes[at] === value);
  const includes = (bytes, part) => bytes.some((_, at) => startsWith(bytes.subarray(at), part));

  const algorithms = {
    ed25519: { import: { name: "Ed25519" }, sign: { name: "Ed25519" }, code: 1 },
    p256: {
      import: { name: "ECDSA", namedCurve: "P-256" },
      sign: { name: "ECDSA", hash: "SHA-256" },
      code: 2,
    },
  };

  /// Why a file could not be used: "key" (not a key file), "algorithm" (SM2 or unknown).
  class KeyFileProblem extends Error {
    constructor(kind) { super(kind); this.kind = kind; }
  }

  // The signing key's PKCS#8 bytes and algorithm name, from either form of the file.
  function signingKeyInfo(text) {
    const lines = text.split(/\r?\n/).map((line) => line.trim());
    if (lines[0] === "zhaocai-private-key v2") {
      const begin = lines.indexOf("-----BEGIN PRIVATE KEY-----");
      const end = lines.indexOf("-----END PRIVATE KEY-----", begin + 1);
      if (begin < 0 || end < 0) throw new KeyFileProblem("key");
      const der = fromBase64(lines.slice(begin + 1, end).join(""));
      if (der.length === 48 && startsWith(der, ed25519Prefix)) return { name: "ed25519", der };
      if (der.length === 138 && startsWith(der, p256Prefix)) return { name: "p256", der };
      if (includes(der.subarray(0, 30), sm2Curve)) throw new KeyFileProblem("algorithm");
      throw new KeyFileProblem("key");
    }
    const signing = lines.find((line) => line.startsWith("signing:"));
    if (lines[0] !== "zhaocai-private-key v1" || !signing) throw new KeyFileProblem("key");
    const [, name, value] = signing.split(/\s+/);
    if (name !== "ed25519") throw new KeyFileProblem("algorithm");
    const seed = fromBase64(value);
    if (seed.length !== 32) throw new KeyFileProblem("key");
    return { name, der: new Uint8Array([...ed25519Prefix, ...seed]) };
  }

  /// The signer of a key file: `{ name, code, key, sign(bytes) }`; `code` is the envelope's
  /// signature algorithm byte (docs/ENVELOPE.md).
  async function read(file) {
    if (!file || file.size > 65536) throw new KeyFileProblem("key");
    let info;
    try {
      info = signingKeyInfo(await file.text());
    } catch (error) {
      throw error instanceof KeyFileProblem ? error : new KeyFileProblem("key");
    }
    const algorithm = algorithms[info.name];
    let key;
    try {
      key = await subtle.importKey("pkcs8", info.der, algorithm.import, false, ["sign"]);
    } catch (error) {
      throw new KeyFileProblem("key");
    } finally {
      info.der.fill(0);
    }
    return {
      name: info.name, code: algorithm.code, key,
      sign: async (bytes) => new Uint8Array(await subtle.sign(algorithm.sign, key, bytes)),
      // A registered raw public key (Ed25519 32 bytes, P-256 the 65-byte point) to check with.
      verifier: (raw) => subtle.importKey("raw", raw, algorithm.import, false, ["verify"]),
      verify: (verifier, signature, bytes) => subtle.verify(algorithm.sign, verifier, signature, bytes),
    };
  }

  // The sealing key (X25519) of a key file, for a key holder opening its shares in the page.
  const x25519Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e,
    0x04, 0x22, 0x04, 0x20];
  async function readSealing(file) {
    if (!file || file.size > 65536) throw new KeyFileProblem("key");
    const lines = (await file.text()).split(/\r?\n/).map((line) => line.trim());
    let der = null;
    if (lines[0] === "zhaocai-private-key v2") {
      const begins = lines.flatMap((line, at) => line === "-----BEGIN PRIVATE KEY-----" ? [at] : []);
      if (begins.length !== 2) throw new KeyFileProblem("key");
      const end = lines.indexOf("-----END PRIVATE KEY-----", begins[1]);
      if (end < 0) throw new KeyFileProblem("key");
      der = fromBase64(lines.slice(begins[1] + 1, end).join(""));
    } else if (lines[0] === "zhaocai-private-key v1") {
      const sealing = lines.find((line) => line.startsWith("sealing:"));
      const [, name, value] = (sealing || "").split(/\s+/);
      if (name !== "x25519") throw new KeyFileProblem(name === "sm2" ? "algorithm" : "key");
      const raw = fromBase64(value);
      if (raw.length !== 32) throw new KeyFileProblem("key");
      der = new Uint8Array([...x25519Prefix, ...raw]);
    } else {
      throw new KeyFileProblem("key");
    }
    if (der.length !== 48 || !startsWith(der, x25519Prefix)) throw new KeyFileProblem("algorithm");
    try {
      return await subtle.importKey("pkcs8", der, { name: "X25519" }, false, ["deriveBits"]);
    } catch (error) {
      throw new KeyFileProblem("key");
    } finally {
      der.fill(0);
    }
  }

  globalThis.zhaocaiKeyFile = { read, readSealing, KeyFileProblem };
})();
