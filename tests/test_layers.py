"""No import runs upward: every module of the package imports only from its own layer or the layers below.

The layer order is written down here (top first). A new top-level module or package must be placed in a layer, or
this test fails and says where it is missing.
"""

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "service" / "zongjie"

LAYERS = [
    {"web", "cli", "cli_db", "cli_extract", "cli_worker", "cli_ingest", "cli_settings", "cli_users"},  # entry points
    # what the entry points run on top of the pipeline
    {"jobs", "editing", "revisions", "diffs", "evaluation", "devtools"},
    {"pipeline"},
    {"stages"},  # one file per stage, typed inputs and outputs
    {"writers"},  # section writers the draft stage calls (offline drafter, prompt values)
    {"knowledge_base", "backends", "storage"},  # backends behind small interfaces, chosen by name from Settings
    {"settings"},
    {"checker", "extraction"},  # core from here down (extraction: reading facts back out of a summary)
    {"facts", "factsheet_io", "numbers", "factdiff", "auth"},  # auth: roles, policy, hashing (h15)
    {"corpus"},
    {"registry", "paths", "errors"},  # package-level plumbing every layer may use
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _component(module: str) -> str:
    """zongjie.stages.draft → stages; zongjie.pipeline → pipeline."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                names = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
            out += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, n) for line, n in out if n == "zongjie" or n.startswith("zongjie.")]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield path, module


def test_every_component_has_a_layer():
    components = {_component(m) for _, m in _modules()} - {""}
    missing = components - RANK.keys()
    assert not missing, f"place these modules in a layer in tests/test_layers.py LAYERS: {sorted(missing)}"


def test_no_import_runs_upward():
    upward = []
    for path, module in _modules():
        here = _component(module)
        if not here:
            continue  # zongjie/__init__.py: the front door re-exports from every layer
        for line, target in _imports(path, module):
            there = _component(target)
            if there in RANK and here in RANK and there != here and RANK[there] < RANK[here]:
                upward.append(f"{path.relative_to(ROOT)}:{line} {here} → {there}")
    assert not upward, "imports that run upward:\n" + "\n".join(upward)


def test_the_checker_sees_upward_imports(tmp_path):
    """The rule above can fail: a relative import from stages into pipeline is found and ranked upward."""
    path = tmp_path / "zongjie" / "stages" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("from ..pipeline import run_draft\nfrom .. import knowledge_base\n", encoding="utf-8")
    targets = [t for _, t in _imports(path, "zongjie.stages.x")]
    assert targets == ["zongjie.pipeline", "zongjie.knowledge_base"]
    assert RANK[_component(targets[0])] < RANK["stages"] < RANK[_component(targets[1])]
