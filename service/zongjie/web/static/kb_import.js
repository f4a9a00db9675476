// The import page: per-file progress of an ingest job, live from /api/jobs/{id}/events (server-sent events).
// Events are folded as stages/ingest_events.py folds them (IngestProgress.apply); replaying them is harmless.
"use strict";
(() => {
  const box = document.getElementById("import");
  if (!box) return;
  const statusZh = {queued: "排队中", running: "正在导入", done: "已完成", failed: "失败", interrupted: "已中断"};
  const fileZh = {
    waiting: "等待", reading: "正在读取", read: "已读取，等待入库", indexing: "正在入库",
    added: "已入库", replaced: "已更新（替换旧版本）", unchanged: "未变化，已跳过", failed: "失败",
  };
  const finished = new Set(["added", "replaced", "unchanged", "failed"]);
  const tbody = document.querySelector("#import-files tbody");
  let rows = Array.from(tbody.rows).map((tr) => ({
    n: Number(tr.dataset.n), name: tr.querySelector(".name").textContent,
    status: (tr.className.match(/file-(\w+)/) || [])[1] || "waiting",
    documents: Number(tr.cells[3].textContent || 0), sections: Number(tr.cells[4].textContent || 0),
    message: tr.querySelector(".message").textContent,
  }));

  function render() {
    while (tbody.rows.length) tbody.deleteRow(0);
    for (const f of rows) {
      const tr = tbody.insertRow();
      tr.dataset.n = String(f.n);
      tr.className = "file-" + f.status;
      tr.insertCell().textContent = String(f.n);
      const name = tr.insertCell(); name.className = "name"; name.textContent = f.name;
      const st = tr.insertCell();
      st.className = "status" + (f.status === "failed" ? " error" : finished.has(f.status) ? " ok" : "");
      st.textContent = fileZh[f.status] || f.status;
      const counted = !["waiting", "reading", "failed"].includes(f.status);
      tr.insertCell().textContent = counted ? String(f.documents) : "";
      tr.insertCell().textContent = counted ? String(f.sections) : "";
      const msg = tr.insertCell(); msg.className = "message"; msg.textContent = f.message || "";
    }
    const done = rows.filter((f) => finished.has(f.status)).length;
    // files are stored in batches: between reading and storing, say how many have been read (IngestProgress.read)
    const read = done + rows.filter((f) => f.status === "read" || f.status === "indexing").length;
    document.getElementById("import-count").textContent = rows.length
      ? `已处理 ${done} / ${rows.length} 个文件` + (read > done ? `，已读取 ${read} 个` : "") : "";
  }

  const row = (n) => rows[n - 1];
  const handlers = {
    ingest_listed: (e) => { rows = e.files.map((name, i) => ({n: i + 1, name, status: "waiting", documents: 0, sections: 0, message: ""})); },
    file_started: (e) => { if (row(e.n)) row(e.n).status = "reading"; setStage(""); },
    file_read: (e) => { const f = row(e.n); if (f) Object.assign(f, {status: "read", documents: e.documents, sections: e.sections}); },
    indexing: (e) => { for (const n of e.ns) if (row(n)) row(n).status = "indexing"; setStage(`正在向量化并写入资料库（${e.sections} 个部分）…`); },
    file_done: (e) => {  // the share of the file kept (FileDone.kept_label): 「保留原文 96%」, 「，请核对」 under 90%; why a file was skipped
      const kept = e.kept_share === undefined || !e.documents ? "" : `保留原文 ${Math.round(e.kept_share * 100)}%` + (e.kept_share < 0.9 ? "，请核对" : "");
      const f = row(e.n); if (f) Object.assign(f, {status: e.outcome, documents: e.documents, sections: e.sections, message: [kept, e.message || ""].filter(Boolean).join("；")});
    },
    file_failed: (e) => { const f = row(e.n); if (f) Object.assign(f, {status: "failed", message: e.message}); },
    ingest_done: (e) => {
      setStage("");
      document.getElementById("import-summary").textContent =
        `导入完成：新增 ${e.added} 个文件，更新 ${e.replaced} 个，未变化 ${e.unchanged} 个，失败 ${e.failed} 个；` +
        `共 ${e.documents} 篇总结、${e.sections} 个部分。`;
      const review = document.createElement("a");  // the page as the server renders it lists each structure page
      review.href = window.location.pathname;
      review.id = "review-reload";
      review.textContent = "核对各篇的识别结果";
      document.getElementById("import-summary").append(" ", review);
    },
    failed: (e) => {  // the job stopped: files without an outcome were not stored (IngestProgress.apply)
      for (const f of rows) if (!finished.has(f.status)) Object.assign(f, {status: "failed", message: `${f.name}：未入库（${e.message}）`});
      document.getElementById("import-error").textContent = e.message;
    },
  };
  function setStage(text) { document.getElementById("import-stage").textContent = text; }
  function setStatus(status) { document.getElementById("import-status").textContent = statusZh[status] || status; }

  if (!window.EventSource) return;
  const source = new EventSource(`/api/jobs/${box.dataset.jobId}/events`);
  for (const [type, fold] of Object.entries(handlers)) {
    source.addEventListener(type, (ev) => {
      fold(JSON.parse(ev.data));
      if (type !== "failed") setStatus("running");
      render();
    });
  }
  source.addEventListener("end", (ev) => {
    const end = JSON.parse(ev.data);
    setStatus(end.status);
    box.dataset.finished = end.status;
    source.close();
  });
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) source.close(); };
})();
