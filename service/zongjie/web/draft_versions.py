"""Reading a draft against the current facts and writing its new versions, for the API and the pages alike.

Contract: ``DraftReader`` (``DraftReaderDep``) gives the draft in the path to a user who may read it, each version
checked against the current facts (``load_current``: NotFound → 404, a fact sheet with missing values → 409).
``DraftWriter`` (``DraftWriterDep``) writes new versions — edit or regenerate a part, restore, store a recheck — each
refused with 409 while the draft is locked for review, retried when another save races it, and written to the audit
log; see its docstring.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException

from ..drafting.editing import EditError, check_base, edit_part, part_heading, part_text, regenerate_section, restore
from ..drafting.revisions import CurrentVersion, current_version
from ..factsheets.model import FactSheetError
from ..stages.assemble import Draft
from ..storage.records import Outdated
from .auth import AccountsDep, CurrentUser, ReadableDraft, ReviewsDep, WritableDraft
from .deps import KBDep, SettingsDep, StoreDep
from .draft_models import VersionOut, version_out

SAVE_ATTEMPTS = 3


def load_current(store, settings, kb, draft_id: str, v: int | None = None) -> CurrentVersion:
    """The version (latest by default) checked against the current facts (NotFound → 404 in the app's handler)."""
    try:
        return current_version(store, draft_id, v, settings, kb)
    except FactSheetError:
        raise HTTPException(409, detail="这份草稿的事实表有误（可能有未填写的数值），请先修改事实表") from None


def _store_version(store, draft_id: str, new: Draft, note: str, revision: int, expect: int) -> VersionOut:
    number = store.add_version(draft_id, new.model_dump(mode="json"), note, revision, expect_latest=expect)
    return version_out(store.version(draft_id, number))


class DraftReader:
    """The draft in the path for a user who may read it (``ReadableDraft``: 404 otherwise), with what reading it
    takes: ``current(v)`` is version ``v`` (latest by default) checked against the current facts (NotFound → 404,
    a fact sheet with missing values → 409). ``DraftReaderDep`` in a route's signature."""

    def __init__(self, access: ReadableDraft, store: StoreDep, settings: SettingsDep, kb: KBDep):
        self.access, self.store, self.settings, self.kb = access, store, settings, kb
        self.draft_id = access.draft.id

    def current(self, v: int | None = None) -> CurrentVersion:
        return load_current(self.store, self.settings, self.kb, self.draft_id, v)


DraftReaderDep = Annotated[DraftReader, Depends()]


class DraftWriter(DraftReader):
    """Writes new versions of the draft in the path for the signed-in user — edit or regenerate a part, restore an
    old version, store a recheck — for the API and the pages alike (``DraftWriterDep``; the route only turns the
    outcome into its answer).

    Contract: the user may write the draft (``WritableDraft``: 404/403 otherwise); every method first refuses with
    409 (``HTTPException``, Chinese) while the draft is submitted for review or approved (locked), and writes the
    new version to the audit log (who, which draft and version, what changed). ``edit`` and ``regenerate`` raise
    ``Conflict`` when the part changed after ``base`` and ``EditError`` for a change that cannot be made; a save
    racing another is retried on the new latest version (and conflicts if it touched the same part)."""

    def __init__(
        self,
        user: CurrentUser,
        access: WritableDraft,
        accounts: AccountsDep,
        reviews: ReviewsDep,
        store: StoreDep,
        settings: SettingsDep,
        kb: KBDep,
    ):
        super().__init__(access, store, settings, kb)
        self.user, self.accounts, self.reviews = user, accounts, reviews

    def edit(self, key: str, text: str, base: int | None) -> VersionOut:
        """Replace one part's text (a section by key, or ``title`` / ``opening``) on version ``base``."""
        return self._audited(self._change(key, text, base), {"section": key})

    def regenerate(self, key: str, base: int | None) -> VersionOut:
        """Write one section again from its facts, on version ``base`` (None: the latest)."""
        return self._audited(self._change(key, None, base), {"section": key})

    def restore(self, number: int) -> VersionOut:
        """Make version ``number``'s text the newest version, checked against the current facts (503 when it cannot
        be saved now)."""
        self._ensure_editable()
        try:
            out = self._restored(number)
        except EditError as exc:
            raise HTTPException(503, detail=exc.message_zh) from None
        return self._audited(out, {"restored": number})

    def recheck(self) -> VersionOut | None:
        """Store the latest version checked against the current facts as a new version (None when it already is)."""
        self._ensure_editable()
        cur = self.current()
        if not cur.stale:
            return None
        note = f"按事实表第 {cur.sheet_revision} 版重新核对"
        try:
            out = _store_version(self.store, self.draft_id, cur.draft, note, cur.sheet_revision, cur.version.number)
        except Outdated:
            return None  # someone saved meanwhile: that version is checked against the current facts already
        return self._audited(out)

    def _ensure_editable(self) -> None:
        locked = self.reviews.editable(self.draft_id)
        if locked:
            raise HTTPException(409, detail=locked)

    def _change(self, key: str, text: str | None, base: int | None) -> VersionOut:
        """Edit (``text``) or regenerate (``text`` None) one part of the latest version, on ``base``."""
        self._ensure_editable()
        store, settings, kb, draft_id = self.store, self.settings, self.kb, self.draft_id
        for _ in range(SAVE_ATTEMPTS):
            cur = self.current()
            latest = cur.version.number
            if base is not None and base != latest:
                if base > latest:
                    raise EditError(f"没有第 {base} 版")
                older = Draft.model_validate(store.version(draft_id, base).data)
                mine = _part_or_none(older, key) if text is None else text
                check_base(older, cur.draft, key, base, latest, mine)
            heading = part_heading(cur.draft, key)
            if text is None:
                new, note = regenerate_section(cur.draft, key, cur.sheet, settings, kb), f"重新生成：{heading}"
            else:
                new, note = edit_part(cur.draft, key, text, cur.sheet, settings, kb), f"编辑：{heading}"
            try:
                return _store_version(store, draft_id, new, note, cur.sheet_revision, latest)
            except Outdated:
                base = latest if base is None else base
        raise EditError("同时保存的人太多，请稍后重试（您的文本没有丢失）")

    def _restored(self, number: int) -> VersionOut:
        cur = self.current(number)
        new = restore(Draft.model_validate(cur.version.data), cur.sheet, self.settings, self.kb)
        for _ in range(SAVE_ATTEMPTS):
            latest = self.store.draft(self.draft_id).latest
            try:
                return _store_version(self.store, self.draft_id, new, f"恢复第 {number} 版", cur.sheet_revision, latest)
            except Outdated:
                continue
        raise EditError("同时保存的人太多，请稍后重试")

    def _audited(self, out: VersionOut, detail: dict | None = None) -> VersionOut:
        access = self.access
        summary = f"{out.note}（第 {out.number} 版）"
        self.accounts.audit(
            self.user, "edit", "version", f"{access.draft.id} v{out.number}", summary, access.unit_id, detail or {}
        )
        return out


DraftWriterDep = Annotated[DraftWriter, Depends()]


def _part_or_none(draft: Draft, key: str) -> str:
    try:
        return part_text(draft, key)
    except EditError:
        return ""
