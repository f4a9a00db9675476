"""Put back the line breaks a run-on text lost: headings inline in paragraphs, the title in front, the 落款 behind.

Contract: ``resegment(paragraphs)`` returns the paragraphs with
- every **inline heading** of the 一、/（一）/1./（1）/① ladder on a line of its own. A marker inside a paragraph is a
  heading only when the ladder expects it (the next number of a style already open, or 1 of a new style) and it
  stands where a heading can: after a sentence end (。！？；：) or the paragraph start — or right after the previous
  heading's title for （一）/（1）/① and for a 1./一、 that follows a heading within 50 characters. So 「第一、二季度」
  「一、二线职工」「3.5万元」 and 「（2）」 in mid-sentence out of sequence stay text.
- an inline heading whose title runs straight into its body (no punctuation: 「（一）提升技术能力引领广大职工…」)
  split where the title most plausibly ends: after a word headings end with (工作/活动/建设/能力…) and before one
  sentences start with (一是/今年/按照/积极…), within 4–32 characters.
- a **title** glued to the start of a run-on paragraph (「…工会2024年工作总结2024年，…」) on its own line;
- the **落款** glued to the end of a run-on paragraph (「…。某某县总工会2024年12月28日」) on lines of its own;
- the **closing** of a run-on text (「…。回顾过去一年，…；展望新的一年，…」, near its end) on a line of its own.
Lines that are already one paragraph each come back unchanged unless they hold inline headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .patterns import CN_DIGITS, is_title_line
from .title_end import glued_plain_headings, title_end

CN = "一二三四五六七八九十"
HAN = r"\u4e00-\u9fff"
_MARK_RE = re.compile(
    rf"(?P<pcn>[（(](?P<pcn_n>[{CN}]{{1,3}})[)）])"
    rf"|(?P<par>[（(](?P<par_n>\d{{1,2}})[)）])"
    rf"|(?P<di>第(?P<di_n>[{CN}]{{1,3}})[、，,．.：:](?![{CN}]))"
    rf"|(?P<cn>(?P<cn_n>[{CN}]{{1,3}})[、．.](?![{CN}][、．.]))"
    rf"|(?P<ar>(?P<ar_n>\d{{1,2}})(?:、|[.．](?!\d)))"
    r"|(?P<circ>[①②③④⑤⑥⑦⑧⑨⑩])"
)
_STRONG_BEFORE = set("。！？；：!?;:…")
_CLOSERS = set("”’」』）)")
_NOT_BEFORE = set(CN_DIGITS + "第0123456789.．" + "零两")
_TITLE_START_RE = re.compile(rf"[{HAN}“《A-Za-z]")
_LOOSE_STYLES = ("pcn", "par", "circ")
_NEAR = 50
MIN_SCORE = 3.0

_TITLE_HEAD_RE = re.compile(
    rf"^(?P<title>[^，。；：！？,;:]{{2,38}}?(?:工作总结|工作汇报|工作报告|总结)"
    # 「…工作总结及下半年工作思路」「…总结和2025年工作计划」: the review and what follows it make one title
    rf"(?:(?:及|和|与|暨)[^，。；：！？,;:]{{0,14}}?(?:计划|打算|思路|要点|安排))?"
    rf"(?:[（(][^）)]{{1,12}}[)）])?)(?=[{HAN}\d“_＿A-Za-z])"
)
_YEAR = r"(?:(?:19|20)\d\d|20[xX×_*＿]{2}|201[xX×_*]|[_＿]{2}|[〇○零一二三四五六七八九]{4})"
_YEAR_START_RE = re.compile(rf"{_YEAR}年")
_DATE = rf"{_YEAR}年[\d一二三四五六七八九十]{{1,2}}月(?:[\d一二三四五六七八九十]{{1,3}}日)?"
_SIGN_TAIL_RE = re.compile(
    rf"(?<=[。！？”])(?P<unit>[^，。；：！？、“”]{{2,30}}?(?:工会(?:委员会)?|工委|委员会|联合会))?(?P<date>{_DATE})$"
)

# Words a heading title often ends with, and words a body sentence often starts with.
_TITLE_END = (
    "工作 活动 建设 能力 水平 素质 技能 机制 作用 权益 基础 形象 关系 服务 职能 组织 队伍 制度 文化 保障 实效 成效 "
    "氛围 合力 发展 质量 生活 需求 品牌 阵地 体系 格局 效能 力度 功能 覆盖 利益 主线 大局 中心 任务 目标 责任 精神 "
    "风采 热情 积极性 创造力 获得感 幸福感 安全感 凝聚力 向心力 影响力 战斗力 职工 会员 民主 管理 竞赛 帮扶 维权 "
    "温暖 家园 之家 上下功夫 新局面 新成效 新突破 新台阶 新发展 再上新台阶 落到实处 取得实效 稳步推进 扎实推进 "
    "有序推进 不断加强 持续深化 全面推进 显著提升 明显提升 进一步加强 作用发挥 工作打算 打算 计划 思路 不足 问题 "
    "宣讲 宣传 教育 培训 协商 争议 调解 作风 引领 覆盖面 创新 关爱 慰问 救助 助学 劳模 工匠 健康 安全 权利 "
    "评选 表彰 公开 监督 自身建设 活力 底线 根基 防线 纽带 桥梁 阵地建设 示范 品质 效率 整改 素养 作用 "
    "师风 政治 理论 运行 运转 到位 全覆盖 见效"
).split()
_BODY_START = (
    "一是 今年 上半年 下半年 年初 全年 半年来 一年来 去年 按照 根据 为了 为 在 围绕 以 通过 坚持 结合 积极 认真 "
    "充分 始终 进一步 我们 我会 我局 我院 我校 我镇 我乡 我公司 本 各 组织 开展 引领 动员 深入 针对 紧紧 紧扣 立足 "
    "聚焦 全面 切实 不断 大力 扎实 着力 首先 今后 目前 截至 截止 共 全县 全市 全镇 全乡 全区 院工会 局工会 校工会 "
    "公司工会 集团工会 县总工会 市总工会 镇工会 乡工会 工会 依托 加大 主动 持续 利用 由于 虽然 尽管 随着 以来 "
    "组建 举办 召开 建成 新建 新命名 命名 成立 制定 出台 建立 完成 实现 投入 筹集 发放 走访 慰问了 选派 邀请 "
    "举行 联合 协调 督促 指导 帮助 做好 抓好 落实了 修订 签订 新签 上报 推荐 评选出 表彰了 全年共 年内"
).split()


_TITLE_END_RE = re.compile(
    rf"(新[{HAN}]{{2}}|[{HAN}]{{2}}化|[{HAN}]性|(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步|日益|更加)[{HAN}]{{2}})$"
)
_ADVERB_RE = re.compile(r"^(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步|日益|更加)")


def _strength(text: str, start: int, last_heading: int | None) -> str:
    if start == 0:
        return "strong"
    prev = text[start - 1]
    if prev in _NOT_BEFORE:
        return "none"
    if prev in _STRONG_BEFORE or (prev in _CLOSERS and start >= 2 and text[start - 2] in _STRONG_BEFORE):
        return "strong"
    if (
        last_heading is not None
        and start - last_heading <= _NEAR
        and not re.search("[。！？；]", text[last_heading:start])
    ):
        return "weak"
    return "none"


class _Ladder:
    """The open heading styles with their last numbers, outermost first."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []  # (style, last number)

    def styles(self) -> list[str]:
        return [s for s, _ in self.stack]

    def force(self, style: str, n: int) -> None:
        if style in self.styles():
            del self.stack[self.styles().index(style) + 1 :]
            self.stack[-1] = (style, n)
        else:
            self.stack.append((style, n))

    def repeats(self, style: str, n: int) -> bool:
        """The last number of an open style again (a numbering slip in the source: 一、 … 一、 … 二、)."""
        return style in self.styles() and self.stack[self.styles().index(style)][1] == n

    def accepts(self, style: str, n: int, strength: str, prev: str) -> bool:
        if strength == "none" and style not in _LOOSE_STYLES:
            return False
        if style in self.styles():
            k = self.styles().index(style)
            last = self.stack[k][1]
            if n == last + 1 or (n == last + 2 and strength == "strong"):
                return True
            return n == 1 and k == 0 and strength == "strong" and prev in "：:"
        return n == 1


