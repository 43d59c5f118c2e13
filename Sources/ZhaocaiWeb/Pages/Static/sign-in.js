// Certificate sign-in on the trading platform: the party's key file is read in the browser, its
// signing key imported into WebCrypto by key-file.js (never exported, never sent), and the nonce
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

  form.addEventListener("submit", async (event) => {
    if (form.dataset.signed === "1") return;
    event.preventDefault();
    problem.hidden = true;
    let certificate;
    try {
      certificate = await readText("certificateFile");
      await readText("keyFile");
    } catch (error) {
      say("请选择数字证书（.pem）与密钥文件（.key）。Choose your certificate and key file.");
      return;
    }
    let signer;
    try {
      signer = await zhaocaiKeyFile.read(document.getElementById("keyFile").files[0]);
    } catch (error) {
      say(error.kind === "algorithm"
        ? "浏览器登录支持 Ed25519 与 ECDSA P-256 密钥；SM2 密钥请使用 zhaocai 命令行。Use the command line for SM2 keys."
        : "这不是 zhaocai 密钥文件。This is not a zhaocai key file.");
      return;
    }
    try {
      const answer = await fetch("/api/v1/sessions/challenge", { method: "POST" });
      if (!answer.ok) throw new Error("challenge " + answer.status);
      const challenge = await answer.json();
      const signature = await signer.sign(
        new TextEncoder().encode("zhaocai-sign-in v1\n" + challenge.nonce));
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
