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
        "事业 使命 初心 担当 作为"
    ).split()
)
_TITLE_END_RE = re.compile(
    rf"(新[{HAN}]{{2}}|[{HAN}]{{2}}化|[{HAN}]性|(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步"
    rf"|日益|更加|进一步)[{HAN}]{{2}})$"
)
# Words a body sentence often starts with, strongest first: subjects, times and connectives, then action verbs.
SUBJECT_STARTS = (
    "我们 我会 我局 我院 我校 我镇 我乡 我县 我市 我区 我公司 我厂 我矿 本单位 本会 本局 各级 各单位 各基层 "
    "全县 全市 全镇 全乡 全区 全局 全院 全校 全公司 院工会 局工会 校工会 公司工会 集团工会 集团公司 县总工会 "
    "市总工会 区总工会 镇工会 乡工会 学校工会 机关工会 工会 部分 全体 领导 党政 一是 首先 其次 同时 "
    "此外 另外 以来 今年以来 为了 为 按照 根据 依据 围绕 结合 针对 通过 由于 虽然 尽管 随着 在 今年 去年 明年 上半年 "
    "下半年 年初 年内 年中 年底 全年 半年来 一年来 近年来 近年 以来 目前 当前 截至 截止 春节 元旦 期间"
).split()
VERB_STARTS = (
    "开展 组织 举办 召开 建成 新建 命名 成立 制定 出台 建立 完成 实现 投入 筹集 发放 走访 慰问 选派 邀请 "
    "举行 联合 协调 督促 指导 帮助 做好 抓好 落实 修订 签订 新签 上报 推荐 评选 表彰 深入 积极 认真 充分 "
    "始终 坚持 进一步 不断 大力 扎实 着力 紧紧 紧扣 立足 聚焦 全面 切实 持续 主动 加大 依托 利用 严格 "
    "改造 强化 深化 引导 动员 推动 推行 推进 实施 启动 配合 协助 参与 参加 共 累计 先后 共计 全年共 "
    "引领 组建 新命名 新增 新发展 建设 维护 强化 要根据 大力开展 总结 "
    "要 将 还 已 均 都 继续 注重 重视 高度重视 把 对 与 向 从 以 用 经过 工作中"
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
_ADVERB_RE = re.compile(r"^(不断|持续|扎实|稳步|有序|全面|深入|切实|精准|有效|显著|明显|总体|逐步|日益|更加)")
_TIME_RE = re.compile(
    r"^([\d*xX×_]{2,4}年|[\d一二三四五六七八九十]{1,2}月(?!份?[以来])|“[^”]{1,8}”(前夕|期间|节|当天))"
)


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
    if any(left.endswith(w) for w in TITLE_END_WORDS) or _TITLE_END_RE.search(left):
        return 2.0
    if left.endswith(("”", "》")):
        return 1.0
    return 0.0


def _starts_body(right: str) -> tuple[float, bool]:
    """(score, strong): how much ``right`` reads as the start of a body sentence; strong for a subject or a time."""
    if _TIME_RE.match(right):
        return 2.0, True
    if any(right.startswith(w) for w in SUBJECT_STARTS):
        return 2.0, True
    if any(right.startswith(w) for w in VERB_STARTS):
        return 1.5, False
    if right.startswith("“") or right[:1].isdigit():
        return 1.0, False
    return 0.0, False


def _starts_sentence(text: str) -> bool:
    """Headings start with a verb or a noun, not with a time, a subject or a preposition as sentences do."""
    score, strong = _starts_body(text)
    return strong and not text.startswith(("全面", "广泛", "深入"))


def title_end(rest: str) -> int | None:
    stop = re.search("[。；！？：]", rest)
    if len(rest) <= 12 or (stop and stop.start() <= 12):
        return None
    one_sentence = not stop or stop.end() >= len(rest.rstrip())
    if one_sentence and _starts_sentence(rest):
        return None  # 「“三八”节前夕组织…」「为女职工开展…」: the item is a sentence, and the sentence is its title
    limit = min(MAX_TITLE, stop.start() if stop else len(rest))
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
        if len(left) > 30:
            score -= 0.5
        if _ADVERB_RE.match(right) and _TITLE_END_RE.search(left + right[:4]):
            score -= 1.0  # 「职工技能素质|不断提升举办…」: the adverb belongs to the title
        if any(_starts_body(part)[1] for part in re.split("[，、]", left)[1:]):
            score -= 2.0  # a title does not go on with 「，首先」「，我们」: that is the body already
        key = (score, strong, -i)
        if one_sentence and (score < MIN_SCORE + 0.5 or (right[0].isdigit() and not strong)):
            continue  # 「慰问困难职工23人次，发放慰问金3.1万元。」: a list item whose sentence is its title
        if score >= MIN_SCORE and key > best_key:
            best, best_key = i, key
    return best
