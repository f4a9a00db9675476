"""Roll-up core (issue 26): matching, exact sums, approximate totals, rates, conflicts, near-matches, missing
units, the federation's sheet and the checks on it. Sheets are invented here."""

from __future__ import annotations

import pytest

from zongjie.factsheets.model import FactSheet, FactSheetError, PeriodInfo, Unit, parse_fact_sheet
from zongjie.rollup import IndicatorList, Submission, UnitTree, roll_up, stale_parts, total_mismatches
from zongjie.rollup.indicators import parse_indicator_list
from zongjie.rollup.matching import confirmation, normalise_label, similarity

FED = Unit(name="青岭县总工会", type="county_federation")
YEAR = PeriodInfo(year=2025, kind="annual")
TREE = UnitTree.from_nested(
    {
        "name": "青岭县总工会",
        "units": [
            {"name": "甲镇工会", "units": [{"name": "甲镇天工电子公司工会"}]},
            {"name": "乙镇工会"},
            {"name": "丙乡工会"},
        ],
    }
)


def sheet(unit: str, *metrics: dict, year: int = 2025, **extra) -> FactSheet:
    return parse_fact_sheet(
        {
            "unit": {"name": unit, "type": "township"},
            "period": {"year": year, "kind": "annual"},
            "metrics": list(metrics),
            **extra,
        }
    )


def m(label: str, value: float | None, unit: str, **kw) -> dict:
    return {"label": label, "value": value, "unit": unit, **kw}


def sub(unit: str, *metrics: dict, revision: int = 1, **kw) -> Submission:
    return Submission(unit, sheet(unit, *metrics), revision=revision, sheet_id=f"s-{unit}", **kw)


def by_label(result, label: str):
    return next(r for r in result.metrics if r.label == label)


def test_the_tree_gives_direct_or_all_units_below():
    assert TREE.below("青岭县总工会", "direct") == ["甲镇工会", "乙镇工会", "丙乡工会"]
    assert TREE.below("青岭县总工会") == ["甲镇工会", "甲镇天工电子公司工会", "乙镇工会", "丙乡工会"]
    assert TREE.path("甲镇天工电子公司工会") == ["甲镇天工电子公司工会", "甲镇工会", "青岭县总工会"]


def test_sums_are_exact_and_scaled_units_convert():
    subs = [
        sub("甲镇工会", m("发放慰问金", 0.1, "万元"), m("帮扶困难职工", 12, "名")),
        sub("乙镇工会", m("发放 慰问金", 0.2, "万元"), m("帮扶困难职工", 30, "人")),
        sub("丙乡工会", m("发放慰问金（万元）", 350.5, "元"), m("帮扶困难职工", 3, "人")),
    ]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    money = by_label(r, "发放慰问金")
    # 0.1 + 0.2 万元 is exactly 3000 元; 350.5 元 adds exactly (floats would give 0.30000000000000004万)
    assert money.unit == "万元" and str(money.value) == "0.33505"
    assert [(p.unit, p.value, p.reported) for p in money.parts] == [
        ("甲镇工会", 0.1, None),
        ("乙镇工会", 0.2, None),
        ("丙乡工会", 0.03505, "350.5元"),
    ]
    people = by_label(r, "帮扶困难职工")  # 名 = 人
    assert people.value == 45 and not people.not_included and not r.info.conflicts
    assert [p.revision for p in people.parts] == [1, 1, 1] and people.parts[0].sheet == "s-甲镇工会"


def test_a_unit_counting_person_times_is_listed_not_summed():
    subs = [
        sub("甲镇工会", m("培训职工", 300, "人")),
        sub("乙镇工会", m("培训职工", 120, "人")),
        sub("丙乡工会", m("培训职工", 900, "人次")),
    ]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    total = by_label(r, "培训职工")
    assert total.value == 420 and total.unit == "人"
    assert [p.unit for p in total.parts] == ["甲镇工会", "乙镇工会"]
    assert total.not_included == ["丙乡工会"]
    (c,) = r.info.conflicts
    assert c.unit == "丙乡工会" and c.measure == "人次" and c.expected == "人" and "不能相加" in c.reason


