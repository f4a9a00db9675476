"""The BM25 index is updated in place and scores exactly like an index built from scratch; tokens persist."""

import random

import numpy as np

from zongjie.backends.lexical import LexicalIndex

TEXTS = [
    "走访慰问困难职工86户，发放慰问金12.5万元",
    "开展职工技能大赛，参赛职工300人",
    "签订工资集体协议38份，覆盖职工4600人",
    "组织女职工健康体检，开展“三八”节活动",
    "推进厂务公开，召开职工代表大会",
    "新建非公企业工会5家，发展会员230名",
    "开展安康杯竞赛，排查安全隐患",
    "慰问困难职工子女，实施金秋助学",
]
QUERIES = ["困难职工", "职工代表大会", "技能大赛 安全", "金秋助学 慰问", "火星"]


def by_id(index: LexicalIndex, query: str) -> dict[str, float]:
    scores = index.scores(query)
    return {cid: round(float(scores[i]), 5) for i, cid in enumerate(index.slots) if cid is not None}


def test_incremental_updates_score_like_a_fresh_index(tmp_path):
    rng = random.Random(3)
    live: dict[str, str] = {}
    index = LexicalIndex(path=tmp_path / "lex.sqlite")
    for step in range(120):
        if live and rng.random() < 0.4:
            victim = rng.choice(sorted(live))
            del live[victim]
            index.remove([victim])
        else:
            cid = f"c{step}"
            live[cid] = rng.choice(TEXTS) + rng.choice(TEXTS)
            index.add([(cid, live[cid])])
        if step % 15 == 0:
            fresh = LexicalIndex()
            fresh.add(sorted(live.items()))
            for q in QUERIES:
                assert by_id(index, q) == by_id(fresh, q)
    assert index.ids() == set(live)
    # a restart re-reads the persisted tokens: same scores without tokenising again
    again = LexicalIndex(path=tmp_path / "lex.sqlite")
    assert again.load() == set(live)
    for q in QUERIES:
        assert by_id(again, q) == by_id(index, q)
    assert not np.any(again.scores("火星"))