def _number(style: str, raw: str) -> int:
    if style in ("ar", "par"):
        return int(raw)
    if style == "circ":
        return "①②③④⑤⑥⑦⑧⑨⑩".index(raw) + 1
    import cn2an

    try:
        return int(cn2an.cn2an(raw, "smart"))
    except (ValueError, KeyError, TypeError):
        return -1


def _marks(text: str) -> Iterator[tuple[re.Match[str], str, int]]:
    for m in _MARK_RE.finditer(text):
        style = next(s for s in ("pcn", "par", "di", "cn", "ar", "circ") if m.group(s))
        raw = m.group(f"{style}_n") if style != "circ" else m.group("circ")
        yield m, style, _number(style, raw)


def _viable(line: str, m: re.Match[str], style: str) -> bool:
    """A heading title can start right after the marker (not 「1、2月」「3.5万」)."""
    end = m.end()
    return end >= len(line) or bool(
        _TITLE_START_RE.match(line[end])
        or (style in ("cn", "di", "pcn") and line[end].isdigit())
        or _YEAR_START_RE.match(line, end)
    )


def _confirmed(marks: list[tuple[int, str, int, str]], k: int, ladder: _Ladder) -> bool:
    """A marker in an unpunctuated spot (「…几点意见一、加强学习…」, the sentence before it lost its full stop)
    is a heading when the sequence goes on: the next number of its style follows at a sentence start before any
    marker that would close it (the next number of a style open above it)."""
    _, style, n, _ = marks[k]
    above = ladder.styles()
    if style in above:
        above = above[: above.index(style)]
    expected = {s: last + 1 for s, last in ladder.stack if s in above}
    for _, s2, n2, strength in marks[k + 1 :]:
        if strength != "strong":
            continue
        if s2 == style:
            if n2 == n + 1:
                return True
            if n2 <= n:
                return False
        elif expected.get(s2) == n2:
            return False
    return False


