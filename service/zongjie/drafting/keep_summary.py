"""Keep rates summed up for people: by section role, by drafting backend and model over time, the most rewritten
sections — what the 起草质量 page draws and ``zongjie stats keep-rate`` prints.

Contract: every rate is a ratio of sums (characters kept / characters first drafted over the rows grouped), so a
long section weighs more than a short one; groups with no characters are left out. ``Group`` carries the sums as
well as the rates so a reader can check them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..storage.keep_rates import KeepRate, Rates
from .keeprate import ROLE_LABELS, ROLES

BACKEND_LABELS = {"offline": "离线起草", "llm": "大模型起草"}


@dataclass
class Group(Rates):
    key: tuple[str, ...]
    drafts: int
    chars_first: int
    chars_kept: int
    sentences_first: int
    sentences_kept: int
    figures_first: int
    figures_changed: int

    def as_dict(self) -> dict:
        return {
            "key": list(self.key),
            "drafts": self.drafts,
            "chars_first": self.chars_first,
            "chars_kept": self.chars_kept,
            "char_rate": round(self.char_rate, 4),
            "sentences_first": self.sentences_first,
            "sentences_kept": self.sentences_kept,
            "sentence_rate": round(self.sentence_rate, 4),
            "figures_first": self.figures_first,
            "figures_changed": self.figures_changed,
        }


def group(rows: Iterable[KeepRate], key: Callable[[KeepRate], tuple[str, ...]]) -> list[Group]:
    """Rows summed per ``key`` (in first-seen order)."""
    sums: dict[tuple[str, ...], Group] = {}
    drafts: dict[tuple[str, ...], set[str]] = {}
    for r in rows:
        k = key(r)
        g = sums.setdefault(k, Group(k, 0, 0, 0, 0, 0, 0, 0))
        drafts.setdefault(k, set()).add(r.draft_id)
        g.chars_first += r.chars_first
        g.chars_kept += r.chars_kept
        g.sentences_first += r.sentences_first
        g.sentences_kept += r.sentences_kept
        g.figures_first += r.figures_first
        g.figures_changed += r.figures_changed
    for k, g in sums.items():
        g.drafts = len(drafts[k])
    return [g for g in sums.values() if g.chars_first]


def by_role(rows: list[KeepRate]) -> list[Group]:
    groups = {g.key[0]: g for g in group(rows, lambda r: (r.section_role,))}
    return [groups[r] for r in ROLES if r in groups]


def by_model_over_time(rows: list[KeepRate]) -> list[Group]:
    """Per (backend, model, approval day), in time order."""
    return sorted(group(rows, lambda r: (r.backend, r.model, r.approved_at[:10])), key=lambda g: g.key[2])


def by_model(rows: list[KeepRate]) -> list[Group]:
    return group(rows, lambda r: (r.backend, r.model, r.prompt_version))


def by_unit_type(rows: list[KeepRate]) -> list[Group]:
    return group(rows, lambda r: (r.unit_type,))


def most_rewritten(rows: list[KeepRate], limit: int = 10) -> list[KeepRate]:
    """The parts whose first draft the editors kept least of (the longest first among equals)."""
    return sorted((r for r in rows if r.chars_first), key=lambda r: (r.char_rate, -r.chars_first))[:limit]


def backend_label(backend: str, model: str) -> str:
    """How the page names a drafting backend: in Chinese, the model's name only when a model wrote it."""
    label = BACKEND_LABELS.get(backend, "其他方式起草")
    return label if backend == "offline" else f"{label}（{model}）"


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, ROLE_LABELS["body"])


def summary(rows: list[KeepRate]) -> dict:
    """Everything ``zongjie stats keep-rate --format json`` prints."""
    return {
        "drafts": len({r.draft_id for r in rows}),
        "overall": [g.as_dict() for g in group(rows, lambda r: ("all",))],
        "by_role": [g.as_dict() for g in by_role(rows)],
        "by_model": [g.as_dict() for g in by_model(rows)],
        "by_model_over_time": [g.as_dict() for g in by_model_over_time(rows)],
        "by_unit_type": [g.as_dict() for g in by_unit_type(rows)],
        "most_rewritten": [
            {**r.__dict__, "char_rate": round(r.char_rate, 4), "sentence_rate": round(r.sentence_rate, 4)}
            for r in most_rewritten(rows)
        ],
        "rows": [r.__dict__ | {"char_rate": round(r.char_rate, 4)} for r in rows],
    }
