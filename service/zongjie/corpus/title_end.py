"""Where a heading title ends when the line break after it was lost (「（一）提升技术能力引领广大职工开展…」).

Contract: ``title_end(rest)`` takes the text right after a heading marker, up to the next heading, and returns the
offset where the heading's title ends and its body begins, or None when the title needs no cut: the heading's
first sentence ends within reach (the section parser cuts there), the whole item is one short sentence (a list item
such as 「（二）慰问困难职工18户。」, whose sentence is its title), or no cut is plausible.

A cut is scored as a careful reader would place it:
- the title ends with a word headings end with (工作、建设、能力、作用、新局面、上下功夫、丰富多彩…; nouns of the
  genre, 「新X」「X化」「X性」, adverb + verb such as 「稳步推进」);
- the body starts like a sentence of the genre: a subject (我们、我会、各级工会、集团公司…), a time (今年、年初、
  1月、“五一”期间、201*年…), a connective (首先、一是、为了…) or an action verb (开展、组织、举办…);
- a body starting with a figure or an opening quotation mark (「3月召开」「“三八”节期间」) starts a sentence;
- the title is a heading's length (4–40 characters), a two-part title 「X，Y」 has a real second part, and no word
  (jieba) is cut in two;
- a cut must score at least ``MIN_SCORE``; among cuts, the best wins and a tie goes to the longer title when its
  body starts with a subject or a time (「强化政治引领|我会始终…」, not 「强化政治|引领我会…」).
"""

from __future__ import annotations

import functools
import re

HAN = r"\u4e00-\u9fff"
MIN_SCORE = 3.0
MAX_TITLE = 45
SHORT_ITEM = 50

