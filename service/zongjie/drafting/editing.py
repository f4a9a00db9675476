"""Editors' changes to a stored draft, each producing a new Draft (stored as a new version by the caller).

Parts: every leaf section by its key, plus ``title`` (the title line), ``opening`` (the paragraph before the first
section), ``closing`` (the paragraph after the last) and ``signature`` (the 落款: the signing unit, then the date, one
line each) — ``part_text``/``part_heading`` read them, ``edit_part`` replaces one as typed.
``regenerate_section`` writes one section again from its facts (new exemplars and a new LLM answer — or the
offline drafter) with the same check and repair loop. ``restore`` makes an old version's text the newest.
Every change re-checks the whole draft against the facts passed in (the current ones), so a new version never
carries a check of older facts.

Edits carry the version they were based on: ``rebase_edit`` applies an edit made on ``base`` to ``latest``
when the part it changes is the same in both (other parts' changes are kept), and raises ``Conflict`` — with
both texts — when someone else changed that part since; nothing is overwritten silently.
"""

from __future__ import annotations

from ..backends.llm import make_llm
from ..checker.exemplars import Exemplar
from ..checker.facts_index import FactIndex, build_index
from ..factsheets.model import FactSheet
from ..settings import Settings
from ..stages.assemble import Draft, check_draft
from ..stages.base_summary import resolve_base
from ..stages.draft import DraftInput, write_one
from ..stages.exported import checkable_text
from ..stages.retrieve import ExemplarQuery, exemplars_for
from ..writers.base import SectionFacts, SectionTask

MAX_SECTION_CHARS = 5000
MAX_TITLE_CHARS = 80
MAX_SIGNATURE_LINE_CHARS = 60
TITLE_KEY = "title"
OPENING_KEY = "opening"
CLOSING_KEY = "closing"
SIGNATURE_KEY = "signature"
HEAD_KEYS = (TITLE_KEY, OPENING_KEY, CLOSING_KEY, SIGNATURE_KEY)  # the parts that are not sections


class EditError(ValueError):
    """A change that cannot be applied; ``message_zh`` says why."""

    def __init__(self, message_zh: str):
        self.message_zh = message_zh
        super().__init__(message_zh)


class Conflict(EditError):
    """The part was changed by someone else after the editor's base version.

    ``theirs`` is the part's text in the latest version (``latest``), ``mine`` what the editor typed."""

    def __init__(self, key: str, heading: str, base: int, latest: int, mine: str, theirs: str):
        self.key, self.heading, self.base, self.latest, self.mine, self.theirs = (
            key,
            heading,
            base,
            latest,
            mine,
            theirs,
        )
        super().__init__(
            f"「{heading}」在您打开编辑后已被修改（您基于第 {base} 版，现在是第 {latest} 版）。"
            "您的文本没有保存，也没有丢失：请对照两边的文本后再保存。"
        )


def _section(draft: Draft, key: str):
    for s in draft.walk():
        if s.key == key and (not s.children or s.text):  # a section with subsections may open with text
            return s
    raise EditError("没有这个部分")


def part_text(draft: Draft, key: str) -> str:
    """The current text of a part: the title, the opening, or a leaf section's text."""
    if key == TITLE_KEY:
        return draft.title
    if key == OPENING_KEY:
        return draft.opening
    if key == CLOSING_KEY:
        return draft.closing
    if key == SIGNATURE_KEY:
        return "\n".join(x for x in (draft.signature_unit, draft.signature_date) if x)
    return _section(draft, key).text


def part_heading(draft: Draft, key: str) -> str:
    """How the UI names a part: 「标题」, 「开头」 or the numbered section heading."""
    if key == TITLE_KEY:
        return "标题"
    if key == OPENING_KEY:
        return "开头"
    if key in (CLOSING_KEY, SIGNATURE_KEY):
        return "结尾" if key == CLOSING_KEY else "落款"
    for s in draft.walk():
        if s.key == key:
            return f"{s.marker}{s.heading}"
    return key


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.replace("\r", "").split("\n") if line.strip())


def _own_docs(kb, sheet: FactSheet) -> list[str]:
    """The unit's own documents (its base summary, documents of its unit): never exemplars of its drafts."""
    return resolve_base(kb, sheet).own_ids if kb is not None else []


def _exemplars(draft: Draft, kb, sheet: FactSheet) -> list[Exemplar]:
    out = []
    own = _own_docs(kb, sheet)
    for s in draft.walk():
        if s.children and not s.text:
            continue
        out += exemplars_for(kb, ExemplarQuery.for_section(sheet, s.heading, s.role, s.fact_ids, own))
    return list({(e.source, e.text): e for e in out}.values())