def _split_line(line: str, ladder: _Ladder) -> list[tuple[str, bool]]:
    """(segment, inline) pieces of one paragraph, cut before every heading the ladder accepts."""
    cuts: list[int] = []
    last_heading: int | None = None
    marks = [(m, style, n) for m, style, n in _marks(line) if _viable(line, m, style)]
    # strength as the text stands (a sentence end or the paragraph start before it), for looking ahead
    plain = [
        (m.start(), style, n, "strong" if m.start() == 0 else _strength(line, m.start(), None)) for m, style, n in marks
    ]
    for k, (m, style, n) in enumerate(marks):
        if m.start() == 0:
            ladder.force(style, n)
            last_heading = 0
            continue
        strength = _strength(line, m.start(), last_heading)
        accepted = ladder.accepts(style, n, strength, line[m.start() - 1])
        if not accepted and strength != "strong" and ladder.accepts(style, n, "weak", ""):
            accepted = line[m.start() - 1] not in _NOT_BEFORE and _confirmed(plain, k, ladder)
        if not accepted and strength == "strong" and ladder.repeats(style, n):
            accepted = _confirmed(plain, k, ladder)  # 「一、…。一、…。二、…」: a number written twice by mistake
        if accepted:
            ladder.force(style, n)
            cuts.append(m.start())
            last_heading = m.start()
    if not cuts:
        return [(line, False)]
    pieces = [(line[: cuts[0]], False)] + [(line[a:b], True) for a, b in zip(cuts, cuts[1:] + [len(line)], strict=True)]
    return [(p.strip(), inline) for p, inline in pieces if p.strip()]


def _split_title_body(segment: str) -> list[str]:
    m = _MARK_RE.match(segment)
    if not m:
        return [segment]
    cut = title_end(segment[m.end() :], segment[: m.end()])
    if cut is None:
        return [segment]
    return [segment[: m.end() + cut], segment[m.end() + cut :]]


def _runs_on(segment: str) -> bool:
    """A heading line whose first sentence runs past 50 characters: its title had no full stop and ran into its
    body in the source too (「4、做热爱本职、…上下功夫落实…」); the section parser would cut it at its first comma."""
    m = _MARK_RE.match(segment)
    if not m:
        return False
    stop = re.search("[。；！？：]", segment[m.end() :])
    return stop is None or stop.start() > 50


