"""Keep rate: how much of the first drafted version of a draft survives into the version the editors approved.

Contract: ``keep_rates(first, approved)`` compares two ``Draft``s part by part — the opening, every section with
text (matched by key; a section the editors removed keeps nothing), the closing — and returns one ``SectionKeep``
per part of the first version:

- ``chars_kept / chars_first``: the first version's characters inside equal runs of the character-level diff of
  that part (the version diff's tokens: a number or a Latin word is one token, every other character its own), so
  326 → 362 loses all three digits;
- ``sentences_kept / sentences_first``: sentences (ending in 。！？；… or a line end) of the first version that
  appear whole, character for character, in the approved part;
- ``figures_changed / figures_first``: figures the checker found in the part of the first version (its check
  report) that the approved version's report no longer has in the same part — changed or removed by the editors.

Roles are the section roles of the draft (``opening``, ``body``, ``problems``, ``plans``, ``closing``).
The prompt version a draft was made with (``writers.prompts.version()``) is stored in ``Draft.prompt_version``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher

from ..common.errors import NotFound
from ..stages.assemble import Draft
from ..storage.draft_store import DraftStore
from ..storage.keep_rates import KeepRate, KeepRateStore, Rates
from ..storage.review import ReviewStore
from .diffs import tokens

ROLES = ("opening", "body", "problems", "plans", "closing")
ROLE_LABELS = {"opening": "开头", "body": "正文各部分", "problems": "问题不足", "plans": "下步打算", "closing": "结尾"}
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;…]*")


@dataclass
class SectionKeep(Rates):
    section_key: str
    section_role: str
    heading: str
    chars_first: int
    chars_kept: int
    sentences_first: int
    sentences_kept: int
    figures_first: int
    figures_changed: int

    def as_dict(self) -> dict:
        return asdict(self)


def kept_chars(old: str, new: str) -> int:
    """Characters of ``old`` inside equal runs of the token diff against ``new``."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(len("".join(a[i : i + n])) for i, _, n in matcher.get_matching_blocks())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _parts(draft: Draft) -> list[tuple[str, str, str, str]]:
    """(key, role, heading, text) of every part with text, in reading order."""
    out = [("opening", "opening", "开头", draft.opening)] if draft.opening else []
    out += [(s.key, s.role, f"{s.marker}{s.heading}", s.text) for s in draft.walk() if s.text]
    if draft.closing:
        out.append(("closing", "closing", "结尾", draft.closing))
    return out


def _figures(draft: Draft) -> dict[str, Counter]:
    """The figures of the draft's check report, by the part they stand in."""
    text = draft.text()
    spans: list[tuple[int, int, str]] = []
    offsets = draft.section_offsets()
    for key, _role, _heading, part in _parts(draft):
        if key == "opening":
            start = text.find(part)
        elif key == "closing":
            start = text.rfind(part)
        else:
            start = offsets.get(key, -1)
        if start >= 0:
            spans.append((start, start + len(part), key))
    out: dict[str, Counter] = {}
    for f in draft.report.findings:
        for start, end, key in spans:
            if start <= f.start < end:
                out.setdefault(key, Counter())[f.text] += 1
                break
    return out


def keep_rates(first: Draft, approved: Draft) -> list[SectionKeep]:
    after = {key: text for key, _, _, text in _parts(approved)}
    figs_first, figs_after = _figures(first), _figures(approved)
    out = []
    for key, role, heading, text in _parts(first):
        new = after.get(key, "")
        new_sentences = set(sentences(new))
        olds = sentences(text)
        figs = figs_first.get(key, Counter())
        out.append(
            SectionKeep(
                section_key=key,
                section_role=role if role in ROLES else "body",
                heading=heading,
                chars_first=len(text),
                chars_kept=kept_chars(text, new),
                sentences_first=len(olds),
                sentences_kept=sum(s in new_sentences for s in olds),
                figures_first=sum(figs.values()),
                figures_changed=sum((figs - figs_after.get(key, Counter())).values()),
            )
        )
    return out


def measure(store: DraftStore, draft_id: str, approved_version: int, approved_at: str) -> list[KeepRate]:
    """The keep-rate records of ``draft_id``: its version 1 against ``approved_version``, with the backend, model
    and prompt version the first version was drafted with and the unit type of its fact sheet."""
    first = Draft.model_validate(store.version(draft_id, 1).data)
    approved = Draft.model_validate(store.version(draft_id, approved_version).data)
    sheet = store.factsheet(store.draft(draft_id).factsheet_id)
    unit_type = str((sheet.data.get("unit") or {}).get("type", ""))
    return [
        KeepRate(
            draft_id=draft_id,
            first_version=1,
            approved_version=approved_version,
            backend="offline" if first.backend == "offline" else "llm",
            model=first.backend,
            prompt_version=first.prompt_version,
            unit_type=unit_type,
            approved_at=approved_at,
            **k.as_dict(),
        )
        for k in keep_rates(first, approved)
    ]


def record(engine, store: DraftStore, draft_id: str, approved_version: int, approved_at: str) -> list[KeepRate]:
    """Measure and store (replacing the draft's earlier rows): what approval calls, and the recompute command."""
    rows = measure(store, draft_id, approved_version, approved_at)
    KeepRateStore(engine).replace(draft_id, rows)
    return rows


def recompute(engine, store: DraftStore) -> int:
    """Measure every approved draft again (approvals made before keep rates were stored, or after the measure
    changed); the approval time of a draft already measured is kept. How many drafts were measured."""
    keep = KeepRateStore(engine)
    known = {r.draft_id: r.approved_at for r in keep.rows()}
    n = 0
    for review in ReviewStore(engine).approved():
        try:
            rows = measure(
                store, review.draft_id, review.approved_version or 1, known.get(review.draft_id) or review.updated_at
            )
        except NotFound:
            continue  # the draft is gone
        keep.replace(review.draft_id, rows)
        n += 1
    return n