def recheck(
    draft: Draft, sheet: FactSheet, settings: Settings, exemplars: list[Exemplar], index: FactIndex | None = None
) -> Draft:
    """Recompute ``draft.report`` (and the provenance) in place against ``sheet``; returns ``draft``. ``index``: the
    sheet's facts index when the caller already built it."""
    draft.set_report(
        check_draft(draft, sheet, exemplars, settings.check_policy(), settings.check_copy_min_chars, index)
    )
    return draft


def recheck_with_kb(draft: Draft, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    """``recheck`` a copy of ``draft`` with the exemplars its sections would be written from now."""
    new = draft.model_copy(deep=True)
    return recheck(new, sheet, settings, _exemplars(new, kb, sheet))


def _set_part(draft: Draft, key: str, text: str) -> None:
    if key == TITLE_KEY:
        text = text.replace("\n", "")
        if not text:
            raise EditError("标题不能为空")
        if len(text) > MAX_TITLE_CHARS:
            raise EditError(f"「标题」太长了：最多 {MAX_TITLE_CHARS} 字，现有 {len(text)} 字")
        draft.title = text
        return
    if len(text) > MAX_SECTION_CHARS:
        name = part_heading(draft, key)
        raise EditError(f"「{name}」太长了：最多 {MAX_SECTION_CHARS} 字，现有 {len(text)} 字。请删减后再保存")
    if key == OPENING_KEY:
        draft.opening = text.replace("\n", "")
        return
    if key == CLOSING_KEY:
        draft.closing = text.replace("\n", "")
        return
    if key == SIGNATURE_KEY:
        lines = text.split("\n")
        if len(lines) > 2:
            raise EditError("落款只有两行：第一行写单位，第二行写日期")
        if any(len(line) > MAX_SIGNATURE_LINE_CHARS for line in lines):
            raise EditError(f"落款每行最多 {MAX_SIGNATURE_LINE_CHARS} 字")
        draft.signature_unit, draft.signature_date = (lines + ["", ""])[:2]
        return
    section = _section(draft, key)
    section.text = text
    section.fallback, section.note = "none", "编辑修改"


def edit_part(draft: Draft, key: str, text: str, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    """Replace one part (title, opening or leaf section) with ``text`` as typed; re-check the whole draft."""
    new = draft.model_copy(deep=True)
    _set_part(new, key, _clean(checkable_text(text)))  # pasted from an export: its marks and escapes are not text
    return recheck(new, sheet, settings, _exemplars(new, kb, sheet))


def edit_section(draft: Draft, key: str, text: str, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    """``edit_part`` for a leaf section (kept for callers that only edit sections)."""
    return edit_part(draft, key, text, sheet, settings, kb)


def check_base(base: Draft, latest: Draft, key: str, base_number: int, latest_number: int, mine: str) -> None:
    """Raise ``Conflict`` when ``key`` differs between the editor's base and the latest version (unless the
    latest already says exactly what the editor typed)."""
    if base_number == latest_number:
        return
    try:
        theirs = part_text(latest, key)
        before = part_text(base, key)
    except EditError:
        raise EditError("这个部分在最新版本中已不存在，请刷新后再编辑") from None
    if before != theirs and _clean(mine) != theirs:
        raise Conflict(key, part_heading(latest, key), base_number, latest_number, mine, theirs)


def regenerate_section(draft: Draft, key: str, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    new = draft.model_copy(deep=True)
    section = _section(new, key)
    task = SectionTask(
        section.key,
        section.heading,
        section.role,
        SectionFacts.select(sheet, section.fact_ids),
        exemplars_for(
            kb,
            ExemplarQuery.for_section(sheet, section.heading, section.role, section.fact_ids, _own_docs(kb, sheet)),
        ),
    )
    index = build_index(sheet)  # the section's check and the whole draft's share it
    result = write_one(
        DraftInput(
            [task],
            index,
            make_llm(settings),
            1,
            settings.draft_repair_rounds,
            settings.check_policy(),
            settings.check_copy_min_chars,
        ),
        task,
    )
    section.text, section.rounds, section.fallback = result.text, result.rounds, result.fallback
    section.note = result.note or "重新生成"
    section.exemplar_sources = result.exemplar_sources
    return recheck(new, sheet, settings, _exemplars(new, kb, sheet), index)


def restore(old: Draft, sheet: FactSheet, settings: Settings, kb=None) -> Draft:
    """An old version's text as a new draft, checked against ``sheet`` (the current facts)."""
    return recheck_with_kb(old, sheet, settings, kb)
