// Fact-sheet form: section and activity blocks with sub-rows (notes, outcomes) linked by a hidden key,
// and questions on implausible values while typing. Static file only (strict CSP, no inline scripts).
"use strict";
(() => {
  let counter = 0;
  const newKey = (prefix) => `${prefix}new${Date.now().toString(36)}${counter++}`;

  document.addEventListener("click", (ev) => {
    const addBlock = ev.target.closest(".add-block");
    if (addBlock) {
      const target = addBlock.dataset.target;
      const tpl = document.getElementById("tpl-" + target);
      const block = tpl.content.firstElementChild.cloneNode(true);
      const key = newKey(target === "sections" ? "s" : "a");
      block.dataset.key = key;
      block.querySelector('input[name="s_key"], input[name="a_key"]').value = key;
      document.querySelector(`[data-blocks="${target}"]`).appendChild(block);
      const first = block.querySelector('input:not([type="hidden"])');
      if (first) first.focus();
      return;
    }
    const removeBlock = ev.target.closest(".remove-block");
    if (removeBlock) { removeBlock.closest("fieldset.block").remove(); return; }
    const addSub = ev.target.closest(".add-sub");
    if (addSub) {
      const block = addSub.closest("fieldset.block");
      const row = document.getElementById(addSub.dataset.tpl).content.firstElementChild.cloneNode(true);
      row.querySelector('input[name$="_parent"]').value = block.dataset.key;
      block.querySelector("table.sub tbody").appendChild(row);
      const first = row.querySelector('input:not([type="hidden"])');
      if (first) first.focus();
      return;
    }
    const removeSub = ev.target.closest(".remove-sub");
    if (removeSub) { removeSub.closest("tr").remove(); }
  });

  // A 率/占比 typed as 0.95 with unit % is most likely 95% (Excel stores percentages as fractions): ask.
  const RATE = /率|占比|比例|比重|覆盖面/;
  const CHANGE = /增长|增幅|提高|提升|下降|降低|减少|同比|环比|变化/;
  function ask(row) {
    const label = row.querySelector('input[name="m_label"]');
    const value = row.querySelector('input[name="m_value"]');
    const unit = row.querySelector('input[name="m_unit"]');
    if (!label || !value || !unit) return;
    const v = parseFloat(value.value.replace(/[％%]/, ""));
    let msg = "";
    if (/^[%％]$/.test(unit.value.trim()) && RATE.test(label.value) && !CHANGE.test(label.value)) {
      if (v > 0 && v <= 1) msg = `填的是 ${v}%，是否为 ${Math.round(v * 10000) / 100}%？`;
      else if (v > 100) msg = `超过 100%，请核对`;
    }
    let hint = row.querySelector(".ask");
    if (msg && !hint) {
      hint = document.createElement("span");
      hint.className = "ask field-error";
      value.after(hint);
    }
    if (hint) hint.textContent = msg;
    value.classList.toggle("questioned", Boolean(msg));
  }
  document.addEventListener("input", (ev) => {
    const row = ev.target.closest("table[data-rows=metrics] tr.row");
    if (row) ask(row);
  });
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("table[data-rows=metrics] tr.row").forEach(ask);
  });
})();
