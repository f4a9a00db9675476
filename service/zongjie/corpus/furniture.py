"""Web-page furniture inside a line: found as spans, so that only the furniture goes, never the text around it.

Serves copies of summaries saved from essay sites and document-sharing sites (the shape of most archives a union
office finds on the web): breadcrumbs, posting lines, 「下面是小编…整理的」 introductions, collection titles
(「…总结4篇」「（通用10篇）」), download notices, copyright lines, adverts and page tails (「猜你喜欢」…). On a page
whose line breaks survived, such a span usually is the whole line; on a page whose line breaks were lost (one line
for the whole page) it is a stretch of that line, and the summary around it must stay.

Contract: ``furniture_spans(line, in_prose)`` returns ``(start, end, rule)`` spans of the line, sorted and not
overlapping; ``rule`` names the class of furniture (``RULES``). ``tail_start(line)`` is the offset where the tail of
a page starts (everything after it up to the next document separator is furniture), or None.
A span is as small as its class allows: a sentence for an introduction or a notice, the key and its value for a
posting line, the run of segments for a breadcrumb, the title for a collection title, the word for a site name.
"""

from __future__ import annotations

import re

RULES = {
    "breadcrumb": "导航路径（首页 > 栏目 > …）",
    "posting": "发布信息（时间、来源、作者、浏览量）",
    "site_intro": "网站导语（小编整理、供参考、欢迎阅读）",
    "collection_title": "合集标题（…N篇）",
    "site_name": "网站名称（…范文网）",
    "notice": "下载、版权、客服提示",
    "advert": "广告、标签、推广",
    "menu": "菜单、链接等短行",
    "tail": "页面尾部（猜你喜欢、相关文章…）",
    "page_number": "页码行、文档网站的页标签（….docx_第3页）",
    "markup": "网页标记、嵌入图片",
    "not_a_summary": "不是总结的片段（网站页头、提示、目录）",
    "toc": "目录",
    "title_repeat": "正文标题之上的其他标题（页面标题、重复的标题）",
}

_SENT_END = "。！？!?"
_MAX_SENTENCE = 160