# Words a heading title often ends with.
TITLE_END_WORDS = frozenset(
    (
        "工作 活动 建设 能力 水平 素质 技能 机制 作用 权益 基础 形象 关系 服务 职能 组织 队伍 制度 文化 保障 实效 "
        "成效 氛围 合力 发展 质量 生活 需求 品牌 阵地 体系 格局 效能 力度 功能 覆盖 利益 主线 大局 中心 任务 目标 "
        "责任 精神 风采 热情 积极性 创造力 获得感 幸福感 安全感 凝聚力 向心力 影响力 战斗力 职工 会员 民主 管理 "
        "竞赛 帮扶 维权 温暖 家园 之家 上下功夫 新局面 新成效 新突破 新台阶 新发展 新步伐 新特色 新成绩 新提高 "
        "新进展 新气象 新面貌 新水平 新成果 新活力 新亮点 再上新台阶 落到实处 取得实效 稳步推进 扎实推进 有序推进 "
        "不断加强 持续深化 全面推进 显著提升 明显提升 进一步加强 作用发挥 工作打算 打算 计划 思路 要点 不足 问题 "
        "差距 宣讲 宣传 教育 培训 协商 争议 调解 作风 引领 覆盖面 创新 关爱 慰问 救助 助学 劳模 工匠 健康 安全 "
        "权利 评选 表彰 公开 监督 自身建设 活力 底线 根基 防线 纽带 桥梁 阵地建设 示范 品质 效率 整改 素养 师风 "
        "政治 理论 运行 运转 到位 全覆盖 见效 提升 提高 增强 加强 规范 完善 丰富多彩 有声有色 扎实有效 成效显著 "
        "卓有成效 稳步提升 不断规范 不断完善 不断提升 持续提升 明显增强 意见 安排 展望 设想 方向 措施 举措 经验 "
        "做法 情况 成绩 亮点 特色 网络 平台 载体 行动 工程 项目 阵地 窗口 典型 榜样 标杆 先锋 模范 文明 和谐 "
        "稳定 机关 学习 意识 观念 理念 形势 环境 条件 待遇 收入 福利 保险 救济 互助 疗休养 体检 技术 业务 岗位 "
        "事业 使命 初心 担当 作为 建功 贡献 改革 力量 动力 风尚 正能量 心声 心田 后盾 港湾 堡垒"
    ).split()
)
_TITLE_END_RE = re.compile(
    rf"(新[{HAN}]{{2}}|[{HAN}]{{2}}化|[{HAN}]性|(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步"
    rf"|日益|更加|进一步)[{HAN}]{{2}})$"
)
# Words a body sentence often starts with, strongest first: subjects, times and connectives, then action verbs.
SUBJECT_STARTS = (
    "我们 我会 我局 我院 我校 我镇 我乡 我县 我市 我区 我公司 我厂 我矿 本单位 本会 本局 一是 首先 其次 同时 "
    "此外 另外 以来 今年以来 为了 为 按照 根据 依据 围绕 结合 针对 通过 由于 虽然 尽管 随着 在 今年 去年 明年 上半年 "
    "下半年 年初 年内 年中 年底 全年 半年来 一年来 近年来 近年 多年来 以来 目前 当前 截至 截止 春节 元旦 期间"
).split()
# Nouns that open a sentence as its subject, but also end titles (「打造特色工会品牌」): a little weaker.
NOUN_SUBJECTS = (
    "各级 各单位 各基层 全县 全市 全镇 全乡 全区 全局 全院 全校 全公司 院工会 局工会 校工会 公司工会 集团工会 "
    "集团公司 县总工会 市总工会 区总工会 镇工会 乡工会 学校工会 机关工会 工会 部分 全体 领导 党政"
).split()
VERB_STARTS = (
    "开展 组织 举办 召开 建成 新建 命名 成立 制定 出台 建立 完成 实现 投入 筹集 发放 走访 慰问 选派 邀请 "
    "举行 联合 协调 督促 指导 帮助 做好 抓好 落实 修订 签订 新签 上报 推荐 评选 表彰 深入 积极 认真 充分 "
    "始终 坚持 进一步 不断 大力 扎实 着力 紧紧 紧扣 立足 聚焦 全面 切实 持续 主动 加大 依托 利用 严格 "
    "改造 强化 深化 引导 动员 推动 推行 推进 实施 启动 配合 协助 参与 参加 共 累计 先后 共计 全年共 "
    "引领 组建 新命名 新增 新发展 维护 强化 要根据 大力开展 总结 "
    "要 将 还 已 均 都 继续 注重 重视 高度重视 把 对 向 从 以 用 经过 工作中"
).split()
_CONNECTIVE_FIRST = (
    "首先",
    "其次",
    "同时",
    "此外",
    "另外",
    "今年",
    "去年",
    "目前",
    "当前",
    "近年来",
    "一年来",
    "半年来",
)
_VERBS = frozenset(VERB_STARTS) | frozenset("落实 推进 实施 深化 加强 贯彻 弘扬 宣传 学习 践行 围绕 突出 把握".split())
# Words that open the body, never the second part of a title: pronouns, connectives, times.
_OPENERS = tuple(
    "我们 我会 我局 我院 我校 我镇 我乡 我县 我市 我公司 一是 首先 其次 同时 此外 另外 今年 去年 目前 当前 年初 "
    "全年".split()
)
_SIGNATURE_END_RE = re.compile(
    rf"((有了?|取得|迈出|迈上|开创|展现|呈现|实现|做出了?|作出了?)新[{HAN}]{{2,3}}|上下(功|工)夫"
    r"|新(局面|篇章|台阶|突破|进展|成效|成绩|提高|特色|贡献|气象|面貌|活力))$"
)
# 「以…为契机」: 为 closing a frame is part of the title, not the start of a sentence
_FRAME_RE = re.compile(
    r"^为(契机|抓手|载体|重点|目标|核心|主线|宗旨|导向|根本|主题|龙头|平台|纽带|切入点|突破口|落脚点|出发点)"
)
# Verbs that always take an object: a title never ends with one (「进一步加大」「认真做好」「积极开展」).
_OBJECT_VERBS = tuple(
    "加大 做好 抓好 搞好 开展 举办 组织 建立 提供 发挥 增加 扩大 推动 促进 引导 带动 召开 加快 注重 坚持".split()
)
# a sentence opened by its frame: 「以“当好主力军”为主题开展…」「以创建模范职工之家为抓手，…」
_FRAMED_RE = re.compile(
    r"^以[^，。；]{1,30}?为(主题|主线|重点|载体|抓手|契机|目标|核心|宗旨|导向|平台|纽带|切入点|突破口)"
)
# Pivot verbs: their object is the subject of the verb after it, in the same sentence (「组织劳模参加疗养」).
_PIVOT_VERBS = tuple("组织 动员 带领 鼓励 邀请 号召 发动 安排 选派 要求 督促 引导 吸引".split())
_BARE_PREDICATE_RE = re.compile(r"(进一步|认真|积极|大力|努力|切实|着力|全力|扎实|深入|广泛|不断|持续|继续|全面|主动)?")
# Function words no phrase ends with (「…，工会将|根据现状」).
_FUNCTION_CHARS = set("将在的和与及对把被从向并而或但就还也都又已")
_ADVERB_RE = re.compile(r"^(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步|日益|更加)")
_TIME_RE = re.compile(
    r"^((近|这|多)?[\d一二三四五六七八九十几两]{0,3}年(来|以来)|[\d*xX×_]{2,4}年|[\d一二三四五六七八九十]{1,2}月(?!份?[以来])"
    r"|“[^”]{1,8}”(前夕|期间|节|当天)"
    # a fronted time before a comma: 「三八前夕，」「国庆期间，」; a year left blank in a template: 「年，」
    rf"|[{HAN}“”]{{0,8}}(前夕|期间|之际|当天|前后|以来)[，,]|年[，,])"
)
# a body that opens by defining its topic: 「维权是工会…」「建设职工之家是…」 (a short subject)
_COPULA_RE = re.compile(rf"^(?![一二三四五六七八九十]是)[{HAN}“”《》]{{2,8}}[，,]?是(?![否非])")
_NOT_COPULA = (
    "但是",
    "就是",
    "还是",
    "也是",
    "都是",
    "总是",
    "正是",
    "凡是",
    "于是",
    "若是",
    "可是",
    "只是",
    "或是",
    "要是",
    "更是",
    "却是",
    "而是",
    "不是",
    "真是",
    "即是",
    "乃是",
    "特别是",
    "尤其是",
    "主要是",
    "首先是",
)
# a placeholder where the template left a name or a number out: 「_工组[__]6号文件」「XX镇工会…」
_PLACEHOLDER_RE = re.compile(r"^([_＿]+|[xX×]{2,}|[*]{2,})")


