"""Evaluation cases from real use: an approved draft exported by ``zongjie export-eval-cases`` contains none of the
original unit, place or people's names (replaced consistently), loads as an update case of ``zongjie eval`` and is
measured there with BLEU-4, ROUGE-L and the keep rate against the approved text."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from test_keep_rate import approve, draft_for
from zongjie.cli import app
from zongjie.drafting.eval_export import Anonymiser, places
from zongjie.evaluation.gold import evaluate_gold, load_gold_cases


@pytest.fixture
def team(people):
    town = people.unit("青山镇工会")
    return {"clerk": people.user("clerk", town), "editor": people.user("editor", people.root)}


def test_place_names_and_people_are_replaced_consistently():
    assert places("青山镇工会") == ["青山镇", "青山"] and places("临溪县总工会") == ["临溪县", "临溪"]
    sheet = {"unit": {"name": "青山镇工会", "superior": "临溪县总工会"}, "honours": [{"awarded_by": "临溪县人民政府"}]}
    text = "青山镇工会在临溪县总工会指导下，表彰了王建国同志；工会主席李红，。青山镇职工踊跃参加。"
    anon = Anonymiser(sheet, [text])
    out = anon(text)
    for name in ("青山", "临溪", "王建国", "李红"):
        assert name not in out and name not in str(anon.sheet(sheet))
    assert out.count(anon.map["青山"]) == 2 and anon.map["青山"] + "镇工会" == anon.sheet(sheet)["unit"]["name"]


def test_exported_cases_hide_names_and_load_in_eval(team, client, settings, tmp_path):
    clerk, editor = team["clerk"], team["editor"]
    _, did = draft_for(clerk)
    draft = clerk.get(f"/api/drafts/{did}").json()
    r = clerk.put(
        f"/api/drafts/{did}/sections/opening",
        json={"text": "青山镇工会一年来成绩显著。" + draft["opening"][len(draft["opening"]) // 2 :], "base_version": 1},
    )
    assert r.status_code == 200, r.text
    approve(clerk, editor, did)

    out = tmp_path / "exported"
    result = CliRunner().invoke(app, ["export-eval-cases", "--since", "2000-01-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted((out / "update").glob("*.yaml"))
    assert len(files) == 1
    raw = files[0].read_text(encoding="utf-8")
    for name in ("青山", "临溪"):
        assert name not in raw
    case = yaml.safe_load(raw)
    assert case["first_draft"] and case["gold"] != case["first_draft"] and 0.8 < case["keep_rate"] < 1
    assert case["facts"]["unit"]["name"].endswith("镇工会") and case["facts"]["unit"]["name"] in case["gold"]

    cases, skipped = load_gold_cases(out, None)
    assert [c.name for c in cases] == [files[0].stem] and not skipped and cases[0].kind == "update"
    results = evaluate_gold(cases, settings, None, None, "offline")
    assert results[0].bleu4 > 0 and results[0].rouge_l > 0 and 0 < results[0].keep_rate <= 1
    none = CliRunner().invoke(app, ["export-eval-cases", "--since", "2999-01-01", "-o", str(tmp_path / "none")])
    assert none.exit_code == 0 and not list((tmp_path / "none" / "update").glob("*.yaml"))
