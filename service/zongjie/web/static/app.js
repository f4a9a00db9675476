// Zongjie pages: dynamic form rows, job progress polling, compare-view jumps (each use of a fact in turn). No inline scripts (CSP).
"use strict";
document.addEventListener("click", (ev) => {
  const add = ev.target.closest(".add-row");
  if (add) {
    const tpl = document.getElementById("tpl-" + add.dataset.target);
    const table = document.querySelector(`table[data-rows="${add.dataset.target}"]`);
    table.querySelector("tbody").appendChild(tpl.content.cloneNode(true));
    return;
  }
  const remove = ev.target.closest(".remove-row");
  if (remove) {
    const row = remove.closest("tr");
    const next = row.nextElementSibling;
    if (next && next.classList.contains("row-errors")) next.remove();
    row.remove();
    return;
  }
  const item = ev.target.closest(".compare .fact");
  const button = ev.target.closest(".fact-jump") || (item && item.querySelector(".fact-jump"));
  if (button) { nextUse(button); return; }
  const fig = ev.target.closest(".compare .fig[data-facts]");
  if (fig) toFact(fig);
});

// Keyboard: Enter on a highlighted figure in the compare view jumps to its fact (buttons handle Enter themselves).
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "Enter") return;
  const fig = ev.target.closest && ev.target.closest(".compare .fig[data-facts]");
  if (fig) { ev.preventDefault(); toFact(fig); }
});

function say(text) {
  const status = document.getElementById("jump-status");
  if (status) status.textContent = text;
}

// Each click (or Enter) on a fact goes to its next use in the draft, round and round.
function nextUse(button) {
  const uses = (button.dataset.uses || "").split(" ").filter(Boolean);
  if (!uses.length) return;
  const i = ((Number(button.dataset.index ?? -1)) + 1) % uses.length;
  button.dataset.index = String(i);
  const label = factName(button.closest(".fact"));
  say(`「${label}」：第 ${i + 1} 处，共 ${uses.length} 处`);
  jump(document.getElementById(uses[i]), true);
}

// A fact as the user reads it (its text in the list, without its kind): ids are never shown.
function factName(item) {
  const button = item.querySelector(".fact-jump");
  const kind = button.querySelector(".kind");
  return button.textContent.replace(kind ? kind.textContent : "", "").trim();
}

function toFact(fig) {
  const id = fig.dataset.facts.split(" ")[0];
  const item = document.getElementById("fact-" + id);
  if (!item) return;
  say(`「${fig.textContent}」对应事实「${factName(item)}」`);
  jump(item, false);
  const button = item.querySelector(".fact-jump");
  if (button) button.focus({preventScroll: true});
}

function jump(el, focus) {
  if (!el) return;
  el.scrollIntoView({behavior: "smooth", block: "center"});
  if (focus) el.focus({preventScroll: true});
  el.classList.add("flash");
  setTimeout(() => el.classList.remove("flash"), 1500);
}

const statusZh = {queued: "排队中", running: "起草中", done: "已完成", failed: "失败", interrupted: "已中断"};
const sectionZh = {waiting: "等待", writing: "撰写中", checking: "核对中", repairing: "修改中", offline: "离线起草", done: "完成"};

function renderJob(job) {
  document.getElementById("job-status").textContent = statusZh[job.status] || job.status;
  const queue = document.getElementById("job-queue");
  if (queue) queue.textContent = job.queue_note || "";
  const table = document.getElementById("sections");
  while (table.rows.length > 1) table.deleteRow(1);
  for (const s of (job.progress.sections || [])) {
    const row = table.insertRow();
    row.insertCell().textContent = s.heading;
    row.insertCell().textContent = (sectionZh[s.status] || s.status) + (s.round ? `（第${s.round}轮）` : "");
    row.insertCell().textContent = s.status === "done" ? (s.errors ? `${s.errors} 处待核实` : "通过") : "";
  }
  document.getElementById("job-error").textContent = job.error || "";
  if (job.draft_id) {
    const link = document.getElementById("draft-link");
    link.href = "/drafts/" + job.draft_id;
    document.getElementById("job-done").hidden = false;
  }
}

async function pollJob(box) {
  const id = box.dataset.jobId;
  for (;;) {
    try {
      const res = await fetch(`/api/jobs/${id}`, {headers: {Accept: "application/json"}});
      if (res.ok) {
        const job = await res.json();
        renderJob(job);
        if (job.status === "done") { window.location.href = "/drafts/" + job.draft_id; return; }
        if (job.status === "failed" || job.status === "interrupted") return;
      }
    } catch (e) { /* the server may be restarting: keep polling */ }
    await new Promise((r) => setTimeout(r, 700));
  }
}