@functools.cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _word_bounds(text: str) -> set[int]:
    bounds = {0}
    pos = 0
    for w in _jieba().cut(text, HMM=False):
        pos += len(w)
        bounds.add(pos)
    return bounds


def _ends_title(left: str) -> float:
    if _SIGNATURE_END_RE.search(left):
        return 3.0  # 「有了新进展」「迈上新台阶」「上下功夫」: nothing but a title ends so
    verb = next((v for v in _OBJECT_VERBS if left.endswith(v)), None)
    if verb and _BARE_PREDICATE_RE.fullmatch(re.split("[，、]", left)[-1][: -len(verb)]):
        return (
            0.0  # 「进一步加大|工会自身建设力度」: the verb's object follows (but 「技能比武扎实开展」 has its topic)
        )
    if any(left.endswith(w) for w in TITLE_END_WORDS) or _TITLE_END_RE.search(left):
        return 2.0
    if re.search(f"的[{HAN}]{{2}}$", left):
        return 1.5  # 「…科学化的形成」: a nominalised end
    if left.endswith(("”", "》")):
        return 1.0
    return 0.0


def _starts_body(right: str) -> tuple[float, bool]:
    """(score, strong): how much ``right`` reads as the start of a body sentence; strong for a subject or a time."""
    score, strong = _starts_body_word(right)
    m = _COPULA_RE.match(right)
    if m and not any(w in m.group(0) for w in _NOT_COPULA):
        return max(score, 2.0), True  # a subject
    return score, strong


