"""「用作下一年度」: last year's values become prior values, this year's are blank, and drafting refuses blanks."""

import pytest
import yaml
from typer.testing import CliRunner

from conftest import ROOT
from zongjie.cli import app
from zongjie.drafting.pipeline import run_draft
from zongjie.factsheets.model import FactSheetError, load_fact_sheet, parse_fact_sheet
from zongjie.factsheets.next_year import use_for_next_year

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def _with_notes():
    data = load_fact_sheet(QINGSHAN).model_dump(mode="json")
    data["sections"] = [{"title": "帮扶", "notes": ["坚持每月走访困难职工", "慰问困难职工36户"]}]
    data["signature"] = {"unit": "青山镇工会", "date": "2025-12-20"}
    return data


def test_next_year_moves_values_to_prior_and_leaves_blanks():
    old = _with_notes()
    new = parse_fact_sheet(use_for_next_year(old))
    assert new.period.year == 2026
    assert [(m.id, m.value, m.prior) for m in new.metrics] == [(m["id"], None, m["value"]) for m in old["metrics"]]
    assert new.activities == [] and new.honours == [] and new.plans == []
    assert [n.text for n in new.sections[0].notes] == ["坚持每月走访困难职工"]  # the note with last year's figure goes
    assert new.signature.unit == "青山镇工会" and new.signature.date is None
    assert len(new.blank_metrics()) == len(old["metrics"])


def test_drafting_refuses_blank_values_naming_them(settings):
    sheet = parse_fact_sheet(use_for_next_year(_with_notes()))
    with pytest.raises(FactSheetError) as exc:
        run_draft(sheet, settings, kb=None, llm=None)
    message = exc.value.problems[0].message_zh
    assert "新建企业工会" in message and "走访慰问困难职工" in message and "不要填 0" in message


def test_cli_draft_refuses_blank_values(tmp_path):
    path = tmp_path / "next.yaml"
    path.write_text(yaml.safe_dump(use_for_next_year(_with_notes()), allow_unicode=True), encoding="utf-8")
    r = CliRunner().invoke(app, ["draft", str(path), "-o", str(tmp_path / "d.md"), "--no-kb"])
    assert r.exit_code == 2 and "没有填写本期数值" in r.output and not (tmp_path / "d.md").exists()


def test_web_next_year_then_draft_is_refused_until_filled(client):
    fid = client.post("/api/factsheets", json=_with_notes()).json()["id"]
    token = client.cookies.get("zj_csrf")
    r = client.post(f"/facts/{fid}/next-year", data={"csrf_token": token}, follow_redirects=False)
    new_id = r.headers["location"].split("/")[-1]
    data = client.get(f"/api/factsheets/{new_id}").json()
    assert data["period"]["year"] == 2026 and all(m["value"] is None for m in data["metrics"])
    assert data["metrics"][0]["prior"] == 9
    r = client.post(f"/api/factsheets/{new_id}/drafts")
    assert r.status_code == 422 and "新建企业工会" in r.json()["problems"][0]["message"]
    page = client.post(f"/facts/{new_id}/draft", data={"csrf_token": token}, follow_redirects=False)
    assert page.status_code == 422 and "没有填写本期数值" in page.text
    # the API keeps the old path working
    assert client.post(f"/api/factsheets/{fid}/copy").status_code == 201