def test_an_approximate_part_makes_the_total_approximate():
    subs = [
        sub("甲镇工会", m("参加活动职工", 1200, "人次", approximate=True)),
        sub("乙镇工会", m("参加活动职工", 80, "人次")),
    ]
    total = by_label(roll_up(FED, YEAR, subs, tree=TREE, scope="direct"), "参加活动职工")
    assert total.approximate and total.value == 1280 and total.parts[0].approximate


def test_missing_and_unapproved_units_are_named_on_every_total():
    subs = [sub("甲镇工会", m("新建工会", 3, "个")), sub("乙镇工会", m("新建工会", 2, "个"), source="pending")]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    assert [(x.unit, x.reason) for x in r.info.missing] == [("乙镇工会", "事实表未审核"), ("丙乡工会", "未报送")]
    assert [x.unit for x in r.info.included] == ["甲镇工会"]
    assert by_label(r, "新建工会").not_included == ["乙镇工会", "丙乡工会"]


def test_units_outside_the_scope_or_period_are_not_rolled():
    subs = [
        sub("甲镇工会", m("新建工会", 3, "个")),
        sub("甲镇天工电子公司工会", m("新建工会", 1, "个")),
        Submission("乙镇工会", sheet("乙镇工会", m("新建工会", 5, "个"), year=2024)),
        sub("邻县某镇工会", m("新建工会", 9, "个")),
    ]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    assert by_label(r, "新建工会").value == 3
    reasons = {c.unit: c.reason for c in r.info.conflicts}
    assert "只汇总直属下级单位" in reasons["甲镇天工电子公司工会"]
    assert "2024年" in reasons["乙镇工会"] and "不是本单位的下级单位" in reasons["邻县某镇工会"]
    every = roll_up(FED, YEAR, subs, tree=TREE, scope="all")
    assert by_label(every, "新建工会").value == 4


def test_rates_are_never_summed_without_their_numerator_and_denominator():
    subs = [sub("甲镇工会", m("职工入会率", 92.5, "%")), sub("乙镇工会", m("职工入会率", 90, "%"))]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    assert not r.metrics
    (left,) = r.info.left_out
    assert left.label == "职工入会率" and "不能相加" in left.reason


INDICATORS = {
    "unit": "青岭县总工会",
    "year": 2025,
    "indicators": [
        {"key": "members", "label": "会员人数", "unit": "人"},
        {"key": "staff", "label": "职工人数", "unit": "人"},
        {"key": "rate", "label": "职工入会率", "unit": "%", "numerator": "members", "denominator": "staff"},
        {"key": "funds", "label": "慰问金", "unit": "元", "section": "帮扶"},
    ],
}


def test_a_rate_is_recomputed_from_its_rolled_numerator_and_denominator():
    ind = parse_indicator_list(INDICATORS)
    subs = [
        sub("甲镇工会", m("会员人数", 930, "人", indicator="members"), m("职工人数", 1000, "人", indicator="staff"),
            m("职工入会率", 93, "%", indicator="rate")),
        sub("乙镇工会", m("会员人数", 45, "人", indicator="members"), m("职工人数", 100, "人", indicator="staff"),
            m("职工入会率", 45, "%", indicator="rate")),
    ]  # fmt: skip
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct", indicators=ind)
    rate = by_label(r, "职工入会率")
    assert float(rate.value) == 88.6  # 975 / 1100 = 88.636…%, not 138 (sum) nor 69 (mean)
    assert rate.formula is not None and (rate.formula.numerator, rate.formula.denominator) == ("members", "staff")
    assert [p.value for p in rate.parts] == [93, 45]
    # the indicator was asked of every unit: the list's money indicator nobody filled is said to be left out
    assert any(x.label == "慰问金" and "均未填报" in x.reason for x in r.info.left_out)
    # a denominator reported by fewer units than the numerator: no rate, and the reason says who differs
    subs[1] = sub("乙镇工会", m("会员人数", 45, "人", indicator="members"))
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct", indicators=ind)
    assert not any(x.label == "职工入会率" for x in r.metrics)
    assert any(x.label == "职工入会率" and "乙镇工会" in x.reason for x in r.info.left_out)
    assert by_label(r, "职工人数").not_included == ["乙镇工会", "丙乡工会"]


