"""Corrupted variants of a clean summary, as real archives hold them.

Contract: every function takes the clean text of ONE summary (title line, paragraphs, 落款 lines; one paragraph
per line) and a seeded ``random.Random``, and returns the same summary as a messier source would give it — the
words are the same, only the shape changes. ``TEXT_VARIANTS`` maps a variant class name to such a function;
``FILE_VARIANTS`` names the classes that need LibreOffice (``office.py`` builds those files in batches).

The boilerplate and running-header lines below are written for this benchmark (typical web-page furniture),
never taken from a real summary.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

HAN = "\u4e00-\u9fff"

WEB_HEADER = [
    "首页 > 工作总结 > 工会工作总结",
    "当前位置：文档中心 > 党团工会",
    "发布时间：2024-03-18 09:12:44  来源：本站原创  浏览次数：1523",
    "本文由小编整理，希望对大家有所帮助。",
]
WEB_FOOTER = [
    "预览阅读已结束，下载完整文档请点击下方按钮。",
    "猜你喜欢",
    "学校后勤部门年度总结精选",
    "社区志愿服务活动心得体会",
    "版权所有 © 文档中心  免责声明  联系删除",
]
WEB_INLINE = [
    "扫码关注公众号，获取更多资料",
    "★★★ 下载本文完整版 ★★★",
]


def no_breaks(text: str, rng: random.Random) -> str:
    """Every line break removed (text copied from a web page or a PDF viewer)."""
    return "".join(line.strip() for line in text.splitlines())


def no_breaks_spaced(text: str, rng: random.Random) -> str:
    """Line breaks turned into single spaces (another common copy-paste result)."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def page_digits(text: str, rng: random.Random) -> str:
    """Page numbers where a page ended, every 500–900 characters: mostly glued into the sentence between two
    Chinese characters (a PDF text layer read as one stream), sometimes a footer line of its own (「— 3 —」,
    「第3页 共9页」) between two lines."""
    out: list[str] = []
    page, since, framed = 1, 0, False
    next_break = rng.randint(500, 900)
    for ch_i, ch in enumerate(text):
        nxt = text[ch_i + 1] if ch_i + 1 < len(text) else ""
        if framed and ch == "\n":
            out.append(f"\n— {page} —" if rng.random() < 0.5 else f"\n第{page}页 共{page + 1}页")
            page, since, framed = page + 1, 0, False
            next_break = rng.randint(500, 900)
        out.append(ch)
        since += 1
        if not framed and since >= next_break and re.match(f"[{HAN}]", ch) and re.match(f"[{HAN}]", nxt or "x"):
            if rng.random() < 0.6:
                out.append(str(page))
                page, since = page + 1, 0
                next_break = rng.randint(500, 900)
            else:
                framed = True
    return "".join(out)


def broken_lines(text: str, rng: random.Random) -> str:
    """Long lines hard-wrapped every 28–40 characters, in mid-sentence (PDF or e-mail text)."""
    width = rng.randint(28, 40)
    out: list[str] = []
    for line in text.splitlines():
        out.extend(line[i : i + width] for i in range(0, max(1, len(line)), width))
    return "\n".join(out)


def boilerplate(text: str, rng: random.Random) -> str:
    """Web furniture around and inside the summary: site header, posting date, ads, a related-articles tail."""
    lines = text.splitlines()
    body = list(lines)
    for ad in WEB_INLINE:
        if len(body) > 4:
            body.insert(rng.randint(2, len(body) - 1), ad)
    return "\n".join(WEB_HEADER + body + WEB_FOOTER)


def traditional(text: str, rng: random.Random) -> str:
    """The page converted to traditional characters (萬、億、條、餘) for another region."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def doubled_punct(text: str, rng: random.Random) -> str:
    """Punctuation doubled by a bad conversion: 「，，」「、，」「。。」 at about one comma in six."""

    def repl(m: re.Match) -> str:
        if rng.random() > 0.17:
            return m.group(0)
        return m.group(0) + rng.choice(["，", "，", "、"] if m.group(0) == "，" else [m.group(0)])

    text = re.sub("[，。]", repl, text)
    return re.sub("、", lambda m: "、，" if rng.random() < 0.1 else "、", text)


def everything(text: str, rng: random.Random) -> str:
    """Doubled punctuation, hard-wrapped lines, page numbers, then web furniture around and inside it."""
    return boilerplate(page_digits(broken_lines(doubled_punct(text, rng), rng), rng), rng)


TEXT_VARIANTS: dict[str, Callable[[str, random.Random], str]] = {
    "no_breaks": no_breaks,
    "no_breaks_spaced": no_breaks_spaced,
    "page_digits": page_digits,
    "broken_lines": broken_lines,
    "boilerplate": boilerplate,
    "traditional": traditional,
    "doubled_punct": doubled_punct,
    "everything": everything,
}
FILE_VARIANTS = ("pdf", "docx", "docx_styled", "pdf_styled")