def _split_title(line: str) -> list[str]:
    m = _TITLE_HEAD_RE.match(line)
    if m and len(line) - m.end() >= 60 and not line[m.end() :].startswith("如下"):
        return [m.group("title"), line[m.end() :]]
    return [line]


_SIGNER_END_RE = re.compile(r"(工会(委员会)?|工委|委员会|联合会)$")
_DATE_TAIL_RE = re.compile(rf"(?P<date>{_DATE})$")


def _known_signer(before: str, text: str) -> str | None:
    """The unit right before a glued 落款 date when nothing separates it from the text before it
    (「…增强工会活力某镇工会2024年7月5日」): the longest union name ending there that the summary names elsewhere too
    (its title, its opening; 「…工会委员会」 signs for 「…工会」), so the cut falls where the name begins."""
    for k in range(min(30, len(before)), 3, -1):
        cand = before[-k:]
        if re.search(r"[，。；：！？、“”（）\s]", cand) or not _SIGNER_END_RE.search(cand):
            continue
        core = cand.removesuffix("委员会") if cand.endswith("工会委员会") else cand
        if text.count(cand) >= 2 or text.count(core) >= 2:
            return cand
    return None


def _split_signature(line: str, text: str) -> list[str]:
    """The 落款 glued to the end of the last paragraph, as [rest, unit, date] (unit when found)."""
    m = _SIGN_TAIL_RE.search(line) if len(line) >= 60 else None
    if m:
        return [line[: m.start()]] + ([m.group("unit")] if m.group("unit") else []) + [m.group("date")]
    m = _DATE_TAIL_RE.search(line)
    if not m or m.start() < 4 or not re.match(rf"[{HAN}A-Za-z]", line[m.start() - 1]):
        return [line]
    before = line[: m.start()]
    unit = _known_signer(before, text)
    if unit is not None and len(before) > len(unit):
        return [before[: -len(unit)], unit, m.group("date")]
    if m.group("date").endswith("日"):
        return [before, m.group("date")]  # a full date ending the text is the 落款's, whoever signed it
    return [line]


# The closing of a run-on text (「…办好职工服务阵地。回顾过去一年，成绩来之不易；展望新的一年，…」): a concluding
# sentence after a sentence end, near the end of the last paragraph. Serves summaries whose line breaks were lost,
# where the closing would otherwise be read as the last section's (often the plans') body.
_CLOSING_IN_RE = re.compile(
    r"(?<=[。！？])(总之|总的来说|总而言之|综上所述|回顾(过去|这一年|一年来|全年|上半年|半年来)|展望(新的一年|未来|明年|下半年)"
    r"|新的一年[里，,]|过去的一年[里，,]|在新的一年)"
)
_CLOSING_MAX = 400


def _split_closing(para: str) -> list[str]:
    for m in _CLOSING_IN_RE.finditer(para):
        if m.start() >= 100 and len(para) - m.start() <= _CLOSING_MAX:
            return [para[: m.start()], para[m.start() :]]
    return [para]


def _split_plain(para: str) -> list[str]:
    """The paragraph around its glued unnumbered headings: text, heading, text, heading, text…"""
    pieces: list[str] = []
    pos = 0
    for a, b in glued_plain_headings(para):
        pieces += [para[pos:a], para[a:b]]
        pos = b
    return pieces + [para[pos:]]


def resegment(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    ladder = _Ladder()
    whole = "\n".join(paragraphs)
    for i, para in enumerate(paragraphs):
        if is_title_line(para):
            ladder = _Ladder()
        lines = _split_title(para) if i < 3 and len(para) > 100 else [para]
        if len(lines) == 2:
            out.append(lines[0])
            ladder = _Ladder()
            para = lines[1]
        tail = _split_signature(para, whole) if i == len(paragraphs) - 1 else [para]
        para, extra = tail[0], tail[1:]
        if i == len(paragraphs) - 1 and len(para) > 200:
            para, *closing = _split_closing(para)
            extra = closing + extra
        for n, piece in enumerate(_split_plain(para) if len(para) > 200 else [para]):
            if n % 2:  # an unnumbered heading closes every list open above it
                out.append(piece)
                ladder = _Ladder()
                continue
            for seg, inline in _split_line(piece, ladder):
                out.extend(_split_title_body(seg) if inline or _runs_on(seg) else [seg])
        out.extend(extra)
    return out
