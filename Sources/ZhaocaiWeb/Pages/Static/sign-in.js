// Certificate sign-in on the trading platform: the party's key file is read in the browser, its
// Ed25519 key imported into WebCrypto (never exported, never sent), and the platform's nonce
// signed as "zhaocai-sign-in v1\n" + nonce; the form then sends the certificate, nonce and
// signature. Without this script the page says to use the command line.
"use strict";
(function () {
  const form = document.getElementById("certificate-form");
  if (!form) return;
  const problem = document.getElementById("certificate-problem");
  const say = (text) => { problem.textContent = text; problem.hidden = false; };

  const readText = (id) => {
    const file = document.getElementById(id).files[0];
    if (!file) return Promise.reject(new Error("missing"));
    if (file.size > 65536) return Promise.reject(new Error("large"));
    return file.text();
  };
  const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  // PKCS#8 of an Ed25519 private key (RFC 8410): a fixed prefix, then the 32-byte seed.
  const pkcs8Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
    0x04, 0x22, 0x04, 0x20];

  form.addEventListener("submit", async (event) => {
    if (form.dataset.signed === "1") return;
    event.preventDefault();
    problem.hidden = true;
    let certificate, keyText;
    try {
      certificate = await readText("certificateFile");
      keyText = await readText("keyFile");
    } catch (error) {
      say("请选择数字证书（.pem）与密钥文件（.key）。Choose your certificate and key file.");
      return;
    }
    const lines = keyText.split(/\r?\n/);
    const signing = lines.find((line) => line.startsWith("signing:"));
    if (lines[0] !== "zhaocai-private-key v1" || !signing) {
      say("这不是 zhaocai 密钥文件。This is not a zhaocai key file.");
      return;
    }
    const [, algorithm, value] = signing.split(/\s+/);
    if (algorithm !== "ed25519") {
      say("浏览器登录支持 Ed25519 密钥；其他算法请使用 zhaocai 命令行。Use the command line for " + algorithm + " keys.");
      return;
    }
    try {
      const seed = fromBase64(value);
      if (seed.length !== 32) throw new Error("seed");
      const key = await crypto.subtle.importKey(
        "pkcs8", new Uint8Array([...pkcs8Prefix, ...seed]), { name: "Ed25519" }, false, ["sign"]);
      const answer = await fetch("/api/v1/sessions/challenge", { method: "POST" });
      if (!answer.ok) throw new Error("challenge " + answer.status);
      const challenge = await answer.json();
      const message = new TextEncoder().encode("zhaocai-sign-in v1\n" + challenge.nonce);
      const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, message));
      document.getElementById("certificate").value = certificate;
      document.getElementById("nonce").value = challenge.nonce;
      document.getElementById("signature").value = toBase64(signature);
      form.dataset.signed = "1";
      form.submit();
    } catch (error) {
      say("签名失败，请检查密钥文件。Signing failed: " + error.message);
    }
  });
})();