def _starts_body_word(right: str) -> tuple[float, bool]:
    if _FRAME_RE.match(right):
        return 0.0, False
    if right.startswith(("一是", "首先", "其一")):
        return 3.0, True  # an enumeration of the body: no title says 一是
    if _TIME_RE.match(right) or _FRAMED_RE.match(right):
        return 2.0, True
    if any(right.startswith(w) for w in SUBJECT_STARTS):
        return 2.0, True
    if any(right.startswith(w) for w in NOUN_SUBJECTS):
        return 1.75, True
    if any(right.startswith(w) for w in VERB_STARTS):
        return 1.5, False
    if right.startswith("“") or right[:1].isdigit() or _PLACEHOLDER_RE.match(right):
        return 1.0, False
    return 0.0, False


def _starts_sentence(text: str) -> bool:
    """Headings start with a verb or a noun, not with a time, a subject or a preposition as sentences do."""
    score, strong = _starts_body(text)
    return strong and not text.startswith(("全面", "广泛", "深入")) and not _FRAMED_RE.match(text)


def restated_end(rest: str) -> int | None:
    """Where a title ends when its body opens by restating it (「加强自身建设，提升服务能力加强自身建设，提升服务能力，
    是…」「…凝聚职工奋进力量凝聚职工奋进力量是…」): the body repeats the whole title, its last or its first clause
    (4 characters or more) right after it. Serves run-on text whose writer opened each section by repeating its
    heading."""
    for k in range(4, min(len(rest), MAX_TITLE + 1)):
        title = rest[:k]
        if title[-1] in "，、。；：":
            continue
        parts = re.split("[，、]", title)
        for echo in (title, parts[-1], parts[0]):
            if len(echo) >= 4 and rest.startswith(echo, k):
                return k
    return None


# How a cut is placed once the guards above let one be made: ``"words"`` scores cuts with the word lists below;
# ``"learned"`` takes the gap the learned line-break model (``corpus.breaks``) rates highest, when above even odds;
# ``"words+learned"`` asks the model only where the word lists find no cut.
# Both are measured on the real openings (eval/real_openings/results.md); the better one is the default.
MODE = "words"


def _learned_cut(rest: str, limit: int, prefix: str) -> int | None:
    from .breaks import break_prob

    text = prefix + rest
    best, best_p = None, 0.5
    for i in range(4, limit):
        if rest[i] in "，、”）》。；：" or rest[i - 1] in "“（《，、":
            continue
        p = break_prob(text, len(prefix) + i)
        if p > best_p:
            best, best_p = i, p
    return best


