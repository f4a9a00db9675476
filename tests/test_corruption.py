"""The corruption benchmark as a CI gate: every summary we hold, in messy shapes, parses like its clean text.

Text variants always run; the .docx/PDF variants need LibreOffice (installed by .ci/run) and are converted in one
soffice call per format, cached under var/cache/corruption. Seeds join when ../shared/seeds is present.
"""

import shutil

import pytest

from conftest import CORPUS, ROOT, SEEDS
from zongjie.evaluation.corruption import TARGETS, load_summaries, run, summarise
from zongjie.evaluation.corruption_variants import FILE_VARIANTS, TEXT_VARIANTS


@pytest.fixture(scope="module")
def classes():
    paths = [CORPUS] + ([SEEDS] if SEEDS.is_dir() else [])
    summaries = load_summaries(paths, private=(SEEDS,))
    assert len(summaries) >= 13
    wanted = list(TEXT_VARIANTS) + (list(FILE_VARIANTS) if shutil.which("soffice") else [])
    results = run(summaries, ROOT / "var" / "cache" / "corruption", wanted)
    return {c.variant: c for c in summarise(results)}


@pytest.mark.parametrize("variant", ["clean", *TEXT_VARIANTS, *FILE_VARIANTS])
def test_variant_class_passes_its_gate(classes, variant):
    if variant not in classes:
        pytest.skip("LibreOffice (soffice) is not installed")
    c = classes[variant]
    assert c.bogus_documents == TARGETS["bogus_documents"] and c.missing_documents == TARGETS["missing_documents"]
    assert c.passes_gate(), c


def test_the_shapes_that_meet_every_target(classes):
    met = ["clean", "page_digits", "broken_lines", "boilerplate", "traditional", "doubled_punct"]
    if shutil.which("soffice"):
        met += ["docx", "docx_styled", "pdf", "pdf_styled"]
    for variant in met:
        assert classes[variant].meets_targets(), classes[variant]
        assert classes[variant].lost_digits == 0, classes[variant]
