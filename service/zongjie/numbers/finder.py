"""Find every quantity, date and placeholder in Chinese text, with its unit, normalised value and range.

``find_numbers(text)`` scans once with a single compiled pattern whose branches are tried in order at each
position: placeholders, period words, non-quantities that must be skipped (ordinals, meeting numbers, holidays,
slogans, idioms, document numbers, times, headings), dates, percentages written 百分之…, 翻N番, 一半/半数
(50%), vague scales (数十, 上千) and finally the general quantity (prefix? numeral (range)? suffix? unit?
postfix?). Each match is then validated in Python (a Chinese numeral counts only with a measure word, 一 alone
is an article, digit strings like 五一 are not numerals). Values are converted span by span (``convert``); the
text itself is never rewritten, so offsets are character offsets into the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import lexicon as lx
from .convert import arabic_value, chinese_range, chinese_value, decimals, place_of
from .units import MEASURE_WORDS, canonical_unit

Kind = Literal["quantity", "date", "period", "placeholder"]


@dataclass(slots=True)
class Mention:
    """One figure found in text.

    ``value`` is the figure as written, with any scale applied (2.8万 → 28000; 15% → 15). ``lo``/``hi`` bound what
    it claims: equal to ``value`` for an exact figure, a range for approximations (三十余 → 30..40, 近3000 →
    2700..3000); ``hi`` is None when open-ended (3000以上). ``unit`` is the canonical measure word ('' when bare).
    Dates carry ``year``/``month``/``day`` (None where not written); periods carry ``period`` (H1, H2, Q1…).
    """

    start: int
    end: int
    text: str
    kind: Kind
    value: float | None = None
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    approx: str | None = None
    relation: Literal["to", "by"] | None = None
    decimals: int = 0
    scale: float = 1.0
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_end: int | None = None
    period: str | None = None

    @property
    def exact(self) -> bool:
        return self.approx is None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- pattern
def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CN = "[零〇一二两三四五六七八九十百千万亿]"
_CNNUM = rf"{_CN}+(?:点[零〇一二三四五六七八九]+[万亿]?)?"
_AR = (
    r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:，[0-9]{3}(?![0-9０-９]))*(?:[.．][0-9０-９]+|、0[0-9]+)?"
    r"(?:千万|百万|十万|万|亿|千|百(?![分万]))?"
)
_NUM = rf"(?:{_AR}|{_CNNUM})"
_UNITS = _alt(MEASURE_WORDS + ("周年", "万人次", "个百分点", "%", "％", "倍", "成"))
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2}|[１２][０-９]{3}|[一二][〇零一二三四五六七八九]{3})"
_MONTH = r"(?:1[0-2]|0?[1-9]|１[０-２]|[１-９]|十[一二]?|[一二三四五六七八九])"
_DAY = (
    r"(?:3[01]|[12][0-9]|0?[1-9]|[１-３][０-９]|[１-９]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九])"
)
_CNS = "零〇一二两三四五六七八九十百千"
# vague scale words: 数百, 上千, 近万, 逾百 — or a bare scale word approximated: 百余, 千多, 万余, 百来
_VPRE = r"(?<![人总次户件个名倍分系参指基岁届])数|[上几]|将近|近|逾|超过|超"
_VSCALE = r"十万|百万|千万|十|百|千|万"

_STOP = "|".join(
    [
        r"[〔［\[【][0-9０-９]{4}[〕］\]】][0-9０-９]+号",  # 总工发〔2023〕12号
        rf"第[0-9０-９{_CNS}]+",  # 第八届, 第3名
        rf"前[0-9０-９{_CNS}]+名",  # 前3名
        r"^[ \t　]*[0-9０-９]{1,2}[.．、](?![0-9０-９])",  # heading 1. / 1、
        rf"[（(][0-9０-９{_CNS}]{{1,3}}[）)]",  # （1） （一）
        r"[0-9０-９]{1,2}[:：][0-9０-９]{2}",  # 14:30
        rf"[0-9０-９{_CNS}]{{1,3}}点(?:半|[0-9零〇一二三四五六七八九十]{{1,3}}分|钟)",  # 两点半
        r"十[一二三四五]五",  # 十三五
        rf"{_CN}+届(?:{_CN}+[中次](?:{_alt(lx.MEETING_TAILS)}))?",  # 十九届四中全会, 五届十次全委会
        rf"{_CN}+中全会",
        rf"{_CN}+次(?:{_alt(lx.MEETING_TAILS)})",  # 十次全委会
        r"(?<=[“\"「‘『])(?:十一|五一|三八|七一|八一|五四|六一)",
        rf"(?:十一|五一|三八|七一|八一|五四|六一)(?=[”\"」’』]|{_alt(lx.HOLIDAY_FOLLOW)})",
        r"两节(?!课)",
        rf"(?<=[“\"「『])[{_CNS}万][\u4e00-\u9fff]{{0,7}}(?=[”\"」』])",  # “三个一” “五进” “四个到位”: slogans
        rf"{_CN}+个(?:{_alt(lx.SLOGAN_HEADS)})",
        _alt(lx.IDIOMS + lx.SCALE_IDIOMS),
        r"[0-9０-９]+(?=等奖|等功|星级|级|星|届|号|型|A级|后|世纪|年代)",  # 3级, 5号楼, 90后, 70年代
        r"正月[初廿]?[一二三四五六七八九十]+",  # 正月十五
        r"[A-Za-z]+[0-9０-９]+[A-Za-z0-9]*|[0-9０-９]+[A-Za-z]+",  # 5G, G20, 3A
        r"[0-9０-９]+[·•][0-9０-９]+",  # 3·15
        r"[0-9０-９]+[+＋][A-Za-zＮ0-9]",  # 1+N
        r"[0-9]{5,}(?=职工服务热线|服务热线|热线)",  # 12351热线
        r"[0-9]{3,4}-[0-9]{7,8}",  # phone
    ]
)

_PLACEHOLDER = "|".join(
    [
        r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})月[xXＸｘ×]{1,2}[日号]?",
        r"(?:19|20)[0-9]?[xXｘＸ×*＊_＿]{1,2}(?![A-Za-z])",
        r"[xXＸｘ×]{2,}",
        r"[xXＸｘ×](?=[年月日号名人户家个项条场次期件份元万%％位支所批岁届])",
        r"(?<=[0-9０-９月年第])[xXＸｘ×]",
        r"[_＿]{2,}",
        r"○{2,}",
        r"(?<![〇零一二三四五六七八九])〇{2,}(?![〇零一二三四五六七八九])",
        r"某某|某(?:单位|企业|公司|乡|镇|县|市|区|村|街道|社区|医院|学校|局|厂|同志|工会|部门)",
        r"[zZ]{2}(?=[乡镇县市村区])",
    ]
)

_BODY = (
    rf"(?P<ph>{_PLACEHOLDER})"
    r"|(?P<period>上半年|下半年|前三季度|第?[一二三四1-4１-４]季度)"
    rf"|(?P<stop>{_STOP})"
    rf"|(?P<sdate>(?P<y4>{_YEAR})[/／.．-](?P<m4>1[0-2]|0?[1-9])[/／.．-](?P<d4>3[01]|[12][0-9]|0?[1-9])(?![0-9]))"
    rf"|(?P<date>(?P<y>{_YEAR})(?:[-—–~～至到](?P<y2>{_YEAR}))?年(?!代)"
    rf"(?:(?P<m>{_MONTH})月份?(?:(?P<d>{_DAY})[日号])?)?"
    rf"|(?P<m2>{_MONTH})月(?P<d2>{_DAY})[日号]"
    rf"|(?P<m3>{_MONTH})月(?:份|(?![0-9０-９]))"
    rf"|(?<=[至到—\-~～、])(?P<d5>{_DAY})[日号]"
    rf"|(?<=[本每当该])月(?P<d6>{_DAY})[日号])"
    r"|(?P<pct>(?P<ppre>不足|不到|超过|将近|近|约|逾)?"
    r"百分之(?P<pnum>[零〇一二两三四五六七八九十百点]+|[0-9０-９]+(?:[.．][0-9０-９]+)?)(?P<ppost>左右|以上|以下|上下)?)"
    r"|(?P<fan>翻了?(?P<fann>一|两|二|三|[1-3])番)"
    r"|(?P<half>(?P<hpre>超过|将近|近|逾|过)?(?:一半|半数)(?P<hpost>以上)?)"
    rf"|(?P<frac>(?P<fpre>将近|接近|近|大约占|大约|约占|约|逾|超过|超|不到|不足)?"
    rf"(?:(?P<fden>[二两三四五六七八九十百千]+)分之(?P<fnum>[一二两三四五六七八九十]+)"
    r"|(?<![0-9０-９/.．])(?P<fa>[0-9]{1,2})/(?P<fb>[0-9]{1,3})(?![0-9０-９/]))(?P<fpost>以上|以下|左右)?)"
    r"|(?P<band>(?P<bword>成百上千|成千上万|数以(?P<bscale>百|千|万|十万)计)(?P<bunit>" + _UNITS + r")?)"
    rf"|(?P<vague>(?=(?:{_VPRE})|(?:大约|约)?(?:{_VSCALE})(?:余|多|来))(?P<vpre>{_VPRE}|大约|约)?"
    rf"(?P<vscale>{_VSCALE})(?P<vsuf>余|多|来)?(?P<vscale2>万|亿)?(?P<vunit>{_UNITS}))"
    rf"|(?P<q>(?P<pre>将近|接近|近|大约|约|逾|超过|超|不到|不足|不少于|至少|多达)?"
    rf"(?P<num>{_NUM})(?:(?P<sep>[-~～—至到])(?P<num2>{_NUM}))?(?P<suf>余|多|几|来)?(?P<sscale>万|亿)?"
    rf"(?P<unit>{_UNITS})?(?P<post>左右|以上|以下|上下|之多|有余)?)"
)
# Every branch starts with one of these characters. The leading lookahead lets the regex engine skip all other
# positions cheaply (about 7× faster on running text); tests check that it finds exactly what the body finds.
TRIGGERS = (
    "0-9０-９"
    + lx.CN_NUM_CHARS
    + 'xXＸｘ×_＿○某zZA-Za-z上下前第数几近约逾超不至将接大多翻月正半成过（(〔［\\[【“"「‘『 \t　'
)
_PATTERN = re.compile(rf"(?=[{TRIGGERS}])(?:{_BODY})", re.M)
_PATTERN_UNGUARDED = re.compile(_BODY, re.M)

_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
_CN_DIGIT_STR = str.maketrans("〇零一二三四五六七八九", "00123456789")
_PERIODS = {"上半年": "H1", "下半年": "H2", "前三季度": "Q1-3"}
_CHENG_BAD_NEXT = set("立为员果绩功本效长就都熟型份交")


def _int_cn(s: str) -> int:
    s = s.translate(_FULL)
    if s.isdigit():
        return int(s)
    v = chinese_value(s)
    return int(v) if v is not None else 0


def _year(s: str) -> int:
    s = s.translate(_FULL)
    return int(s) if s.isdigit() else int(s.translate(_CN_DIGIT_STR))


def _relation(text: str, start: int) -> Literal["to", "by"] | None:
    before = text[max(0, start - 6) : start]
    for w in lx.RELATION_TO:
        if before.endswith(w):
            return "to"
    for w in lx.RELATION_BY:
        if before.endswith(w):
            return "by"
    return None


def _is_arabic(span: str) -> bool:
    return span[0] in "0123456789０１２３４５６７８９"


def _num_value(span: str) -> float | None:
    return arabic_value(span) if _is_arabic(span) else chinese_value(span)


def find_numbers(text: str) -> list[Mention]:
    """Every quantity, date, period word and placeholder in ``text``, in order, with character offsets."""
    out: list[Mention] = []
    last_month: int | None = None
    for m in _PATTERN.finditer(text):
        g = m.lastgroup
        if g == "q":
            mention = _quantity(m, text)
            if mention is not None:
                out.append(mention)
        elif g == "date":
            mention = _date(m, last_month)
            if mention.month is not None:
                last_month = mention.month
            out.append(mention)
        elif g == "sdate":  # 2024/1/4, 2024-01-04, 2024.1.4
            out.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(),
                    "date",
                    year=_year(m.group("y4")),
                    month=int(m.group("m4")),
                    day=int(m.group("d4")),
                )
            )
        elif g == "ph":
            out.append(Mention(m.start(), m.end(), m.group(), "placeholder"))
        elif g == "period":
            word = m.group()
            p = _PERIODS.get(word) or "Q" + word.replace("第", "").replace("季度", "").translate(_FULL).translate(
                str.maketrans("一二三四", "1234")
            )
            out.append(Mention(m.start(), m.end(), word, "period", period=p))
        elif g == "pct":
            num = m.group("pnum")
            v = 100.0 if num == "百" else _num_value(num)
            if v is not None:
                lo, hi, approx = _approximate(v, m.group("ppre"), None, m.group("ppost"))
                out.append(
                    Mention(
                        m.start(),
                        m.end(),
                        m.group(),
                        "quantity",
                        v,
                        lo,
                        hi,
                        "%",
                        approx,
                        relation=_relation(text, m.start()),
                        decimals=decimals(num),
                    )
                )
        elif g == "half":  # 占全部员工的一半 = 50%
            lo, hi, approx = _approximate(50.0, m.group("hpre"), None, m.group("hpost"))
            out.append(Mention(m.start(), m.end(), m.group(), "quantity", 50.0, lo, hi, "%", approx))
        elif g == "fan":
            n = {"一": 1, "两": 2, "二": 2, "三": 3}.get(m.group("fann")) or int(m.group("fann"))
            v = float(2**n)
            out.append(Mention(m.start(), m.end(), m.group(), "quantity", v, v, v, "倍", relation="to"))
        elif g == "frac":
            mention = _fraction(m, text)
            if mention is not None:
                out.append(mention)
        elif g == "band":
            scale = {"百": 100, "千": 1000, "万": 10_000, "十万": 100_000}.get(m.group("bscale") or "", 0)
            word = m.group("bword")
            lo, hi = {"成百上千": (100.0, 10_000.0), "成千上万": (1000.0, 100_000.0)}.get(
                word, (2.0 * scale, 10.0 * scale)
            )
            unit = canonical_unit(m.group("bunit") or "")
            out.append(Mention(m.start(), m.end(), m.group(), "quantity", lo, lo, hi, unit, approx=word))
        elif g == "vague":
            scale = {
                "十": 10,
                "百": 100,
                "千": 1000,
                "万": 10_000,
                "十万": 100_000,
                "百万": 1_000_000,
                "千万": 10_000_000,
            }[m.group("vscale")]
            scale *= {"万": 10_000, "亿": 100_000_000}.get(m.group("vscale2") or "", 1)
            vpre, vsuf = m.group("vpre"), m.group("vsuf")
            if not vpre or vpre in ("约", "大约"):  # 百余名 → [100, 200]; 千来人 → [800, 1200]; 约百余名 too
                lo, hi = (scale * 0.8, scale * 1.2) if vsuf == "来" else (float(scale), scale * 2.0)
                vpre = vsuf
            elif vpre in ("近", "将近"):
                lo, hi = scale * 0.9, float(scale)
            elif vpre in ("逾", "超过", "超"):
                lo, hi = float(scale), None
            else:
                lo, hi = float(scale * (1 if vpre == "上" else 2)), float(scale * 10)
            out.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(),
                    "quantity",
                    float(scale),
                    lo,
                    hi,
                    canonical_unit(m.group("vunit")),
                    approx=vpre,
                )
            )
        # "stop" matches are skipped on purpose
    return out


def _fraction(m: re.Match[str], text: str) -> Mention | None:
    """三分之一 → 33.33 %; 1/4 → 25 %; 近四分之一 → [22.5, 25] %: a share, read in per cent."""
    if m.group("fden"):
        bare = {"十": 10.0, "百": 100.0, "千": 1000.0, "万": 10000.0}
        den = bare.get(m.group("fden")) or chinese_value(m.group("fden"))
        num = bare.get(m.group("fnum")) or chinese_value(m.group("fnum"))
    else:
        num, den = float(m.group("fa")), float(m.group("fb"))
    if not num or not den or num >= den:
        return None  # 比分3/2, 2/2: not a share
    value = num / den * 100
    pre = (m.group("fpre") or "").removesuffix("占") or None  # 约占三分之一 reads as 约三分之一
    lo, hi, approx = _approximate(value, pre, None, m.group("fpost"))
    return Mention(
        m.start(), m.end(), m.group(), "quantity", value, lo, hi, "%", approx, relation=_relation(text, m.start())
    )


def _date(m: re.Match[str], last_month: int | None) -> Mention:
    start, end, s = m.start(), m.end(), m.group()
    if m.group("y"):
        return Mention(
            start,
            end,
            s,
            "date",
            year=_year(m.group("y")),
            year_end=_year(m.group("y2")) if m.group("y2") else None,
            month=_int_cn(m.group("m")) if m.group("m") else None,
            day=_int_cn(m.group("d")) if m.group("d") else None,
        )
    if m.group("m2"):
        return Mention(start, end, s, "date", month=_int_cn(m.group("m2")), day=_int_cn(m.group("d2")))
    if m.group("m3"):
        return Mention(start, end, s, "date", month=_int_cn(m.group("m3")))
    if m.group("d6"):  # 本月20日: a day of an unnamed month
        return Mention(start + 1, end, s[1:], "date", day=_int_cn(m.group("d6")))
    return Mention(start, end, s, "date", month=last_month, day=_int_cn(m.group("d5")))


def _quantity(m: re.Match[str], text: str) -> Mention | None:
    num, num2 = m.group("num"), m.group("num2")
    pre, suf, post = m.group("pre"), m.group("suf"), m.group("post")
    unit = m.group("unit") or ""
    end = m.end()
    arabic = _is_arabic(num)
    if unit == "成":
        ok = (num.translate(_FULL) in "123456789" or num in "二两三四五六七八九") and len(num) == 1 and not num2
        if not ok or (end < len(text) and text[end] in _CHENG_BAD_NEXT and not post):
            if not arabic:
                return None
            unit, post, end = "", None, m.start("unit")
    # Chinese numerals count only with a measure word (a lone 一 is an article: 一次, 一批, unless qualified),
    # or, bare, when written with a place word and closing the clause: 职工人数三千五。
    if not arabic:
        if not unit and not _bare_chinese_ok(num, text, m.start(), end, pre, suf, num2):
            return None
        durations = ("天", "小时", "个月", "周")  # 历时二天: a duration, not an ordinal
        if (
            num in ("一", "二")
            and not (pre or suf or post or num2)
            and unit not in ("倍", "个百分点", "%", "％")
            and not (num == "二" and unit in durations)
        ):
            return None  # 一次 is "once/a", 二次创业 "second": counts are written 两次, 两个
    if 0 < m.start() and text[m.start() - 1] in '“"「' and _quote_closes(text, end):
        return None  # “四期”保护, “五个一”: a quoted numeral is a name
    start = m.start()
    span = text[start:end]
    lo: float | None  # None: open-ended (200以上)
    hi: float | None

    if num2 is not None:
        v1, v2 = _num_value(num), _num_value(num2)
        if v1 is None or v2 is None:
            return None
        scale2 = num2[-1] if num2[-1] in "万亿" else ""
        if scale2 and num[-1] not in "万亿":
            v1 = (arabic_value(num + scale2) if _is_arabic(num) else chinese_value(num + scale2)) or v1
        if v2 < v1:
            return None
        value, lo, hi, approx = v1, v1, v2, "range"
    else:
        single = _num_value(num)
        approx = None
        if single is None:
            rng = None if arabic else chinese_range(num)
            if rng is None:
                return None
            value, (lo, hi), approx = rng[0], rng, "range"
        else:
            value = lo = hi = single
    sscale = m.group("sscale")
    if sscale:  # 260余万元: the scale follows the approximation
        factor = 10_000 if sscale == "万" else 100_000_000
        value, lo, hi = value * factor, lo * factor, hi * factor
    if suf in ("余", "多", "几", "来") or pre or post:
        lo, hi, approx = _approximate(value, pre, suf, post)
        if sscale and suf in ("余", "多", "几"):
            hi = value + place_of(value / factor) * factor
    canon = canonical_unit(unit)
    if unit == "成":
        value, canon = value * 10, "%"
        if approx is None:
            lo, hi, approx = value - 5, value + 5, "成"
        else:
            lo = lo * 10 if lo is not None else None
            hi = hi * 10 if hi is not None else None
    if canon == "年" and approx is None and value == int(value) and 1900 <= value <= 2100:
        return Mention(start, end, span, "date", year=int(value))  # 两千零八年 is a year
    relation = _relation(text, start) if canon in ("%", "个百分点", "倍") else None
    return Mention(
        start, end, span, "quantity", value, lo, hi, canon, approx, relation, decimals(num), _written_scale(num2 or num)
    )


def _approximate(
    value: float, pre: str | None, suf: str | None, post: str | None
) -> tuple[float | None, float | None, str | None]:
    """The range an approximation claims: 三十余 → [30, 40]; 近3000 → [2700, 3000]; 200以上 → [200, ∞)."""
    lo: float | None = value
    hi: float | None = value
    approx = None
    if suf in ("余", "多", "几") or post == "有余":
        lo, hi, approx = value, value + place_of(value), suf or post
    elif suf == "来":
        lo, hi, approx = value * 0.8, value * 1.2, "来"
    if pre in ("将近", "接近", "近"):
        lo, hi, approx = value * 0.9, value, pre
    elif pre in ("大约", "约") or post in ("左右", "上下"):
        lo, hi, approx = value * 0.9, value * 1.1, pre or post
    elif pre in ("逾", "超过", "超", "过", "不少于", "至少") or post == "以上":
        lo, hi, approx = value, None, pre or post
    elif pre in ("不到", "不足") or post == "以下":
        lo, hi, approx = 0.0, value, pre or post
    return lo, hi, approx


_CLAUSE_CLOSE = set("，。；;,！？!?）)”\n")


def _bare_chinese_ok(
    num: str, text: str, start: int, end: int, pre: str | None, suf: str | None, num2: str | None
) -> bool:
    if pre or suf or num2 or len(num) < 2 or not any(ch in "十百千万亿" for ch in num):
        return False
    if end < len(text) and text[end] not in _CLAUSE_CLOSE:
        return False
    return start == 0 or text[start - 1] not in "\n（(“"


def _quote_closes(text: str, end: int) -> bool:
    """True when only numeral characters stand between ``end`` and a closing quote (“五个一”)."""
    i = end
    while i < len(text) and i - end <= 3 and text[i] in lx.CN_NUM_CHARS:
        i += 1
    return i < len(text) and text[i] in '”"」'


def _written_scale(num: str) -> float:
    for word, factor in (("千万", 1e7), ("百万", 1e6), ("十万", 1e5), ("万", 1e4), ("亿", 1e8)):
        if num.endswith(word):
            return factor
    return 1.0
