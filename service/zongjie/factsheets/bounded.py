"""Bounded parsing of the structures users upload or post: YAML and JSON fact sheets (Excel: ``files.py``).

Contract: ``parse_structured(text, kind)`` returns the plain data (dicts, lists, scalars) or raises ``TooComplex``
(a ``ValueError``) with a Chinese message naming the limit. Nothing an attacker writes can make it use more than a
bounded amount of time or memory:
- depth: nesting deeper than ``MAX_DEPTH`` is refused before it is built (no ``RecursionError``; a fact sheet is
  five levels deep);
- YAML aliases: at most ``MAX_ALIASES`` (``*name`` references; a fact sheet needs none), and the document expanded —
  every alias counted as the copy it stands for — at most ``MAX_NODES`` nodes: a "billion laughs" file of a few
  hundred bytes is refused at once instead of being expanded (it stands for 10⁹ nodes);
- JSON: the same depth and node limits (JSON has no aliases).
Only YAML's safe types are built (``SafeLoader``: no Python objects).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 32
MAX_ALIASES = 16
MAX_NODES = 200_000


class TooComplex(ValueError):
    """The document is beyond a parsing limit; the message says which, in Chinese."""


DEEP = f"文件嵌套层数太多（最多 {MAX_DEPTH} 层），不是事实表的格式"
ALIASES = f"文件中的 YAML 引用（*别名）太多（最多 {MAX_ALIASES} 个）；事实表不需要引用，请直接写出内容"
NODES = f"文件内容展开后太大（超过 {MAX_NODES:,} 项），不是事实表的格式"


class BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses deep nesting and more than a few aliases while composing."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise TooComplex(ALIASES)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise TooComplex(DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: Node) -> int:
    """Nodes in the document with every alias expanded, counted without expanding it (memoised per node)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Node] = []
        if isinstance(node, SequenceNode):
            children = list(node.value)
        elif isinstance(node, MappingNode):
            children = [x for pair in node.value for x in pair]
        if children_done or not children:
            size = 1 + sum(sizes[id(c)] for c in children)
            if size > MAX_NODES:
                raise TooComplex(NODES)
            sizes[id(node)] = size
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _load_yaml(text: str) -> Any:
    loader = BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _expanded_size(root)
        return loader.construct_document(root)
    except ComposerError as exc:  # an alias to an undefined anchor and the like: a syntax problem
        raise yaml.YAMLError(str(exc)) from None
    finally:
        loader.dispose()


def _json_depth(text: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` in one pass over the text (brackets inside strings do not count)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooComplex(DEEP)
        elif ch in "]}":
            depth -= 1


def _count_nodes(data: Any) -> None:
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise TooComplex(NODES)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_structured(text: str, kind: Literal["yaml", "json"]) -> Any:
    """``text`` as YAML or JSON within the limits above. Syntax errors raise ``yaml.YAMLError`` /
    ``json.JSONDecodeError`` as usual; limits raise ``TooComplex``."""
    if kind == "json":
        _json_depth(text)
        data = json.loads(text)
        _count_nodes(data)
        return data
    return _load_yaml(text)
