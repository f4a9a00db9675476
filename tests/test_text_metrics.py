"""Draft metrics against gold text: BLEU-4, ROUGE-L, length, content selection and ordering; gold cases load."""

from conftest import ROOT, SEEDS
from zongjie.evaluation import text_metrics as tm
from zongjie.evaluation.gold import GoldResult, gate_failures, load_gold_cases, required
from zongjie.factsheets.model import parse_fact_sheet
from zongjie.stages.check import CheckInput, check

GOLD = "全年新建企业工会9家，新发展会员580名。\n春节期间走访慰问困难职工39户，发放慰问金8.2万元。"


def test_identical_text_scores_full_and_whitespace_is_layout():
    assert tm.bleu4(GOLD, GOLD) == 100.0
    assert tm.rouge_l(GOLD.replace("\n", "\n\n  "), GOLD) == 100.0
    assert tm.length_ratio(GOLD, GOLD) == 1.0


def test_scores_fall_with_wording_and_length():
    list_like = "新建企业工会9家，新发展会员580名，走访慰问困难职工39户，发放慰问金8.2万元。"
    unrelated = "职工书屋新增藏书，开展读书分享会。"
    assert 0 < tm.bleu4(list_like, GOLD) < 100
    assert tm.rouge_l(unrelated, GOLD) < tm.rouge_l(list_like, GOLD) < 100
    assert tm.bleu4("", GOLD) == 0.0 and tm.rouge_l("", GOLD) == 0.0
    assert tm.length_ratio(GOLD[:10], GOLD) < 0.3


def test_content_selection_and_ordering():
    cs = tm.content_selection(["a", "b", "x"], ["a", "b", "c", "d"])
    assert (cs.precision, cs.recall) == (round(2 / 3, 4), 0.5)
    assert tm.content_ordering(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert tm.content_ordering(["b", "a", "c"], ["a", "b", "c"]) < 1.0  # one transposition
    assert tm.content_ordering(["c", "b", "a"], ["a", "b", "c"]) < tm.content_ordering(["b", "a", "c"], ["a", "b", "c"])


def test_mentions_follow_the_text_order():
    sheet = parse_fact_sheet(
        {
            "unit": {"name": "白石镇工会", "type": "township"},
            "period": {"year": 2025},
            "metrics": [
                {"id": "m_new", "label": "新建企业工会", "value": 9, "unit": "家"},
                {"id": "m_visit", "label": "走访慰问困难职工", "value": 39, "unit": "户"},
            ],
            "sections": [{"title": "文体", "notes": ["职工书屋新增藏书，开展读书分享会"]}],
        }
    )
    text = "职工书屋新增藏书，开展读书分享会。走访慰问困难职工39户。新建企业工会9家。"
    ids = tm.mentions(text, sheet, check(CheckInput(text, sheet, with_coverage=False)))
    assert ids == ["w1", "m_visit", "m_new"]


def test_gold_cases_load_and_reconstruction_is_skipped_without_seeds(tmp_path):
    drafting, sheets = ROOT / "eval" / "drafting", ROOT / "eval" / "seeds"
    cases, skipped = load_gold_cases(drafting, None, sheets)
    assert {c.kind for c in cases} == {"update"} and len(cases) >= 3
    assert len(skipped) >= 10  # one reconstruction case per gold sheet of a real summary, skipped without seeds
    assert all(c.prior and (ROOT / c.prior).is_file() and c.has_notes for c in cases)
    if SEEDS.is_dir():
        with_seeds, none_skipped = load_gold_cases(drafting, SEEDS, sheets)
        recon = [c for c in with_seeds if c.kind == "reconstruction"]
        assert not none_skipped and len(recon) == len(skipped) and all(len(c.gold) > 1000 for c in recon)
        assert all(m.value is not None for c in recon for m in c.sheet.all_metrics())  # blanks left out
        assert not any("某" in c.sheet.unit.name or "zz" in c.sheet.unit.name for c in recon)


def _result(name, kind, bleu, rouge, length=1.0):
    return GoldResult(name, kind, "offline", 1.0, 1.0, 0, 1, 1, 1, bleu, rouge, length, 100, 100, True, 0.1)


def test_gates_against_the_baseline():
    assert required(5.0) == 10.0 and required(70.0) == 80.0  # double, or a third of the way to 100 when less
    base = {"cases": {"a": {"bleu4": 10.0, "rouge_l": 20.0}, "b": {"bleu4": 60.0, "rouge_l": 60.0}}}
    runs = [_result("a", "reconstruction", 25.0, 45.0), _result("b", "update", 85.0, 82.0)]
    failures, comparison = gate_failures(runs, base)
    assert failures == [] and round(comparison["update bleu4"]["required"], 2) == 73.33
    runs = [_result("a", "reconstruction", 15.0, 45.0, length=0.4), _result("b", "update", 70.0, 82.0, length=0.5)]
    failures, _ = gate_failures(runs, base)
    assert any("reconstruction bleu4" in f for f in failures) and any("update bleu4" in f for f in failures)
    # length is gated on every case with notes (issue 13): update and reconstruction alike
    assert any("b: 篇幅比" in f for f in failures) and any("a: 篇幅比" in f for f in failures)
    runs[0].rg_precision = 0.9
    assert any(f.startswith("a: 数字精确率") for f in gate_failures(runs, base)[0])
    assert not any(f.startswith("a: ") for f in gate_failures(runs, base, strict_kinds=("update",))[0])