def title_end(rest: str, prefix: str = "") -> int | None:
    """``prefix``: the heading's marker as written (「（一）」), for the learned model's view of the line."""
    restated = restated_end(rest)
    if restated is not None:
        return restated
    stop = re.search("[。；！？：]", rest)
    if len(rest) <= 12 or (stop and stop.start() <= 12) or (not stop and len(rest) <= MAX_TITLE):
        return None  # short, or a line that is all title (「（五）建立帮扶体系，送温暖工程在务实中有了新进展」)
    one_sentence = not stop or stop.end() >= len(rest.rstrip())
    if one_sentence and _starts_sentence(rest):
        return None  # 「“三八”节前夕组织…」「为女职工开展…」: the item is a sentence, and the sentence is its title
    limit = min(MAX_TITLE, stop.start() if stop else len(rest))
    if MODE == "learned":
        return _learned_cut(rest, limit, prefix)
    bounds = _word_bounds(rest[: limit + 8])
    best: int | None = None
    best_key: tuple[float, bool, int] = (0.0, False, 0)  # score, strong start, the shorter title
    for i in range(4, limit):
        if rest[i] in "，、”）》" or rest[i - 1] in "“（《，、" or i not in bounds:
            continue
        left, right = rest[:i], rest[i:]
        clause = re.search("[，。；！？：]", right)
        if clause and clause.start() < 4 and not _starts_body(right)[1]:
            continue
        last_part = re.split("[，、]", left)[-1]
        if len(last_part) < 3:
            continue
        body, strong = _starts_body(right)
        score = _ends_title(left) + body
        if strong and clause and clause.start() <= 5 and right[clause.start()] == "，":
            score += 1.0  # 「年初，」「今年以来，」「首先，」: a fronted time or connective opens a sentence
        if len(left) > 36 and not _SIGNATURE_END_RE.search(left):
            score -= 0.5
        if _ADVERB_RE.match(right) and _TITLE_END_RE.search(left + right[:4]) and _starts_body(right[4:])[0]:
            score -= 1.0  # 「职工技能素质|不断提升举办…」: the adverb belongs to the title
        if any(part.startswith(_OPENERS) for part in re.split("[，、]", left)[1:]):
            score -= 2.0  # a title does not go on with 「，首先」「，我们」: that is the body already
        first_part = re.split("[，、]", left)[0]
        if len(first_part) < len(left) and len(first_part) >= 14 and not _SIGNATURE_END_RE.search(left):
            score -= 1.5  # a long first clause then more: a sentence, cut at its first comma by the section parser
        if left[-1] in _FUNCTION_CHARS or right[0] in "的地得了着过们之":
            continue  # 「…工会将|根据现状」「高素质|的队伍」: no title ends with 将、的…, no sentence starts with 的
        if last_part.startswith(_PIVOT_VERBS) and body and not strong:
            continue  # 「组织部分劳模|参加疗养」: whom 组织/动员/带领 act on is the subject of the next verb
        if right.startswith("“") and left[-2:] in _VERBS:
            continue  # 「全面落实|“组织起来”工作方针」: the quotation is the verb's object
        if (
            stop
            and stop.start() <= SHORT_ITEM
            and not strong
            and not re.search(r"[\d，]", right[: stop.start() - i])
            and not _SIGNATURE_END_RE.search(left)
            and not _PLAIN_HEADING_END_RE.search(left)
        ):
            continue  # 「立足项目积极开展了职工劳动竞赛。」: a short first sentence whose rest is one clause without a
            # subject, a time or a figure reads whole as the title, as the section parser reads it with its line break
        key = (score, strong, -i)
        if one_sentence and (score < MIN_SCORE + 0.5 or (right[0].isdigit() and not strong)):
            continue  # 「慰问困难职工23人次，发放慰问金3.1万元。」: a list item whose sentence is its title
        if score >= MIN_SCORE and key > best_key:
            best, best_key = i, key
    if best is None and MODE == "words+learned" and not one_sentence:
        return _learned_cut(rest, limit, prefix)  # no word list cue: the learned model's best gap, if any
    return best


# An unnumbered heading names a part of the summary: its plans, its problems, its experience.
_PLAIN_HEADING_END_RE = re.compile(
    r"(工作打算|工作计划|工作思路|工作要点|工作安排|工作设想|总体思路|主要打算|下步打算|努力方向|存在的问题|存在问题"
    r"|主要问题|问题和不足|不足之处|几点体会|主要体会|经验体会|主要做法|主要成绩|工作展望|下一步打算|今后打算)$"
)
_SENTENCE_END = "。！？；"


def glued_plain_headings(text: str) -> list[tuple[int, int]]:
    """Spans of unnumbered headings glued between two sentences of a run-on paragraph
    (「…。2025年工作打算2025年，我们将…」): after a sentence end, 4–30 characters without punctuation that end
    with the name of a part of a summary (工作打算、工作要点、存在的问题…), followed by the start of a sentence."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(f"[{_SENTENCE_END}]", text):
        start = m.end()
        stop = re.search("[，。；：！？、,;:]", text[start : start + 60])
        if stop is None:
            continue
        span = text[start : start + stop.start()]
        for i in range(min(30, len(span) - 4), 3, -1):
            left, right = span[:i], text[start + i :]
            if _PLAIN_HEADING_END_RE.search(left) and _starts_body(right)[1]:
                out.append((start, start + i))
                break
    return out
