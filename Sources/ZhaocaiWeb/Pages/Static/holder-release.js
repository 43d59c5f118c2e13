// A key holder releases its shares in its own browser (办法28): the holder's key file is read
// here, each bid's envelope header is fetched, the holder's share opened and checked against
// its commitment, and only the shares are sent. The private key never leaves the page.
"use strict";
(function () {
  const form = document.getElementById("release-form");
  if (!form) return;
  const data = form.dataset;
  const status = document.getElementById("release-status");
  const say = (text) => { status.textContent = text; };
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // The envelope's first bytes, as far as its header goes; the rest is never downloaded.
  async function header(bidder) {
    const answer = await fetch("/sections/" + encodeURIComponent(data.section) + "/envelopes/" + bidder);
    if (!answer.ok || !answer.body) throw new Error("HTTP " + answer.status);
    const reader = answer.body.getReader();
    let bytes = new Uint8Array(0);
    for (;;) {
      const { value, done } = await reader.read();
      if (value) {
        const joined = new Uint8Array(bytes.length + value.length);
        joined.set(bytes);
        joined.set(value, bytes.length);
        bytes = joined;
        const parsed = zhaocaiEnvelope.readHeader(bytes);
        if (parsed) { reader.cancel(); return parsed; }
      }
      if (done) throw new Error("the envelope ends before its header");
      if (bytes.length > (2 << 20)) throw new Error("header too long");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("release");
    button.disabled = true;
    try {
      let key;
      try {
        key = await zhaocaiKeyFile.readSealing(document.getElementById("holderKey").files[0]);
      } catch (error) {
        say(error.kind === "algorithm"
          ? "浏览器释放支持 X25519 开标密钥；SM2 密钥请使用 zhaocai holder release。Use the command line for SM2 keys."
          : "请选择您的开标密钥文件（.key）。Choose your key file.");
        return;
      }
      const publicKey = fromBase64(data.holderKey);
      const shares = [];
      for (const bidder of JSON.parse(data.bidders)) {
        say("正在打开 " + bidder + " 的份额… Opening " + bidder + "…");
        const parsed = await header(bidder);
        const share = await zhaocaiEnvelope.openShare(parsed, key, publicKey);
        shares.push({ bidder, x: share.x, y: share.y });
      }
      const answer = await fetch(form.action, {
        method: "POST",
        headers: { "content-type": "application/json", "zhaocai-form": data.formToken },
        body: JSON.stringify({ shares }),
      });
      const body = await answer.json().catch(() => null);
      if (!answer.ok) {
        say(body ? (body.detailChinese || "") + " " + (body.detail || "") + " (" + body.code + ")" : "HTTP " + answer.status);
        return;
      }
      say("已释放 " + shares.length + " 份份额。Released.");
      document.body.dataset.released = String(shares.length);
      document.getElementById("released").hidden = false;
    } catch (error) {
      say("释放失败：" + error.message);
    } finally {
      button.disabled = false;
    }
  });
})();