// Sections as they are written, streamed from /api/jobs/{id}/events (server-sent events), and the tokens used.
function streamJob(box) {
  if (!window.EventSource) return;
  const source = new EventSource(`/api/jobs/${box.dataset.jobId}/events`);
  const stream = document.getElementById("stream");
  const usage = document.getElementById("usage");
  const used = {prompt: 0, completion: 0, calls: 0};
  const showUsage = () => {
    usage.textContent = `模型用量：${used.calls} 次调用 · 输入 ${used.prompt} 个词元 · 输出 ${used.completion} 个词元`;
  };
  source.addEventListener("section_checked", (e) => {
    const ev = JSON.parse(e.data);
    used.prompt += ev.prompt_tokens; used.completion += ev.completion_tokens; used.calls += 1;
    showUsage();
  });
  source.addEventListener("section_written", (e) => {
    const ev = JSON.parse(e.data);
    if (!ev.rounds) showUsage();
    const sec = document.createElement("section");
    sec.className = "streamed";
    sec.dataset.key = ev.key;
    const h = document.createElement("h4");
    h.textContent = ev.heading + (ev.fallback !== "none" ? "（离线起草）" : "");
    sec.appendChild(h);
    for (const para of ev.text.split("\n")) {
      const p = document.createElement("p");
      p.className = "para";
      p.textContent = para;
      sec.appendChild(p);
    }
    stream.appendChild(sec);
  });
  source.addEventListener("end", () => source.close());
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) source.close(); };
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job");
  if (box) { streamJob(box); pollJob(box); }
  const start = document.querySelector("form[data-autosubmit]");
  if (start) start.submit();
});

// Draft page: clicking a highlighted figure prepares a comment on that figure in the section's comment form.
document.addEventListener("click", (ev) => {
  const fig = ev.target.closest("section.with-comments .fig");
  if (!fig) return;
  const section = fig.closest("section");
  const form = section.querySelector(".comment-form");
  if (!form) return;
  form.querySelector(".figure-field").value = fig.textContent.trim();
  form.querySelector("textarea").focus();
});

// Leaving a page with unsaved edits asks first: a form that sends data (POST) typed into, or with rows added or
// removed, and not submitted. Forms marked data-no-leave-question (sign-in) never ask.
(() => {
  let dirty = null;
  const mark = (el) => {
    const form = el && el.closest && el.closest("form");
    if (form && (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-leave-question")) dirty = form;
  };
  document.addEventListener("input", (ev) => mark(ev.target));
  document.addEventListener("change", (ev) => mark(ev.target));
  document.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest(".add-row, .remove-row, .add-block, .remove-block, .add-sub, .remove-sub");
    if (button) mark(button);
  }, true);
  document.addEventListener("submit", () => { dirty = null; });
  window.addEventListener("beforeunload", (ev) => {
    if (dirty && document.body.contains(dirty)) { ev.preventDefault(); ev.returnValue = ""; }
  });
})();

// New unit: its type follows the chosen parent (a township below a county federation…) until the admin picks one.
document.addEventListener("change", (ev) => {
  const parent = ev.target.closest && ev.target.closest("select.unit-parent");
  const form = ev.target.closest && ev.target.closest("form");
  if (ev.target.matches && ev.target.matches("select.unit-type")) { ev.target.dataset.chosen = "1"; return; }
  if (!parent || !form) return;
  const type = form.querySelector("select.unit-type");
  const wanted = parent.selectedOptions[0] && parent.selectedOptions[0].dataset.childType;
  if (type && wanted && !type.dataset.chosen) type.value = wanted;
});

// Browsers that cannot show a closed <details> menu's links on a wide screen (no ::details-content): open it there.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("details.menu");
  const css = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (menu && !css && window.matchMedia("(min-width: 761px)").matches) menu.open = true;
});

// Roll-ups (issue 26): a rolled figure in the draft or compare view opens its breakdown, unit by unit, each unit
// linked to its sheet as the roll-up used it. The figures carry their fact id (data-fact / data-facts).
(() => {
  const holder = document.getElementById("rollup-parts");
  if (!holder) return;
  const parts = JSON.parse(holder.textContent);
  const factOf = (fig) => (fig.dataset.fact || (fig.dataset.facts || "").split(" ")[0] || "");
  document.querySelectorAll(".fig").forEach((fig) => {
    if (parts[factOf(fig)]) fig.classList.add("rolled-fig");
  });
  let open = null;
  const close = () => { if (open) { open.remove(); open = null; } };
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  document.addEventListener("click", (ev) => {
    const fig = ev.target.closest && ev.target.closest(".fig");
    if (open && !ev.target.closest(".breakdown")) close();
    if (!fig || !parts[factOf(fig)]) return;
    const m = parts[factOf(fig)];
    const box = document.createElement("div");
    box.className = "breakdown";
    box.id = "breakdown";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", `${m.label}的构成`);
    const rows = m.parts.map((p) => `<tr><td><a href="${esc(p.href)}">${esc(p.unit)}</a></td><td>${p.approximate ? "约" : ""}${esc(p.value)}${esc(m.unit)}</td><td class="meta">${esc(p.reported)}${p.revision ? ` 第${p.revision}版` : ""}</td></tr>`).join("");
    box.innerHTML = `<b>${esc(m.label)} ${m.approximate ? "约" : ""}${esc(m.value)}${esc(m.unit)}</b>` +
      (m.formula ? `<p class="meta">＝${esc(m.formula)}，由合计重新计算，不是各单位相加</p>` : "") +
      (m.not_included.length ? `<p class="not-included">未含：${m.not_included.map(esc).join("、")}</p>` : "") +
      `<table><tr><th>单位</th><th>数值</th><th></th></tr>${rows}</table><button type="button" class="link" id="breakdown-close">关闭</button>`;
    document.body.appendChild(box);
    const r = fig.getBoundingClientRect();
    const left = Math.max(4, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 4));
    box.style.left = `${left}px`;
    box.style.top = `${window.scrollY + r.bottom + 4}px`;
    box.querySelector("#breakdown-close").addEventListener("click", close);
    open = box;
  });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") close(); });
})();
