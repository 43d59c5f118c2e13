// The law's limits shown as the tenderer types: the bid bond's cap from the estimate (条例26,
// the divisor the page gives, from the domain) and whether the chosen sale end and deadline
// are on or after the earliest days the platform computed (条例16, 法24). A preview only: the
// platform checks again when the form is sent.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const fen = (text) => {
    const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec((text || "").trim().replace(/^¥/, "").replace(/,/g, ""));
    return match ? Number(match[1]) * 100 + Number((match[2] || "0").padEnd(2, "0")) : null;
  };
  const yuan = (value) => "¥" + (value / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const limit = $("bond-limit");
  if (limit && $("estimate") && $("bond")) {
    const divisor = Number(limit.dataset.divisor || "0");
    const update = () => {
      const estimate = fen($("estimate").value);
      const bond = fen($("bond").value);
      if (!estimate || !divisor) { limit.textContent = ""; return; }
      const cap = Math.floor(estimate / divisor);
      const over = bond !== null && bond > cap;
      limit.textContent = (over ? "超过上限 " : "上限 ") + yuan(cap) + (over ? "（条例26）" : "");
      limit.className = over ? "field-error" : "";
    };
    $("estimate").addEventListener("input", update);
    $("bond").addEventListener("input", update);
    update();
  }

  const checkDate = (input, output, rule) => {
    if (!input || !output) return;
    const update = () => {
      const day = (input.value || "").slice(0, 10);
      const earliest = input.dataset.earliest || "";
      if (!day || !earliest) { output.textContent = ""; return; }
      const early = day < earliest;
      output.textContent = early ? "早于法定最早日期 " + earliest + "（" + rule + "）" : "不早于法定最早日期 " + earliest;
      output.className = early ? "field-error" : "hint";
    };
    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  };
  checkDate($("saleEndsAt"), $("sale-check"), "条例16");
  checkDate($("bidDeadline"), $("deadline-check"), "法24");
})();
