"""Keep rate: an approved draft with a known edit gives the expected keep rate per part; it is stored at approval,
replaced (never duplicated) on re-approval, recomputed by the command, and printed by ``zongjie stats keep-rate``."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from zongjie.cli import app
from zongjie.drafting.keeprate import keep_rates, kept_chars, sentences
from zongjie.factsheets.model import load_fact_sheet
from zongjie.stages.assemble import Draft

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


@pytest.fixture
def team(people):
    town = people.unit("青山镇工会")
    return {
        "clerk": people.user("clerk", town, username="clerk"),
        "editor": people.user("editor", people.root, username="editor"),
    }


def draft_for(clerk, path=QINGSHAN) -> tuple[str, str]:
    sheet = load_fact_sheet(path).model_dump(mode="json")
    fid = clerk.post("/api/factsheets", json=sheet).json()["id"]
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(300):
        job = clerk.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    return fid, job["draft_id"]


def approve(clerk, editor, did: str) -> None:
    assert clerk.post(f"/api/drafts/{did}/submit").status_code == 200
    assert editor.post(f"/api/drafts/{did}/approve").json()["state"] == "approved"


def test_a_changed_number_loses_its_digits_and_the_rest_is_kept():
    old, new = "全年发放慰问金326万元，走访困难职工40户。", "全年发放慰问金362万元，走访困难职工40户。"
    assert kept_chars(old, new) == len(old) - 3  # 326 is one token: all three digits are lost
    assert kept_chars(old, old) == len(old)
    assert sentences("一是抓学习。二是抓服务！三是……\n四是抓落实") == [
        "一是抓学习。",
        "二是抓服务！",
        "三是……",
        "四是抓落实",
    ]


def _cut_last_sentence(text: str) -> tuple[str, str]:
    parts = sentences(text)
    assert len(parts) >= 2, text
    return text[: text.rindex(parts[-1])].rstrip(), parts[-1]


def test_known_edit_gives_expected_keep_rate_per_section(team, client):
    clerk, editor = team["clerk"], team["editor"]
    _, did = draft_for(clerk)
    assert "还没有审核通过的草稿" in client.get("/admin/quality").text
    assert clerk.get("/admin/quality").status_code == 403  # admins only
    first = Draft.model_validate(clerk.get(f"/api/drafts/{did}").json())
    body = next(s for s in first.walk() if s.text and s.role == "body" and len(sentences(s.text)) >= 2)
    kept_text, cut = _cut_last_sentence(body.text)
    r = clerk.put(f"/api/drafts/{did}/sections/{body.key}", json={"text": kept_text, "base_version": 1})
    assert r.status_code == 200, r.text
    opening_new = "本年度，镇工会在上级工会领导下扎实开展各项工作。"
    r = clerk.put(f"/api/drafts/{did}/sections/opening", json={"text": opening_new, "base_version": 2})
    assert r.status_code == 200, r.text
    approve(clerk, editor, did)

    out = CliRunner().invoke(app, ["stats", "keep-rate", "--format", "json"])
    assert out.exit_code == 0, out.output
    stats = json.loads(out.output)
    rows = {r["section_key"]: r for r in stats["rows"]}
    assert set(rows) == {"opening", "closing"} | {s.key for s in first.walk() if s.text}
    edited = rows[body.key]
    assert edited["section_role"] == "body" and edited["approved_version"] == 3
    assert edited["chars_first"] == len(body.text)
    assert edited["chars_kept"] == len(kept_text)  # a pure deletion: exactly the rest survives
    assert edited["sentences_first"] == len(sentences(body.text))
    assert edited["sentences_kept"] == len(sentences(body.text)) - 1
    at = first.section_offsets()[body.key] + body.text.rindex(cut)
    in_cut = [f.text for f in first.report.findings if at <= f.start < at + len(cut)]
    kept_figures = [f.text for f in first.report.findings if first.section_offsets()[body.key] <= f.start < at]
    assert edited["figures_changed"] == sum(1 for f in in_cut if f not in kept_figures)
    opening = rows["opening"]
    assert opening["section_role"] == "opening" and opening["sentences_kept"] == 0
    assert opening["chars_kept"] == kept_chars(first.opening, opening_new) < len(first.opening) // 2
    for key, row in rows.items():
        if key not in (body.key, "opening"):
            assert row["chars_kept"] == row["chars_first"] and row["figures_changed"] == 0, row
    assert edited["backend"] == "offline" and edited["model"] == "offline"
    assert len(edited["prompt_version"]) == 12 and edited["unit_type"] == "township"
    roles = {g["key"][0]: g for g in stats["by_role"]}
    assert roles["closing"]["char_rate"] == 1.0 and roles["opening"]["char_rate"] < 0.5
    assert stats["most_rewritten"][0]["section_key"] == "opening"
    page = client.get("/admin/quality").text
    assert page.count("<svg") == 2 and f"/drafts/{did}/diff?a=1&amp;b=3" in page
    overall = stats["overall"][0]
    assert f"初稿 {overall['chars_first']} 字，定稿保留 {overall['chars_kept']} 字" in page

    # re-approval replaces the rows; the recompute command measures the same numbers again
    assert clerk.post(f"/api/drafts/{did}/reopen").status_code == 200
    approve(clerk, editor, did)
    out = CliRunner().invoke(app, ["stats", "keep-rate", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(out.output)))
    assert len(table) == len(rows) and {r["section_key"] for r in table} == set(rows)
    assert CliRunner().invoke(app, ["stats", "recompute-keep-rate"]).exit_code == 0
    again = json.loads(CliRunner().invoke(app, ["stats", "keep-rate"]).output)["rows"]
    assert {r["section_key"]: r["chars_kept"] for r in again} == {k: r["chars_kept"] for k, r in rows.items()}
    later = CliRunner().invoke(app, ["stats", "keep-rate", "--since", "2999-01-01"]).output
    assert json.loads(later)["rows"] == []
    assert CliRunner().invoke(app, ["stats", "keep-rate", "--since", "昨天"]).exit_code == 2


def test_a_removed_section_keeps_nothing_and_changed_figures_are_counted():
    text = {"opening": "开头一句。", "closing": "结尾。"}
    base = {
        "title": "总结",
        "unit_name": "某镇工会",
        "year": 2025,
        "period": "annual",
        "backend": "offline",
        **text,
        "sections": [
            {"key": "1", "marker": "一、", "heading": "甲", "level": 1, "text": "走访职工40户。发放慰问金3万元。"},
            {"key": "2", "marker": "二、", "heading": "乙", "level": 1, "text": "举办培训5场。", "role": "plans"},
        ],
    }
    first = Draft.model_validate(base)
    approved = Draft.model_validate(
        {**base, "sections": [{**base["sections"][0], "text": "走访职工41户。发放慰问金3万元。"}]}
    )
    from zongjie.checker.report import CheckReport, Finding

    def report(d: Draft) -> CheckReport:
        t = d.text()
        found = []
        for fig in ("40户", "41户", "3万元", "5场"):
            if fig in t:
                found.append(
                    Finding(
                        start=t.index(fig), end=t.index(fig) + len(fig), text=fig, kind="metric", status="supported"
                    )
                )
        return CheckReport(findings=found, length=len(t))

    first.set_report(report(first))
    approved.set_report(report(approved))
    rates = {k.section_key: k for k in keep_rates(first, approved)}
    assert rates["1"].figures_first == 2 and rates["1"].figures_changed == 1  # 40户 → 41户
    assert rates["1"].sentences_kept == 1 and rates["1"].chars_kept == len("走访职工40户。发放慰问金3万元。") - 2
    assert rates["2"].section_role == "plans" and rates["2"].chars_kept == 0 and rates["2"].figures_changed == 1
    assert rates["opening"].char_rate == rates["closing"].char_rate == 1.0
