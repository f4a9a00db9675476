"""The number finder: the labelled expression set passes at 100%, and the finder is total and offset-exact."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zongjie.evaluation.numbers import evaluate, load_cases, spec_of
from zongjie.numbers import find_numbers
from zongjie.numbers.units import compatible, to_base

EXPRESSIONS = Path(__file__).resolve().parents[1] / "eval" / "numbers" / "expressions.txt"


def test_labelled_set_is_large_and_passes_completely():
    cases = load_cases(EXPRESSIONS)
    assert len(cases) >= 300
    results, summary = evaluate(cases)
    failures = [(r.case.line, r.case.text, r.false_positives, r.misses) for r in results if not r.ok]
    assert failures == []
    assert summary["precision"] == 1.0 and summary["recall"] == 1.0
    assert summary["non_quantity_lines"] >= 100  # traps: ordinals, names, idioms, document numbers


def _one(text):
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


def test_offsets_point_at_the_figure_in_the_original_text():
    text = "全年走访困难职工２８４８户，发放慰问金15.4万元。"
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.text
    assert [m.text for m in find_numbers(text)] == ["２８４８户", "15.4万元"]


def test_forms_normalise_to_the_same_value():
    assert _one("三月二十七日").month == 3 and _one("3月27日").day == 27
    assert _one("百分之十五").value == _one("15%").value == 15
    assert _one("一万二千元").value == _one("1.2万元").value == 12000
    assert _one("3个百分点").unit == "个百分点" and _one("3%").unit == "%"


def test_approximations_are_ranges_not_values():
    m = _one("三十余名")
    assert (m.lo, m.hi, m.approx) == (30, 40, "余")
    m = _one("近3000人")
    assert m.lo == 2700 and m.hi == 3000
    assert _one("200人以上").hi is None


def test_relation_to_versus_by():
    assert _one("入会率提高到95%").relation == "to"
    assert _one("入会率提高了5%").relation == "by"


def test_units_compatibility_and_scale():
    assert not compatible("人", "户") and not compatible("人", "人次")
    assert compatible("个", "家") and not compatible("个", "人")
    assert compatible("", "户")  # a bare number is bound by its words, not its unit
    assert to_base(7.2, "万元") == (72000, "元")
    assert to_base(1.5, "万人次") == (15000, "人次")


def test_placeholders_are_reported_as_such():
    kinds = [m.kind for m in find_numbers("20xx年，某单位表彰XX名先进，X月X日召开")]
    assert kinds == ["placeholder"] * 5


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="0123456789０１２３一二两三四五六七八九十百千万亿零〇点余多近约第届次个人户元%成倍年月日"
        "，。、XX×_○某至-~上数几 \n工会职工",
        max_size=60,
    )
)
def test_finder_never_fails_and_spans_are_exact(text):
    last_end = 0
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end - len(m.text)  # in order
        last_end = m.end
        if m.kind == "quantity":
            assert m.value is not None
            assert m.lo is None or m.hi is None or m.lo <= m.hi
        spec_of(m)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="0123456789一二三十百万两第届次个人户元%年月日，。“”（）〔〕XxzZ_○某上下前数几近约逾超不至将接大多翻正本每G "
        "\n\t工会",
        max_size=50,
    )
)
def test_trigger_guard_finds_exactly_what_the_full_pattern_finds(text):
    from zongjie.numbers.finder import _PATTERN, _PATTERN_UNGUARDED

    def spans(p):
        return [(m.start(), m.end(), m.lastgroup) for m in p.finditer(text)]

    assert spans(_PATTERN) == spans(_PATTERN_UNGUARDED)
