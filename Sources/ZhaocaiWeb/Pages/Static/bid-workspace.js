// The bidder's workspace (投标人工作台): the bid bundle made and sealed in this browser, exactly as
// docs/BID-BUNDLE.md and docs/ENVELOPE.md (suite 1) say — HPKE to the notice's key holders, a
// Shamir split of a fresh bid key, AES-256-GCM segments, the bidder's Ed25519 or P-256 signature — then
// uploaded with progress, and the receipt checked against the platform's signed checkpoint. The
// key file is read here and never sent; the platform receives only the envelope.
"use strict";
(function () {
  const subtle = crypto.subtle;
  const utf8 = (text) => new TextEncoder().encode(text);
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  };
  const be = (value, bytes) => {
    const out = new Uint8Array(bytes);
    let v = BigInt(value);
    for (let i = bytes - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
    return out;
  };
  const field = (bytes) => concat(be(bytes.length, 2), bytes);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const toBase64 = (bytes) => {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const sha256 = async (bytes) => new Uint8Array(await subtle.digest("SHA-256", bytes));
  const random = (count) => crypto.getRandomValues(new Uint8Array(count));

  // MARK: HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (RFC 9180).
  const hmac = async (key, message) => {
    const imported = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false,
      ["sign"]);
    return new Uint8Array(await subtle.sign("HMAC", imported, message));
  };
  const kemSuite = concat(utf8("KEM"), be(0x0020, 2));
  const hpkeSuite = concat(utf8("HPKE"), be(0x0020, 2), be(0x0001, 2), be(0x0002, 2));
  const labeledExtract = (suite, salt, label, ikm) =>
    hmac(salt.length ? salt : new Uint8Array(32), concat(utf8("HPKE-v1"), suite, utf8(label), ikm));
  const labeledExpand = async (suite, prk, label, info, length) => {
    const block = await hmac(prk,
      concat(be(length, 2), utf8("HPKE-v1"), suite, utf8(label), info, new Uint8Array([1])));
    return block.subarray(0, length);
  };
  // The KEM's shared secret from the X25519 output, then base mode's key and nonce (RFC 9180
  // §4.1, §5.1), the same for the sender and the receiver.
  async function keySchedule(dh, enc, recipient, info) {
    const prk = await labeledExtract(kemSuite, new Uint8Array(), "eae_prk", dh);
    const shared = await labeledExpand(kemSuite, prk, "shared_secret", concat(enc, recipient), 32);
    const pskIDHash = await labeledExtract(hpkeSuite, new Uint8Array(), "psk_id_hash", new Uint8Array());
    const infoHash = await labeledExtract(hpkeSuite, new Uint8Array(), "info_hash", info);
    const context = concat(new Uint8Array([0]), pskIDHash, infoHash);
    const secret = await labeledExtract(hpkeSuite, shared, "secret", new Uint8Array());
    return {
      key: await labeledExpand(hpkeSuite, secret, "key", context, 32),
      nonce: await labeledExpand(hpkeSuite, secret, "base_nonce", context, 12),
    };
  }

  async function hpkeSeal(recipient, info, aad, plaintext) {
    const pkR = await subtle.importKey("raw", recipient, { name: "X25519" }, true, []);
    const ephemeral = await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
    const enc = new Uint8Array(await subtle.exportKey("raw", ephemeral.publicKey));
    const dh = new Uint8Array(
      await subtle.deriveBits({ name: "X25519", public: pkR }, ephemeral.privateKey, 256));
    const { key, nonce } = await keySchedule(dh, enc, recipient, info);
    const aes = await subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
    const sealed = new Uint8Array(
      await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, aes, plaintext));
    return { enc, sealed };
  }

  // The receiver's side, for a key holder releasing its share in its browser.
  async function hpkeOpen(privateKey, recipient, enc, info, aad, sealed) {
    const pkE = await subtle.importKey("raw", enc, { name: "X25519" }, true, []);
    const dh = new Uint8Array(await subtle.deriveBits({ name: "X25519", public: pkE }, privateKey, 256));
    const { key, nonce } = await keySchedule(dh, enc, recipient, info);
    const aes = await subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
    return new Uint8Array(
      await subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, aes, sealed));
  }

  // An envelope's header (docs/ENVELOPE.md), from its first bytes; null until they are all
  // there, and an error when they are not a suite 1 envelope's.
  function readHeader(bytes) {
    if (bytes.length < 12) return null;
    const magic = utf8("ZCSEAL");
    if (magic.some((b, i) => bytes[i] !== b) || bytes[6] !== 1 || bytes[7] !== 1) {
      throw new Error("not a suite 1 envelope");
    }
    const length = ((bytes[8] << 24) | (bytes[9] << 16) | (bytes[10] << 8) | bytes[11]) >>> 0;
    if (length > (1 << 20)) throw new Error("header too long");
    if (bytes.length < 12 + length) return null;
    const body = bytes.subarray(12, 12 + length);
    let at = 0;
    const take = (count) => {
      if (at + count > body.length) throw new Error("header cut short");
      const part = body.subarray(at, at + count);
      at += count;
      return part;
    };
    const u16 = () => { const b = take(2); return (b[0] << 8) | b[1]; };
    const takeField = () => take(u16());
    take(4);
    const opening = take(8);
    const section = takeField();
    const bidder = takeField();
    take(1);
    takeField();
    const threshold = take(1)[0];
    const count = take(1)[0];
    const keyCommitment = take(32);
    const holders = [];
    for (let j = 0; j < count; j++) {
      holders.push({ keyID: take(32), x: take(1)[0], commitment: take(32), enc: takeField(), sealed: takeField() });
    }
    if (at !== body.length) throw new Error("header has trailing bytes");
    return { opening, section, bidder, threshold, keyCommitment, holders };
  }

  // The holder's share of one envelope: its entry found by the holder's key id, opened with
  // the holder's key, and checked against the share's commitment before it goes anywhere.
  async function openShare(header, privateKey, publicKey) {
    const keyID = await sha256(concat(utf8("zhaocai-envelope-v1 holder-key"), publicKey));
    const entry = header.holders.find((h) => hex(h.keyID) === hex(keyID));
    if (!entry) throw new Error("this envelope holds no share for this key");
    const info = concat(utf8("zhaocai-envelope-v1 share"), field(header.section), field(header.bidder),
      header.opening, header.keyCommitment);
    const y = await hpkeOpen(privateKey, publicKey, entry.enc, info,
      concat(keyID, new Uint8Array([entry.x])), entry.sealed);
    const commitment = await sha256(
      concat(utf8("zhaocai-envelope-v1 share-commitment"), new Uint8Array([entry.x]), y));
    if (hex(commitment) !== hex(entry.commitment)) throw new Error("the share does not match its commitment");
    return { x: entry.x, y: toBase64(y) };
  }

  // MARK: Shamir over GF(2^8) with the AES polynomial, without secret-indexed tables.
  const gfMul = (a, b) => {
    let product = 0;
    for (let i = 0; i < 8; i++) {
      product ^= -(b & 1) & a;
      const carry = -((a >> 7) & 1) & 0x1b;
      a = ((a << 1) ^ carry) & 0xff;
      b >>= 1;
    }
    return product & 0xff;
  };
  function split(secret, threshold, count) {
    const coefficients = Array.from({ length: secret.length }, () => random(threshold - 1));
    return Array.from({ length: count }, (_, j) => {
      const x = j + 1;
      const y = new Uint8Array(secret.length);
      for (let i = 0; i < secret.length; i++) {
        let value = 0;
        let power = 1;
        value ^= secret[i];
        for (const a of coefficients[i]) { power = gfMul(power, x); value ^= gfMul(a, power); }
        y[i] = value;
      }
      return { x, y };
    });
  }

  // MARK: The bid bundle (docs/BID-BUNDLE.md).
  const bundleMagic = utf8("ZCBUNDLE");
  async function makeBundle(manifest, files) {
    manifest.documents = [];
    for (const file of files) {
      manifest.documents.push({
        name: file.name, size: file.size,
        sha256: hex(await sha256(new Uint8Array(await file.arrayBuffer()))),
      });
    }
    const json = utf8(JSON.stringify(manifest));
    const parts = [bundleMagic, new Uint8Array([1]), be(json.length, 4), json];
    for (const file of files) {
      const name = utf8(file.name);
      parts.push(be(name.length, 2), name, be(file.size, 8), file);
    }
    return new Blob(parts);
  }
  // A prepared bundle's manifest, or null when the file is not a version 1 bundle.
  async function bundleManifest(blob) {
    const head = new Uint8Array(await blob.slice(0, 13).arrayBuffer());
    if (head.length < 13 || bundleMagic.some((b, i) => head[i] !== b) || head[8] !== 1) return null;
    const length = ((head[9] << 24) | (head[10] << 16) | (head[11] << 8) | head[12]) >>> 0;
    if (length > (1 << 20) || blob.size < 13 + length) return null;
    try {
      const manifest = JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(await blob.slice(13, 13 + length).arrayBuffer()));
      return manifest && manifest.format === "zhaocai-bid-bundle-v1" ? manifest : null;
    } catch (error) { return null; }
  }

  // MARK: The envelope (docs/ENVELOPE.md, suite 1, signed with Ed25519 or ECDSA P-256).
  const segmentSize = 65536;
  async function seal(plaintext, notice, signer, progress) {
    const section = utf8(notice.section);
    const bidder = utf8(notice.bidder);
    const opening = be(notice.openingTime, 8);
    const key = random(32);
    const keyCommitment = await sha256(concat(utf8("zhaocai-envelope-v1 key-commitment"), key));
    const shares = split(key, notice.threshold, notice.holders.length);
    const info = concat(utf8("zhaocai-envelope-v1 share"), field(section), field(bidder), opening,
      keyCommitment);
    const entries = [];
    for (let j = 0; j < notice.holders.length; j++) {
      const holderKey = fromBase64(notice.holders[j].sealingKey);
      const keyID = await sha256(concat(utf8("zhaocai-envelope-v1 holder-key"), holderKey));
      const { x, y } = shares[j];
      const commitment = await sha256(
        concat(utf8("zhaocai-envelope-v1 share-commitment"), new Uint8Array([x]), y));
      const { enc, sealed } = await hpkeSeal(holderKey, info, concat(keyID, new Uint8Array([x])), y);
      entries.push(concat(keyID, new Uint8Array([x]), commitment, field(enc), field(sealed)));
    }
    const body = concat(be(segmentSize, 4), opening, field(section), field(bidder),
      new Uint8Array([signer.code]), field(signer.publicKey), new Uint8Array([notice.threshold]),
      new Uint8Array([notice.holders.length]), keyCommitment, ...entries);
    const parts = [concat(utf8("ZCSEAL"), new Uint8Array([1, 1]), be(body.length, 4), body)];
    const ad = concat(utf8("ZCSEAL"), new Uint8Array([1]), field(section), field(bidder), opening);
    const aes = await subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
    const count = Math.max(1, Math.ceil(plaintext.size / segmentSize));
    for (let c = 0; c < count; c++) {
      const last = c === count - 1 ? 1 : 0;
      const chunk = new Uint8Array(
        await plaintext.slice(c * segmentSize, (c + 1) * segmentSize).arrayBuffer());
      const nonce = concat(new Uint8Array(7), be(c, 4), new Uint8Array([last]));
      const sealed = new Uint8Array(
        await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: ad }, aes, chunk));
      parts.push(concat(new Uint8Array([last]), be(c, 4), be(chunk.length, 4)), sealed);
      if (c % 64 === 0) progress(c / count);
    }
    key.fill(0);
    const hash = await sha256(new Uint8Array(await new Blob(parts).arrayBuffer()));
    const signature = await signer.sign(concat(utf8("zhaocai-envelope-v1 signature"), hash));
    parts.push(new Uint8Array([0x53]), field(signature));
    return { envelope: new Blob(parts, { type: "application/octet-stream" }), hash: "sha256:" + hex(hash) };
  }

  // The bidder's key from its key file (key-file.js), kept non-extractable; the header names the
  // signing key registered for the bidder, and the key file must be its private half (checked
  // by a test signature).
  async function signerFrom(file, registered) {
    let signer;
    try {
      signer = await zhaocaiKeyFile.read(file);
    } catch (error) {
      throw new Problem(error.kind === "algorithm" ? "algorithm" : "key");
    }
    const publicKey = fromBase64(registered);
    const probe = utf8("zhaocai-key-check");
    let matches = false;
    try {
      const verifier = await signer.verifier(publicKey);
      matches = await signer.verify(verifier, await signer.sign(probe), probe);
    } catch (error) { matches = false; }
    if (!matches) throw new Problem("otherKey");
    return { ...signer, publicKey };
  }

  // MARK: The receipt: the checkpoint's signature by the log key, and the entry's inclusion.
  async function verifyReceipt(receipt, verifierKey, envelopeHash) {
    // name+hash+base64, and the base64 may itself hold "+".
    const first = verifierKey.indexOf("+");
    const second = verifierKey.indexOf("+", first + 1);
    const name = verifierKey.slice(0, first);
    const keyHashHex = verifierKey.slice(first + 1, second);
    const keyBase64 = verifierKey.slice(second + 1);
    const keyBytes = fromBase64(keyBase64);
    const publicKey = await subtle.importKey("raw", keyBytes.subarray(1), { name: "Ed25519" }, false,
      ["verify"]);
    const note = receipt.checkpoint;
    const split = note.lastIndexOf("\n\n");
    const body = note.slice(0, split + 1);
    const signatureLine = note.slice(split + 2).split("\n").find((line) =>
      line.startsWith("\u2014 " + name + " "));
    if (!signatureLine) return false;
    const blob = fromBase64(signatureLine.split(" ")[2]);
    if (hex(blob.subarray(0, 4)) !== keyHashHex) return false;
    if (!(await subtle.verify({ name: "Ed25519" }, publicKey, blob.subarray(4), utf8(body)))) {
      return false;
    }
    const [, sizeText, rootText] = body.split("\n");
    const size = BigInt(sizeText);
    const entry = fromBase64(receipt.entry);
    if (!new TextDecoder().decode(entry).includes(envelopeHash)) return false;
    let hash = await sha256(concat(new Uint8Array([0]), entry));
    let fn = BigInt(receipt.index);
    let sn = size - 1n;
    if (fn >= size) return false;
    for (const item of receipt.proof) {
      const p = fromBase64(item);
      if (sn === 0n) return false;
      if ((fn & 1n) === 1n || fn === sn) {
        hash = await sha256(concat(new Uint8Array([1]), p, hash));
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        hash = await sha256(concat(new Uint8Array([1]), hash, p));
      }
      fn >>= 1n; sn >>= 1n;
    }
    return sn === 0n && toBase64(hash) === rootText;
  }

  // MARK: The page.
  function Problem(kind, detail) { this.kind = kind; this.detail = detail || ""; }
  // What the page seals with, also for the browser tests and the sealing benchmark.
  globalThis.zhaocaiEnvelope = {
    seal, makeBundle, bundleManifest, verifyReceipt, signerFrom, readHeader, openShare,
  };
  const form = typeof document === "undefined" ? null : document.getElementById("bid-form");
  if (!form) return;
  const data = form.dataset;
  const words = {
    key: "请选择您的密钥文件（.key）。Choose your key file (.key).",
    otherKey: "该密钥文件不是您登录所用证书的密钥。This key file is not the key of your certificate.",
    algorithm: "浏览器加密支持 Ed25519 与 ECDSA P-256 密钥；SM2 密钥请使用 zhaocai 命令行。Use the command line for SM2 keys.",
    notBundle: "所选文件不是投标文件包（.zcb），不能加密。This file is not a bid bundle: it cannot be sealed (docs/BID-BUNDLE.md).",
    otherSection: "该投标文件包属于其他标段，开标时将无法开启。The bundle is for another section.",
    otherBidder: "该投标文件包中的投标人不是您。The bundle names another bidder.",
    price: "请填写投标报价（元，最多两位小数）。Enter the price in yuan.",
    files: "请至少选择一个投标文件。Choose at least one document.",
    period: "请填写工期（1–36500日）。Enter the period in days (1–36500).",
    manager: "请填写项目经理注册编号。Enter the project manager's number.",
    duplicate: "两个文件同名。Two documents have the same name.",
    upload: "上传失败：",
    receipt: "回执校验失败：平台签名或日志证明不符。The receipt does not verify.",
  };
  // The platform's clock rules the deadline, not this computer's.
  const clockOffset = Number(data.serverNow) - Date.now() / 1000;
  const status = document.getElementById("bid-status");
  const blockers = document.getElementById("bid-blockers");
  const warnings = document.getElementById("bid-warnings");
  const bar = document.getElementById("bid-progress");
  const show = (list, items) => {
    list.replaceChildren(...items.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
    list.hidden = items.length === 0;
  };
  const say = (text) => { status.textContent = text; };
  const value = (name) => (form.elements[name] && form.elements[name].value || "").trim();

  // Yuan as exact fen, or null (as the platform reads amounts).
  const fen = (text) => {
    const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.replace(/^¥/, "").replace(/,/g, ""));
    if (!match) return null;
    const result = Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0"));
    return result > 0 && result <= 1e15 ? result : null;
  };

  async function prepare() {
    const found = [];
    const cautions = [];
    const notice = {
      section: data.section, bidder: data.bidder, openingTime: Number(data.openingTime),
      threshold: Number(data.threshold), holders: JSON.parse(data.holders),
    };
    if (Date.now() / 1000 + clockOffset >= notice.openingTime) {
      found.push("投标截止时间已过。The deadline has passed.");
    }
    // Each clarification or amendment is acknowledged before sealing (法23).
    const acknowledged = [];
    for (const box of document.querySelectorAll(".amendment-ack")) {
      if (box.checked) acknowledged.push(Number(box.value));
      else found.push("请确认已阅读第" + box.value + "号澄清或修改。Acknowledge clarification or amendment no. " + box.value + ".");
    }
    let plaintext = null;
    if (value("mode") === "bundle") {
      const file = form.elements.bundle.files[0];
      const manifest = file ? await bundleManifest(file) : null;
      if (!manifest) found.push(words.notBundle);
      else if (manifest.sectionID !== notice.section) found.push(words.otherSection);
      else if (manifest.bidderCreditCode !== notice.bidder) found.push(words.otherBidder);
      else {
        plaintext = file;
        const listed = manifest.acknowledgedAmendments || [];
        const missing = acknowledged.filter((number) => !listed.includes(number));
        if (missing.length) {
          cautions.push("投标文件包未列明第" + missing.join("、") + "号澄清或修改（bid bundle --amendment）。The bundle does not list amendment " + missing.join(", ") + ".");
        }
      }
    } else {
      const price = fen(value("price"));
      const days = Number(value("durationDays"));
      const files = Array.from(form.elements.documents.files);
      if (price === null) found.push(words.price);
      if (!Number.isInteger(days) || days < 1 || days > 36500) found.push(words.period);
      if (!value("projectManager")) found.push(words.manager);
      if (files.length === 0) found.push(words.files);
      if (new Set(files.map((f) => f.name)).size !== files.length) found.push(words.duplicate);
      if (!value("keyStaff")) cautions.push("未填写主要人员；招标文件要求时请补充。No key staff given.");
      if (Number(value("warrantyMonths") || 0) === 0) cautions.push("质保期为0个月。The warranty is 0 months.");
      const ceiling = Number(data.ceilingFen || 0);
      if (price !== null && ceiling > 0 && price > ceiling) {
        cautions.push("报价高于最高投标限价，评标时将被否决（条例51）。The price exceeds the ceiling: the bid would be rejected.");
      }
      if (found.length === 0) {
        let id = localStorage.getItem("zhaocai-device");
        if (!id) { id = hex(random(16)); localStorage.setItem("zhaocai-device", id); }
        plaintext = await makeBundle({
          format: "zhaocai-bid-bundle-v1", sectionID: notice.section, bidderCreditCode: notice.bidder,
          bidderName: data.bidderName, priceFen: price, durationDays: days,
          quality: value("quality") || "合格", warrantyMonths: Number(value("warrantyMonths") || 0),
          projectManagerID: value("projectManager"),
          keyStaff: value("keyStaff").split(/[,，\s]+/).filter(Boolean),
          acknowledgedAmendments: acknowledged,
          deviceFingerprint: "sha256:" + hex(await sha256(utf8("zhaocai-device-v1\nbrowser\n" + id))),
          tool: "zhaocai web workspace 1",
        }, files);
      }
    }
    let signer = null;
    try { signer = await signerFrom(form.elements.keyFile.files[0], data.signingKey); } catch (error) {
      found.push(words[error.kind] || words.key);
    }
    show(blockers, found);
    show(warnings, cautions);
    return found.length ? null : { notice, plaintext, signer };
  }

  // One request of the resumable upload (断点续传), with the page's form token; resolves with the
  // JSON answer, rejects with a Problem (retry: true when the connection was cut or a node or
  // proxy failed, so the same bytes may be sent again).
  function call(method, url, body, onProgress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open(method, url);
      request.setRequestHeader("zhaocai-form", data.formToken);
      if (body) request.setRequestHeader("content-type", "application/octet-stream");
      if (onProgress) {
        request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded); };
      }
      request.onload = () => {
        let answer = null;
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
        if (request.status >= 200 && request.status < 300 && answer) { resolve(answer); return; }
        const problem = new Problem("upload", answer ? (answer.detailChinese || "") + " " + (answer.detail || "") + " (" + answer.code + ")" : "HTTP " + request.status);
        problem.status = request.status;
        problem.retry = [502, 503, 504].includes(request.status);
        reject(problem);
      };
      request.onerror = () => {
        const cut = new Problem("upload", "连接中断。The connection was cut.");
        cut.retry = true;
        reject(cut);
      };
      request.send(body || null);
    });
  }

  // The envelope in parts from where the platform stands: after a cut it asks how many bytes
  // it holds and goes on from there; the same upload survives a cut until it completes.
  const partBytes = () => globalThis.zhaocaiUploadPartBytes || (4 << 20);
  async function upload(sealed) {
    const base = form.action + "/uploads";
    const size = sealed.envelope.size;
    if (!sealed.upload) sealed.upload = (await call("POST", base)).id;
    let offset = (await call("GET", base + "/" + sealed.upload)).offset;
    let failures = 0;
    while (offset < size) {
      const part = sealed.envelope.slice(offset, offset + partBytes());
      const from = offset;
      try {
        offset = (await call("PUT", base + "/" + sealed.upload + "/parts/" + from, part,
          (sent) => { bar.value = 50 + 50 * (from + sent) / size; })).offset;
        failures = 0;
      } catch (error) {
        // A cut, or a part the platform did not expect (409): ask where it stands, go on.
        if (!(error.retry || error.status === 409) || ++failures > 4) throw error;
        say("连接中断，正在从第 " + from + " 字节续传… Resuming…");
        await new Promise((resume) => setTimeout(resume, 1000 * failures));
        offset = (await call("GET", base + "/" + sealed.upload)).offset;
      }
    }
    return call("POST", base + "/" + sealed.upload + "/completion");
  }

  // A sealed envelope whose upload was cut is kept with its upload, and sent on from where the
  // platform stands: never sealed again, so the same bytes (and hash) reach the platform.
  let pending = null;
  const resend = document.getElementById("bid-resend");
  async function send(sealed) {
    say("正在上传… Uploading…");
    const receipt = await upload(sealed);
    pending = null;
    resend.hidden = true;
    bar.value = 100;
    await done(receipt, sealed.hash);
  }

  async function done(receipt, hash) {
    const verified = await verifyReceipt(receipt, data.logKey, hash);
    document.getElementById("bid-hash").textContent = hash;
    document.getElementById("bid-entry").textContent = String(receipt.index);
    const save = document.getElementById("bid-receipt-link");
    save.href = URL.createObjectURL(new Blob([JSON.stringify(receipt)], { type: "application/json" }));
    save.download = "receipt-" + data.section + ".json";
    document.getElementById("bid-done").hidden = false;
    document.getElementById(verified ? "bid-verified" : "bid-unverified").hidden = false;
    say(verified ? "投标文件已递交，回执已验证。Submitted; the receipt verifies." : words.receipt);
    document.body.dataset.bidDone = verified ? "verified" : "unverified";
  }

  function failed(error) {
    // Only a cut connection keeps the sealed bid for sending again; a refusal does not.
    if (!(error instanceof Problem && error.retry)) pending = null;
    say(error instanceof Problem ? (words[error.kind] || "") + error.detail : "失败：" + error.message);
    resend.hidden = pending === null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      say("检查中… Checking…");
      const ready = await prepare();
      if (!ready) { say("请先处理上述问题。Fix the problems above."); return; }
      bar.hidden = false;
      bar.value = 0;
      say("正在本机加密… Sealing on this computer…");
      const started = performance.now();
      pending = await seal(ready.plaintext, ready.notice, ready.signer,
        (share) => { bar.value = 50 * share; });
      window.zhaocaiSealMilliseconds = performance.now() - started;
      await send(pending);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });

  resend.addEventListener("click", async () => {
    if (!pending) return;
    resend.disabled = true;
    try { await send(pending); } catch (error) { failed(error); } finally { resend.disabled = false; }
  });
})();
