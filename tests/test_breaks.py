"""The learned line-break model (issue 23, item 4): trained on the project's own summaries with their line breaks
removed, it tells where a line ended. Measured against the word-list title-end scorer on the real openings
(eval/real_openings/results.md); the word list is kept while it places heading ends better."""

import numpy as np

from conftest import CORPUS
from zongjie.corpus import title_end
from zongjie.corpus.breaks import WEIGHTS, break_prob, flatten, train
from zongjie.corpus.cleaning import clean_text
from zongjie.corpus.reading import read_text


def test_flattening_yields_the_labels():
    flat, breaks = flatten("某镇工会2024年工作总结\n一、组织建设\n新建工会5家。")
    assert flat == "某镇工会2024年工作总结一、组织建设新建工会5家。"
    assert breaks == {13, 19}


def test_a_model_learned_from_flattened_texts_finds_their_heading_ends():
    files = sorted(CORPUS.glob("*.txt"))[:6]
    texts = ["\n".join(clean_text(read_text(p))) for p in files]
    w = train(texts[1:], epochs=3)
    flat, breaks = flatten(texts[0])
    scores = [break_prob(flat, i, w) for i in range(1, len(flat))]
    ranked = sorted(range(1, len(flat)), key=lambda i: -scores[i - 1])[: len(breaks)]
    assert len(set(ranked) & breaks) >= 0.6 * len(breaks)  # unseen text: most of its line ends rank on top


def test_the_shipped_weights_load_and_the_word_list_stays_the_default():
    assert WEIGHTS.exists() and np.load(WEIGHTS).shape == (1 << 15,)
    assert title_end.MODE == "words"
