"""The package's front door: the public API from ``import zongjie``, and importing it stays cheap."""

import subprocess
import sys

from conftest import ROOT

SHEET = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"


def test_import_zongjie_loads_no_heavy_library():
    code = (
        "import sys, zongjie\n"
        "heavy = [m for m in ('chromadb', 'fastapi', 'openai', 'langchain_core', 'numpy', 'zongjie.drafting.pipeline')"
        " if m in sys.modules]\n"
        "print(','.join(heavy) or 'light')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "light", f"import zongjie loaded {out}"


def test_the_public_api_drafts_and_checks_a_fact_sheet(tmp_path):
    import zongjie

    sheet = zongjie.load_fact_sheet(SHEET)
    assert isinstance(sheet, zongjie.FactSheet)
    settings = zongjie.Settings(environment="test", data_dir=tmp_path, vector_store="memory", embedder="hashing")
    kb = zongjie.KnowledgeBase.from_settings(settings)
    draft = zongjie.run_draft(sheet, settings, kb=kb, llm=None)
    assert isinstance(draft, zongjie.Draft) and draft.report.summary.errors == 0
    report = zongjie.check(zongjie.CheckInput(draft.text(), sheet))
    assert isinstance(report, zongjie.CheckReport) and report.ok
    bad = zongjie.check(zongjie.CheckInput(draft.text() + "另外新建服务站点987个。", sheet))
    assert not bad.ok and bad.summary.counts["unsupported"] == 1
    assert set(zongjie.__all__) >= {"FactSheet", "run_draft", "check", "KnowledgeBase", "load_fact_sheet"}
    assert all(getattr(zongjie, name) is not None for name in zongjie.__all__)
