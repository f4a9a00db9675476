"""No import runs upward and no import cycle: every module of the package imports only from its own layer or the
layers below, and the modules' import graph has no cycle.

The layer order is written down here (top first). A new top-level module or package must be placed in a layer, or
this test fails and says where it is missing.
"""

import ast
from collections import deque
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "service" / "zongjie"

LAYERS = [
    {"web", "cli"},  # entry points: the FastAPI app, the `zongjie` command (one module per command group)
    # what the entry points run: drafts (pipeline, editing, revisions, diffs), jobs, measurement, dev servers
    {"drafting", "jobs", "evaluation", "devtools", "federation"},
    {"stages"},  # one file per stage, typed inputs and outputs
    {"writers"},  # section writers the draft stage calls (offline drafter, prompt values)
    {"backends", "storage"},  # backends behind small interfaces (and the knowledge base), chosen by name from Settings
    {"settings"},
    {"checker", "extraction", "rollup"},  # core from here down (extraction: reading facts back out of a summary)
    {"factsheets", "numbers", "auth"},  # factsheets: model, files, diff; auth: roles, policy, hashing (h15)
    {"corpus"},
    {"common"},  # package-level plumbing every layer may use: registry, paths, errors
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _component(module: str) -> str:
    """zongjie.stages.draft → stages; zongjie.drafting.pipeline → drafting."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``if typing.TYPE_CHECKING:``): imports only the type checker runs."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(tree: ast.AST, skip_type_checking: bool):
    """Every node of ``tree`` (like ``ast.walk``); with ``skip_type_checking`` the body of ``if TYPE_CHECKING:`` is
    left out (its ``else:`` branch runs and is kept)."""
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        yield node
        if skip_type_checking and _is_type_checking(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _imports(path: Path, module: str, skip_type_checking: bool = False, names: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) for each import of ``path`` into the package. ``from x import a`` gives ``x``, or with
    ``names`` ``x.a`` (which may name a submodule: ``from . import draft``); ``from . import a`` always gives ``.a``.
    """
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in _walk(ast.parse(path.read_text(encoding="utf-8")), skip_type_checking):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found = [target] if node.module and not names else [f"{target}.{a.name}" for a in node.names]
            out += [(node.lineno, n) for n in found]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return [(line, n) for line, n in out if n == "zongjie" or n.startswith("zongjie.")]


def _modules(package: Path = PACKAGE):
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
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
    """The rule above can fail: a relative import from stages into drafting is found and ranked upward."""
    path = tmp_path / "zongjie" / "stages" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        "from ..drafting.pipeline import run_draft\nfrom ..backends.knowledge_base import KnowledgeBase\n",
        encoding="utf-8",
    )
    targets = [t for _, t in _imports(path, "zongjie.stages.x")]
    assert targets == ["zongjie.drafting.pipeline", "zongjie.backends.knowledge_base"]
    assert RANK[_component(targets[0])] < RANK["stages"] < RANK[_component(targets[1])]


def _import_graph(package: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports, at module level or inside a function (both run it), not in
    ``if TYPE_CHECKING:`` blocks. ``from .x import name`` points at the module ``x.name`` when that is a module
    (``from . import draft``), else at ``x``; a package's ``__init__`` is the module named after the package."""
    paths = dict((m, p) for p, m in _modules(package))
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets = set()
        for _, name in _imports(path, module, skip_type_checking=True, names=True):
            while name not in paths and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in paths and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: each strongly connected component of more than one module (Tarjan), as a
    sorted list of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    cycles = _cycles(_import_graph(PACKAGE))
    assert not cycles, "modules that import each other (directly or round a loop):\n" + "\n".join(
        " ↔ ".join(c) for c in cycles
    )


def test_the_checker_sees_import_cycles(tmp_path):
    """The rule above can fail: a loop a → b → c → a is found even when one link is an import inside a function,
    and an import under ``if TYPE_CHECKING:`` is no link."""
    package = tmp_path / "zongjie"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from .sub import b\n", encoding="utf-8")
    (package / "sub" / "b.py").write_text("from .c import f\n", encoding="utf-8")
    (package / "sub" / "c.py").write_text("def f():\n    from ..a import x\n", encoding="utf-8")
    (package / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .e import y\n", encoding="utf-8"
    )
    (package / "e.py").write_text("from . import d\n", encoding="utf-8")
    graph = _import_graph(package)
    assert graph["zongjie.a"] == {"zongjie.sub.b"} and graph["zongjie.d"] == set()
    assert _cycles(graph) == [["zongjie.a", "zongjie.sub.b", "zongjie.sub.c"]]
