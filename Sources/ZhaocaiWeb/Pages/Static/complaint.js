// A complaint filed on the supervision platform (条例60): the statement is built in the page,
// signed with the complainant's key (key-file.js; the key never leaves the browser) over
// "zhaocai-complaint v1\n" and the statement's bytes, and sent with the certificate to the
// platform's own API, which checks the certificate against the hub and the objection against
// the process's record.
"use strict";
(function () {
  const form = document.getElementById("complaint-form");
  if (!form) return;
  const problem = document.getElementById("complaint-problem");
  const say = (text) => { problem.textContent = text; problem.hidden = !text; };
  const value = (id) => document.getElementById(id).value.trim();
  const toBase64 = (bytes) => {
    let text = "";
    for (let at = 0; at < bytes.length; at += 8192) {
      text += String.fromCharCode(...bytes.subarray(at, at + 8192));
    }
    return btoa(text);
  };
  // A date as the instant of its Beijing midnight, as the platform counts days.
  const beijingMidnight = (date) => Math.floor(Date.parse(date + "T00:00:00+08:00") / 1000);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say("");
    const certificateFile = document.getElementById("certificateFile").files[0];
    if (!certificateFile || certificateFile.size > 16384) {
      say("请选择数字证书（.pem）。Choose your certificate.");
      return;
    }
    const knewAt = beijingMidnight(value("knewAt"));
    if (!value("platform") || !value("section") || !value("facts") || !Number.isFinite(knewAt)) {
      say("请填写交易平台、标段编号、知道之日和投诉事实。Fill in the platform, section, date and facts.");
      return;
    }
    let signer;
    try {
      signer = await zhaocaiKeyFile.read(document.getElementById("keyFile").files[0]);
    } catch (error) {
      say(error.kind === "algorithm"
        ? "浏览器签名支持 Ed25519 与 ECDSA P-256 密钥；SM2 密钥请通过接口提交。Use the API for SM2 keys."
        : "请选择您的密钥文件（.key）。Choose your key file.");
      return;
    }
    const statement = {
      platform: value("platform"), section: value("section"), matter: value("matter"),
      facts: value("facts"), knewAt,
    };
    if (value("objectionID")) statement.objectionID = value("objectionID");
    const bytes = new TextEncoder().encode(JSON.stringify(statement));
    const signed = new Uint8Array([...new TextEncoder().encode("zhaocai-complaint v1\n"), ...bytes]);
    const button = document.getElementById("file-complaint");
    button.disabled = true;
    try {
      const signature = await signer.sign(signed);
      const answer = await fetch("/api/v1/complaints", {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({
          statement: toBase64(bytes), certificate: await certificateFile.text(),
          signature: toBase64(signature),
        }),
      });
      const body = await answer.json().catch(() => null);
      if (answer.status !== 201 || !body) {
        say(body ? (body.detailChinese || "") + " " + (body.detail || "") + "（" + body.code + (body.article ? "，" + body.article : "") + "）" : "HTTP " + answer.status);
        return;
      }
      document.getElementById("complaint-id").textContent = body.id;
      document.getElementById("complaint-due").textContent = body.acceptanceDue;
      document.getElementById("complaint-filed").hidden = false;
      form.hidden = true;
    } catch (error) {
      say("提交失败：" + error.message);
    } finally {
      button.disabled = false;
    }
  });
})();