def test_indicator_keys_match_whatever_the_wording_and_labels_match_the_list():
    ind = parse_indicator_list(INDICATORS)
    subs = [
        sub("甲镇工会", m("春节慰问金", 5000, "元", indicator="funds")),
        sub("乙镇工会", m("慰问金", 1.5, "万元")),  # no key: the list's label reads the same
    ]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct", indicators=ind)
    funds = by_label(r, "慰问金")
    assert funds.value == 20000 and funds.unit == "元" and funds.section == "帮扶" and funds.indicator == "funds"


def test_near_matches_are_proposed_and_merged_once_confirmed():
    subs = [
        sub("甲镇工会", m("走访慰问困难职工", 40, "户")),
        sub("乙镇工会", m("走访慰问困难职工", 25, "户")),
        sub("丙乡工会", m("慰问困难职工", 9, "户")),
    ]
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    (p,) = r.info.proposals
    assert (p.label, p.into, p.units) == ("慰问困难职工", "走访慰问困难职工", ["丙乡工会"])
    assert by_label(r, "走访慰问困难职工").value == 65
    src, dst = confirmation("慰问困难职工", "走访慰问困难职工", None)
    assert dst == p.into_key
    merged = roll_up(FED, YEAR, subs, tree=TREE, scope="direct", confirmed={src: dst})
    assert not merged.info.proposals and [x.label for x in merged.metrics] == ["走访慰问困难职工"]
    assert merged.metrics[0].value == 74
    rejected = roll_up(FED, YEAR, subs, tree=TREE, scope="direct", confirmed={src: ""})
    assert not rejected.info.proposals and len(rejected.metrics) == 1
    # one unit's own metric among several units is that unit's figure, not a total: left out, saying whose
    assert any("只有丙乡工会填报" in x.reason for x in rejected.info.left_out)
    # a different unit of measure is never proposed
    subs[2] = sub("丙乡工会", m("慰问困难职工", 9, "人次"))
    assert not roll_up(FED, YEAR, subs, tree=TREE, scope="direct").info.proposals


def test_labels_normalise_and_compare():
    assert normalise_label("发放 慰问金（万元）") == "发放慰问金" and normalise_label("培训（人次）") == "培训"
    assert normalise_label("会员（含农民工）") == "会员含农民工"
    assert normalise_label("ＡＢ会员") == "ab会员"
    assert similarity("新发展会员人数", "新发展会员") >= 0.75
    assert similarity("新发展会员", "调处劳动争议") < 0.5


def test_the_federation_sheet_keeps_its_own_facts_and_carries_parts():
    subs = [sub("甲镇工会"), sub("乙镇工会", m("新建工会", 2, "个"))]
    subs[0].sheet = sheet("甲镇工会", m("新建工会", 3, "个"), m("建成职工书屋", 2, "个"),
                          sections=[{"title": "组织建设", "notes": [{"id": "w1", "text": "推行片区联合建会办法"}]}])  # fmt: skip
    own = parse_fact_sheet(
        {
            "unit": FED.model_dump(),
            "period": YEAR.model_dump(),
            "metrics": [m("县级劳模表彰", 30, "名", id="m_models")],
            "honours": [{"title": "全省工会工作先进单位"}],
        }
    )
    r = roll_up(FED, YEAR, subs, tree=TREE, scope="direct")
    out = r.to_sheet(own, picks=[("甲镇工会", "w1")])
    assert [x.label for x in out.metrics] == ["县级劳模表彰", "新建工会"]  # 职工书屋: only 甲镇 has one
    rolled = out.metrics[1]
    assert rolled.value == 5 and [(p.unit, p.value) for p in rolled.parts] == [("甲镇工会", 3), ("乙镇工会", 2)]
    assert rolled.not_included == ["丙乡工会"] and out.honours[0].title == "全省工会工作先进单位"
    (note,) = [n for _, n in out.all_notes()]
    assert note.unit == "甲镇工会" and note.text == "推行片区联合建会办法"
    assert out.rollup is not None and [x.unit for x in out.rollup.missing] == ["丙乡工会"]
    # rolled again (a unit changed its figure): the rolled metrics and picks are replaced, own facts stay
    subs[1] = sub("乙镇工会", m("新建工会", 4, "个"), revision=2)
    again = roll_up(FED, YEAR, subs, tree=TREE, scope="direct").to_sheet(out)
    assert [(x.label, x.value) for x in again.metrics] == [("县级劳模表彰", 30), ("新建工会", 7)]
    assert not again.all_notes()
    # the YAML a federation gets back validates as a fact sheet
    assert FactSheet.model_validate(again.model_dump()).metrics[1].parts[1].revision == 2


