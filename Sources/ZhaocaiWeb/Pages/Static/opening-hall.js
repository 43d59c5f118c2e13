// The opening hall, live: the countdown runs on the server's clock (the offset measured when the
// page loaded and corrected by every event), and each snapshot the server streams
// (Server-Sent Events) updates the holders, bidders and the opening record without a reload.
"use strict";
(function () {
  const hall = document.getElementById("hall");
  if (!hall || !window.EventSource) return;
  let offset = Number(hall.dataset.serverNow) * 1000 - Date.now();
  let deadline = Number(hall.dataset.deadline) * 1000;
  const $ = (id) => document.getElementById(id);
  const pad = (n) => String(n).padStart(2, "0");
  const beijing = (ms) => {
    const d = new Date(ms + 8 * 3600 * 1000);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  };
  const tick = () => {
    const now = Date.now() + offset;
    $("server-time").textContent = beijing(now);
    if (deadline > 0) {
      const left = Math.max(0, Math.floor((deadline - now) / 1000));
      $("countdown").textContent = left > 0
        ? `${Math.floor(left / 86400)}天 ${pad(Math.floor(left / 3600) % 24)}:${pad(Math.floor(left / 60) % 60)}:${pad(left % 60)}`
        : "已截止";
    }
  };
  const cell = (row, text) => { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; };
  const show = (state) => {
    offset = state.now * 1000 - Date.now();
    if (state.deadline) deadline = state.deadline * 1000;
    $("phase").textContent = state.phaseName;
    if (state.bids !== null) $("bid-count").textContent = String(state.bids);
    document.querySelectorAll("#holders li").forEach((item) => {
      const released = state.released.includes(item.dataset.holder);
      const tag = item.querySelector(".tag");
      tag.textContent = released ? "已释放" : "等待释放";
      tag.className = released ? "tag tag-ok" : "tag tag-wait";
    });
    if (state.bidders) {
      const list = $("bidders");
      list.replaceChildren(...state.bidders.map((code) => {
        const item = document.createElement("li");
        const text = document.createElement("code");
        text.textContent = code;
        item.appendChild(text);
        return item;
      }));
    }
    const body = $("record").querySelector("tbody");
    body.replaceChildren(...state.record.map((entry) => {
      const row = document.createElement("tr");
      cell(row, entry.bidder).className = "mono";
      cell(row, entry.outcome);
      cell(row, entry.price).className = "number";
      cell(row, entry.days).className = "number";
      cell(row, entry.quality);
      cell(row, entry.warranty).className = "number";
      cell(row, entry.manager);
      const verify = cell(row, "");
      if (entry.envelopeHref) {
        const link = document.createElement("a");
        link.href = entry.envelopeHref;
        link.className = "verify";
        link.textContent = "密封文件";
        verify.appendChild(link);
      }
      return row;
    }));
    if (state.record.length > 0 && $("no-record")) $("no-record").hidden = true;
    $("confirmations").textContent = state.confirmations.join("、");
    // Objections raised on the spot and their answers (条例44), as they come.
    const objections = state.objections || [];
    $("hall-objections").replaceChildren(...objections.map((objection) => {
      const item = document.createElement("li");
      item.dataset.objection = objection.id;
      const code = document.createElement("code");
      code.textContent = objection.id;
      item.append(code, ` · ${objection.raisedAt}`);
      const statement = document.createElement("p");
      statement.className = "statement";
      statement.textContent = objection.statement;
      const answer = document.createElement("p");
      answer.className = "answer";
      const tag = document.createElement("span");
      tag.className = objection.answeredAt ? "tag tag-ok" : "tag tag-wait";
      tag.textContent = objection.answeredAt ? "已答复" : "待答复";
      answer.append(tag, objection.answeredAt ? ` ${objection.answeredAt} ${objection.answer}` : "");
      item.append(statement, answer);
      return item;
    }));
    if ($("no-objections")) $("no-objections").hidden = objections.length > 0;
    const pending = $("answer-objection");
    if (pending) {
      const ids = objections.filter((o) => !o.answeredAt).map((o) => o.id);
      const chosen = pending.value;
      pending.replaceChildren(...ids.map((id) => {
        const option = document.createElement("option");
        option.value = id;
        option.textContent = id;
        return option;
      }));
      if (ids.includes(chosen)) pending.value = chosen;
      $("answer-form").hidden = ids.length === 0;
    }
    $("checkpoint").textContent = state.checkpoint;
    $("live-state").textContent = "实时更新中 Live · " + beijing(state.now * 1000);
    hall.dataset.updates = String(Number(hall.dataset.updates || "0") + 1);
  };
  const events = new EventSource(hall.dataset.events);
  events.onmessage = (message) => show(JSON.parse(message.data));
  events.onerror = () => { $("live-state").textContent = "连接中断，正在重连… Reconnecting…"; };
  tick();
  setInterval(tick, 1000);
})();