# a breadcrumb: 「当前位置：首页 > 范文 > 工作总结 > …」, or a line that opens with its separator (「> 总结大全 > …」)
_CRUMB_START_RE = re.compile(
    r"(首页|当前位置|您的位置|您现在的位置)\s*[:：>＞»]|^\s*位置\s*[:：]|^\s*[>＞»]\s*(?=\S)"
    # a site's name as the first step of its path (「某某总结网 > 总结报告 >」)
    r"|[^\s>＞»。，；：]{1,10}(网|站|频道)\s*[>＞»](?=[^>＞»]{1,30}[>＞»])"
)
_CRUMB_SEP = ">＞»"
_CRUMB_LAST_RE = re.compile(r"[^。！？，；>＞»]{1,40}?(总结|汇报|报告|计划|范文|大全|篇|正文|栏目)")
# a posting line: key and value (「发布时间：2024-05-22」「来源：网友投稿」「热度：38」「网站客服：…」)
_DATETIME = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_POSTING_RE = re.compile(
    rf"(?:发布|更新|上传人|上传|来源|作者|编辑|责任编辑|浏览|阅读|点击|热度|人气|字数|下载|收藏|网站客服|客服|文档介绍|内容简介"
    rf"|文档编号|格式|页数|大小)"
    rf"(?:时间|日期|次数|量|人|数)?\s*[:：]\s*(?:{_DATETIME}|[\dA-Za-z\-]{{1,16}}|[^\s:：，。；!！?？]{{0,6}}(?=\s|$|[，。；]))?"
    rf"|(?:时间|日期)\s*[:：]\s*{_DATETIME}"
    # a posting date and time, with the page's category after it when nothing else follows (「… 01:49:01工作总结」)
    rf"|\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:\s*[^\s，。；]{{1,8}}$)?"
    rf"|^\s*\d{{4}}\.\d{{1,2}}\.\d{{1,2}}(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
)
# the introductions of essay sites, each a sentence
_INTRO_RE = re.compile(
    r"小编|希望(能够|能|可以)?(对|为|给|帮)(大家|您|你)|欢迎(大家)?(阅读|借鉴|参考|收藏|下载|分享)|供(大家|您|你)(参考|借鉴|阅读)"
    # a site's own words about the article (「本文将从…方面进行总结」「…总结范文是对…的回顾」)
    r"|本文(将|从|是|为|主要|介绍|以)|本篇|范文(是|为|给|供|精选|仅供)"
    r"|仅供参考|(以下|下面)是.{0,24}(整理|收集|分享|精心)|该怎么写|如何写好|写一份.{0,8}吧|(总结|计划)是.{0,30}书面材料"
)
_SITE_NAME_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,6}(范文|文库|文档)(网|站|库|大全)|范文")
# a collection title: 「…工作总结4篇」「（通用10篇）」「精选3篇」「(十一篇)」
_COLLECTION_RE = re.compile(
    r"[【\[(（]?(热门|精选|推荐|优秀|通用|最新|实用|汇总|合集|集锦|大全)\s*\d*\s*篇[】\])）]?"
    r"|[(（]\s*(精选|推荐|热门|通用|优选)?\s*[\d一二三四五六七八九十]+\s*篇\s*[)）]"
    # 「…工作总结4篇」 as a page title: not a count in a sentence (「撰写工作总结3篇，」 goes on with punctuation)
    r"|(?<=总结|汇报|计划|范文)\s*\d{1,2}\s*篇(?![\d一二三四五六七八九十，。、；：,.;:）)])"
)
# copyright lines, contact lines, adverts
_NOTICE_STRONG_RE = re.compile(
    r"版权所有|版权归|免责声明|联系删除|转载请注明|代笔|联系老师|会员专享|预览阅读|本站|本网|客服|VIP|付费|侵权|温馨提示"
    r"|文档由|https?://|www\.|下载文档|放心下载|仅部分预览|由会员分享|在线阅读|珍藏版|[A-Za-z]+\.(com|cn|net)\b"
)
_NOTICE_WEAK_RE = re.compile(r"下载|预览|上传|扫码|扫一扫|公众号|点击|复制|全文|文档|\.com|\.cn")
_ADVERT_RE = re.compile(r"[👉👈☞].*|^\s*(广告|推广|赞助)\s*[:：].*|^\s*(TAGS?|标签)\s*[:：].*|^.{0,30}内容页$")
# Words that mark furniture only on a short line: a real paragraph may well mention 微信 or 下载.
_SHORT_MENU_RE = re.compile(
    r"(https?://|www\.|\.com\b|\.cn\b|点击|扫码|扫一扫|关注公众号|下载|复制|全文|客服|微信|QQ|VIP|本站|本网|侵权|[★☆▲▼●◆])"
)
_SHORT = 50
# document-sharing sites label every page with the file name (「…工作总结6篇.docx_第3页」)
_PAGE_LABEL_RE = re.compile(r"[^\s。，；《》]{0,40}\.(?:docx?|pdf|wps|txt)(?:_第\d{1,4}页)?", re.IGNORECASE)
# set phrases of document-sharing pages that stand inside a line, before the title (「文本为Word版本，下载可任意编辑」),
# and the word 「内容页」 that essay sites put after their name
_PHRASE_RE = re.compile(
    r"(文本为Word版本[，,]?)?下载(后)?可任意编辑|内容页|[-–]?\s*(相关推荐|相关文章|目录)(?=第\d+篇)"
)
_MARKUP_RE = re.compile(
    r"<(image|img)\b[^<]*</\1>|</?[a-zA-Z]{1,10}(\s[^<>]{0,200})?/?>|data[:：]image/[^<\s]*", re.IGNORECASE
)
_TAIL_RE = re.compile(r"预览阅读已结束|猜你喜欢|相关文章|相关推荐|热门推荐|推荐阅读|精选相关文章|更多相关")


def tail_start(line: str) -> int | None:
    m = _TAIL_RE.search(line)
    return m.start() if m else None