def test_a_childs_rolled_totals_count_once():
    child_rolled = sheet("甲镇工会", m("新建工会", 4, "个", parts=[{"unit": "甲镇天工电子公司工会", "value": 1}, {"unit": "甲镇工会", "value": 3}], not_included=["某厂工会"]))  # fmt: skip
    subs = [
        Submission("甲镇工会", child_rolled, revision=1),
        sub("甲镇天工电子公司工会", m("新建工会", 1, "个")),
        sub("乙镇工会", m("新建工会", 2, "个")),
    ]
    direct = by_label(roll_up(FED, YEAR, subs, tree=TREE, scope="direct"), "新建工会")
    assert direct.value == 6 and "某厂工会" in direct.not_included  # what the township's total lacked, so does this
    every = roll_up(FED, YEAR, subs, tree=TREE, scope="all")
    assert by_label(every, "新建工会").value == 3  # the township's own total is not added to its units' figures
    assert any("下级汇总数" in x.reason for x in every.info.left_out)


def test_a_stated_total_that_differs_from_its_parts_is_found():
    subs = [sub("甲镇工会", m("新建工会", 3, "个")), sub("乙镇工会", m("新建工会", 2, "个"))]
    out = roll_up(FED, YEAR, subs, tree=TREE, scope="direct").to_sheet()
    assert total_mismatches(out) == []
    data = out.model_dump()
    data["metrics"][0]["value"] = 6  # someone typed over the total
    (mm,) = total_mismatches(FactSheet.model_validate(data))
    assert mm.stated == 6 and mm.expected == 5 and "合计不符" in mm.message_zh and "5个" in mm.message_zh


def test_parts_changed_after_the_roll_up_are_stale():
    subs = [sub("甲镇工会", m("新建工会", 3, "个"), revision=4), sub("乙镇工会", m("新建工会", 2, "个"), revision=1)]
    out = roll_up(FED, YEAR, subs, tree=TREE, scope="direct").to_sheet()
    assert stale_parts(out, {"s-甲镇工会": 4, "s-乙镇工会": 1}) == []
    (s,) = stale_parts(out, {"s-甲镇工会": 5, "s-乙镇工会": 1})
    assert (s.unit, s.revision, s.now) == ("甲镇工会", 4, 5)


def test_indicator_lists_validate_and_start_sheets():
    bad = dict(INDICATORS, indicators=[*INDICATORS["indicators"], {"key": "x", "label": "某率", "unit": "%", "numerator": "nope", "denominator": "staff"}])  # fmt: skip
    with pytest.raises(FactSheetError) as err:
        parse_indicator_list(bad)
    assert "nope" in err.value.problems[0].message_en
    ind = IndicatorList.model_validate(INDICATORS)
    data = ind.blank_sheet(Unit(name="丙乡工会", type="township"))
    started = parse_fact_sheet(data)
    assert [(x.id, x.indicator, x.value) for x in started.metrics][:2] == [
        ("members", "members", None),
        ("staff", "staff", None),
    ]
    assert started.period.year == 2025


def test_the_checker_marks_a_figure_stating_a_total_that_is_not_its_parts():
    from zongjie.stages.check import CheckInput, check

    subs = [sub("甲镇工会", m("走访困难职工", 40, "户")), sub("乙镇工会", m("走访困难职工", 25, "户"))]
    out = roll_up(FED, YEAR, subs, tree=TREE, scope="direct").to_sheet()
    text = "全县走访困难职工65户。"
    (f,) = [x for x in check(CheckInput(text, out)).findings if x.text.startswith("65")]
    assert f.status == "supported"
    data = out.model_dump()
    data["metrics"][0]["value"] = 66  # the total typed over in the federation's sheet
    typed_over = FactSheet.model_validate(data)
    (f,) = [x for x in check(CheckInput("全县走访困难职工66户。", typed_over)).findings if x.text.startswith("66")]
    assert f.status == "total_mismatch" and f.expected == "65户" and "合计不符" in f.message
