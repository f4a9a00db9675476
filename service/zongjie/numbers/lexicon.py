"""Word lists for the number finder: what looks like a quantity but is a name, an ordinal or an idiom.

Most non-quantities need no list: a Chinese numeral counts only when a measure word follows it, so 四送一助,
五型机关, 十大帮扶行动, 一线, 统一, 两会 are skipped by that rule alone, and digit strings without place words
(五一, 三八) are not numerals. The lists below hold the collisions that rule cannot see: a numeral followed by a
character that is also a measure word (十一期间, 五届十次全委会, 三个代表, 四面八方).
"""

from __future__ import annotations

CN_DIGITS = "零〇一二两三四五六七八九"
CN_PLACES = "十百千万亿"
CN_NUM_CHARS = CN_DIGITS + CN_PLACES
DIGIT_VALUE = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

# Idioms and fixed expressions whose numeral is followed by a measure-word character.
IDIOMS: tuple[str, ...] = (
    "三番五次",
    "四面八方",
    "五花八门",
    "一五一十",
    "三天两头",
    "两面三刀",
    "八面玲珑",
    "两条腿走路",
    "三天打鱼两天晒网",
    "十有八九",
    "三年五载",
    "一年半载",
    "百分百",
    "三支一扶",
    "八项规定",
    "三个代表",
    "五个一工程",
    "两个一百年",
    "三项制度改革",
    "一次性",
    "两节课",
    "三位一体",
    "四位一体",
    "五位一体",
    "一班人",
    "两个责任",
    "三条红线",
    "五项管理",
    "十项全能",
    "五个坚持",
    "十个坚持",
    "两个结合",
)

# Set phrases built on scale words (千方百计, 千家万户): no quantity in them.
SCALE_IDIOMS: tuple[str, ...] = (
    "千方百计",
    "千家万户",
    "千头万绪",
    "百尺竿头",
    "万众一心",
    "百花齐放",
    "万无一失",
    "百年大计",
    "数十年如一日",
    "千里之外",
    "万紫千红",
    "千辛万苦",
    "成千成万",
)

# 两个维护, 四个意识: "N个" followed by one of these is a slogan, not a count.
SLOGAN_HEADS: tuple[str, ...] = (
    "意识",
    "自信",
    "维护",
    "确立",
    "务必",
    "全面",
    "伟大",
    "代表",
    "一百年",
    "一批",
    "毫不动摇",
    "区分开来",
    "明确",
    "大局",
    "文明",
    "倾斜",
    "必须",
    "没有变",
    "一以贯之",
    "走在前列",
    "转变",
    "统筹",
    "不动摇",
    "一百",
)

# Holidays that collide with numerals followed by a measure word: 十一期间, “十一”前夕.
HOLIDAY_FOLLOW: tuple[str, ...] = (
    "期间",
    "前夕",
    "黄金周",
    "假期",
    "长假",
    "国庆",
    "节",
    "劳动节",
    "妇女节",
    "青年节",
    "儿童节",
    "建党",
    "建军",
)

# Meeting ordinals: 十九届四中全会, 五届十次全委会, 二十届三中全会.
MEETING_TAILS: tuple[str, ...] = (
    "全委扩大会议",
    "全委扩大会",
    "全体委员会议",
    "全体会议",
    "全委会",
    "全会",
    "执委会",
    "常委会",
    "主席会议",
    "代表大会",
    "会员代表大会",
    "职工代表大会",
    "教职工代表大会",
    "职工大会",
    "会员大会",
    "职代会",
    "教代会",
    "经审会",  # 五届九次经审会
    "经审委员会",
    "全委（扩大）会议",
    "会议",
)

# Words before a percentage or ratio that say whether it is a level (提高到) or a change (提高了).
RELATION_TO = (
    "提高到",
    "提升到",
    "增长到",
    "增加到",
    "上升到",
    "下降到",
    "降低到",
    "达到",
    "升至",
    "降至",
    "增至",
    "提高至",
    "提升至",
    "上升至",
    "下降至",
    "降低至",
    "达",
)
RELATION_BY = (
    "提高了",
    "提升了",
    "增长了",
    "增加了",
    "上升了",
    "下降了",
    "降低了",
    "减少了",
    "同比增长",
    "同比下降",
    "同比增加",
    "同比减少",
    "增长",
    "增加",
    "提高",
    "提升",
    "上升",
    "下降",
    "降低",
    "减少",
    "增幅",
)
