"""The corruption benchmark as a CI gate: every summary we hold, in messy shapes, parses like its clean text.

Text variants always run; the .docx/PDF variants need LibreOffice (installed by .ci/run) and are converted in one
soffice call per format, cached under var/cache/corruption. Seeds join when ../shared/seeds is present. Every class
is held to the same targets (``TARGETS``): tree F1 ≥ 0.95, no bogus or missing documents, no stray and no lost digits.
"""

import shutil

import pytest

from conftest import CORPUS, ROOT, SEEDS
from zongjie.evaluation.corruption import TARGETS, load_summaries, robustness, run, summarise
from zongjie.evaluation.corruption_variants import FILE_VARIANTS, TEXT_VARIANTS


@pytest.fixture(scope="module")
def summaries():
    paths = [CORPUS] + ([SEEDS] if SEEDS.is_dir() else [])
    found = load_summaries(paths, private=(SEEDS,))
    assert len(found) >= 13
    return found


@pytest.fixture(scope="module")
def classes(summaries):
    wanted = list(TEXT_VARIANTS) + (list(FILE_VARIANTS) if shutil.which("soffice") else [])
    results = run(summaries, ROOT / "var" / "cache" / "corruption", wanted)
    return {c.variant: c for c in summarise(results)}


@pytest.mark.parametrize("variant", ["clean", *TEXT_VARIANTS, *FILE_VARIANTS])
def test_variant_class_meets_every_target(classes, variant):
    if variant not in classes:
        pytest.skip("LibreOffice (soffice) is not installed")
    c = classes[variant]
    assert c.summaries == classes["clean"].summaries
    assert c.tree_f1 >= TARGETS["tree_f1"], c
    assert (c.bogus_documents, c.missing_documents) == (0, 0), c
    assert (c.stray_digits, c.lost_digits) == (0, 0), c
    assert c.meets_targets()


def test_the_clean_text_parses_as_its_own_gold(classes):
    c = classes["clean"]
    assert (c.tree_f1, c.metadata_accuracy, c.exact_documents) == (1.0, 1.0, c.summaries)


def test_no_figure_is_lost_and_no_document_invented_wherever_the_damage_falls(summaries):
    """The gated run places page numbers, wraps and furniture with one seed; under eight others no figure of the
    text may be taken for a page number and no document may appear or vanish (stray digits are reported only)."""
    for r in robustness(summaries, list(range(1, 9))):
        assert (r.lost_digits, r.bogus_documents) == (0, 0), r
        assert r.worst_tree_f1 >= TARGETS["tree_f1"], r
