"""The unit tree as the roll-up sees it: names and parents, and which units lie below a federation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Scope = Literal["direct", "all"]


@dataclass
class UnitTree:
    """``parents`` maps every unit's name to its parent's name (None at the top)."""

    parents: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_nested(cls, node: Mapping, parent: str | None = None) -> UnitTree:
        """``{name: 县总工会, units: [{name: 甲镇工会, units: [...]}, ...]}`` → a tree."""
        tree = cls()
        tree._add(node, parent)
        return tree

    def _add(self, node: Mapping, parent: str | None) -> None:
        name = str(node["name"])
        if name in self.parents:
            raise ValueError(f"单位“{name}”在单位树中出现了两次")
        self.parents[name] = parent
        for child in node.get("units") or []:
            self._add(child, name)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str | None]]) -> UnitTree:
        return cls(dict(pairs))

    def children(self, name: str) -> list[str]:
        index: dict[str | None, list[str]] = {}
        for u, p in self.parents.items():
            index.setdefault(p, []).append(u)
        return index.get(name, [])

    def below(self, name: str, scope: Scope = "all") -> list[str]:
        """Units below ``name`` in tree order: its children (direct) or every level under it (all)."""
        index: dict[str | None, list[str]] = {}
        for u, p in self.parents.items():
            index.setdefault(p, []).append(u)
        out: list[str] = []

        def walk(parent: str) -> None:
            for child in index.get(parent, []):
                out.append(child)
                if scope == "all":
                    walk(child)

        walk(name)
        return out

    def path(self, name: str) -> list[str]:
        """``name`` and its ancestors, nearest first."""
        out = []
        cur: str | None = name
        while cur is not None and cur not in out:
            out.append(cur)
            cur = self.parents.get(cur)
        return out
