"""Every export renders facts as text: a sheet with markup (HTML, Markdown links and images, entities, control
characters) in every field — the 落款 included — gives a Markdown file with no live markup, a .docx that opens and
holds the text as written, and pages that show it escaped."""

from __future__ import annotations

import io
import re
import time

import docx

from conftest import ROOT
from zongjie.factsheets.model import load_fact_sheet

EVIL = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
LINK = "[点我](javascript:alert(3))"
IMAGE = "![x](http://evil.example/x.png)"


def _marked_sheet() -> dict:
    """The sample township's facts with markup added to every free-text field."""
    sheet = load_fact_sheet(ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml").model_dump(mode="json")
    sheet["unit"]["name"] = f"甲镇工会{EVIL}"
    sheet["unit"]["superior"] = f"县总工会{IMG}"
    sheet["leadership"] = f"镇党委{LINK}"
    sheet["themes"] = [f"服务企业{IMAGE}", "&lt;b&gt;实体&amp;"]
    for m in sheet["metrics"]:
        m["label"] = (m["label"] + "<b>")[:80]
    for s in sheet["sections"]:
        s["title"] = (s["title"] + "<i>")[:60]
        for n in s["notes"]:
            n["text"] = (n["text"] + f"{LINK}\x07")[:400]
    for a in sheet["activities"]:
        a["title"] = (a["title"] + EVIL)[:120]
        a["description"] = f"{IMG}{a.get('description') or ''}"[:600]
        a["participants"] = f"职工<u>{IMAGE}"
    for h in sheet["honours"]:
        h["title"] = (h["title"] + "<em>")[:120]
        h["awarded_by"] = f"上级{LINK}"[:60]
    for key in ("problems", "plans"):
        for p in sheet[key]:
            p["text"] = (p["text"] + EVIL)[:300]
    sheet["signature"] = {"unit": f"甲镇工会{EVIL}", "date": "2025-12-20"}
    return sheet


def _draft(client, sheet: dict) -> str:
    r = client.post("/api/factsheets", json=sheet)
    assert r.status_code == 201, r.text
    job = client.post(f"/api/factsheets/{r.json()['id']}/drafts").json()
    for _ in range(300):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return job["draft_id"]


def test_every_export_renders_markup_as_text(client):
    did = _draft(client, _marked_sheet())
    md = client.get(f"/api/drafts/{did}/download.md", params={"confirm": "true"})
    assert md.status_code == 200
    text = md.text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("> 本稿还有"))  # the note is a quote
    assert "<" not in body and ">" not in body  # no raw HTML anywhere
    assert "甲镇工会&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the 落款, as text
    assert not re.search(r"(?<!\\)\]\(", text) and not re.search(r"(?<!\\)!\[", text)  # no live link or image

    word = client.get(f"/api/drafts/{did}/download.docx", params={"confirm": "true"})
    assert word.status_code == 200
    doc = docx.Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"甲镇工会{EVIL}" in paragraphs  # the 落款 as written, text in Word
    assert any(LINK in p for p in paragraphs) and not any("\x07" in p for p in paragraphs)

    for page in (f"/drafts/{did}", f"/drafts/{did}/compare", f"/drafts/{did}/export?fmt=md"):
        html = client.get(page).text
        assert EVIL not in html and IMG not in html, page
        assert "&lt;script&gt;" in html, page