def _sentence(line: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The sentence around ``line[start:end]``, not reaching back before ``floor``; a run-on stretch is kept short."""
    a = start
    while a > floor and line[a - 1] not in _SENT_END and start - a < _MAX_SENTENCE:
        a -= 1
    b = end
    while b < len(line) and line[b - 1] not in _SENT_END and b - end < _MAX_SENTENCE:
        b += 1
    return a, b


def _breadcrumb(line: str, m: re.Match[str]) -> tuple[int, int]:
    pos = m.end()
    while True:
        nxt = min((line.find(s, pos) for s in _CRUMB_SEP if line.find(s, pos) >= 0), default=-1)
        if nxt < 0 or nxt - pos > 30 or re.search(r"[。！？，；]", line[pos:nxt]):
            break
        pos = nxt + 1
    rest = line[pos:]
    if len(rest.strip()) <= 40:
        return m.start(), len(line)
    last = _CRUMB_LAST_RE.match(rest)
    return m.start(), pos + (last.end() if last else 0)


def _title_back(line: str, at: int, floor: int) -> int:
    """Where the title ending at ``at`` begins: the previous punctuation or space, the floor, at most 40 back."""
    a = at
    while a > floor and at - a < 40 and line[a - 1] not in "。！？；，,;!? \t>＞»】]":
        a -= 1
    return a


def furniture_spans(line: str, in_prose: bool = False) -> list[tuple[int, int, str]]:
    """The furniture of one (normalised) line. ``in_prose``: the line is a piece of a hard-wrapped paragraph, so a
    short line mentioning 微信 or 下载 is prose, not a menu item."""
    spans: list[tuple[int, int, str]] = []
    if not line.strip():
        return spans
    if not in_prose and len(line) <= _SHORT and _SHORT_MENU_RE.search(line):
        return [(0, len(line), "menu")]
    for m in _PHRASE_RE.finditer(line):
        spans.append((m.start(), m.end(), "notice"))
    for m in _MARKUP_RE.finditer(line):
        spans.append((m.start(), m.end(), "markup"))
    for m in _PAGE_LABEL_RE.finditer(line):
        spans.append((m.start(), m.end(), "page_number"))
    for m in _CRUMB_START_RE.finditer(line):
        a, b = _breadcrumb(line, m)
        spans.append((a, b, "breadcrumb"))
    for m in _POSTING_RE.finditer(line):
        spans.append((m.start(), m.end(), "posting"))
    for m in _INTRO_RE.finditer(line):
        a, b = _sentence(line, m.start(), m.end(), _floor(spans, m.start()))
        spans.append((a, b, "site_intro"))
    for m in _ADVERT_RE.finditer(line):
        spans.append((m.start(), m.end(), "advert"))
    for m in _NOTICE_STRONG_RE.finditer(line):
        a, b = _sentence(line, m.start(), m.end(), _floor(spans, m.start()))
        if b - a <= _MAX_SENTENCE:
            spans.append((a, b, "notice"))
    for a, b in _sentences(line):
        s = line[a:b]
        if b - a <= 100 and len({w.group(0) for w in _NOTICE_WEAK_RE.finditer(s)}) >= 2:
            spans.append((a, b, "notice"))
    for m in _COLLECTION_RE.finditer(line):
        a = _title_back(line, m.start(), _floor(spans, m.start()))
        spans.append((a, m.end(), "collection_title"))
    for m in _SITE_NAME_RE.finditer(line):
        spans.append((m.start(), m.end(), "site_name"))
    return _merge(spans)


def _sentences(line: str) -> list[tuple[int, int]]:
    out = []
    a = 0
    for i, ch in enumerate(line):
        if ch in _SENT_END:
            out.append((a, i + 1))
            a = i + 1
    if a < len(line):
        out.append((a, len(line)))
    return out


def _floor(spans: list[tuple[int, int, str]], at: int) -> int:
    return max((b for _, b, _ in spans if b <= at), default=0)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans become one (the class of the first); a span inside another goes."""
    out: list[tuple[int, int, str]] = []
    for a, b, rule in sorted(spans):
        if a >= b:
            continue
        if out and a < out[-1][1]:
            pa, pb, prule = out[-1]
            out[-1] = (pa, max(pb, b), prule)
        else:
            out.append((a, b, rule))
    return out
