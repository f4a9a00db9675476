"""Review storage: a draft's review state, comments on sections and figures, in-app notifications.

Contract (``ReviewStore``): shares the draft store's engine; writes commit before returning. A draft is in one
state — ``editing`` (the clerk works on it), ``submitted`` (waiting for an editor), ``returned`` (sent back with
comments), ``approved`` (the approved version number is recorded and that version is locked: edits are refused
until the clerk reopens the draft, which starts a new round of review on a new version). Comments belong to a
version and point at a section key and, optionally, at one figure (its text and character offset in the section).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ..common.errors import NotFound
from .account_tables import CommentRow, NotificationRow, ReviewRow

STATES = ("editing", "submitted", "returned", "approved")
STATE_LABELS = {"editing": "编辑中", "submitted": "待审核", "returned": "已退回", "approved": "已通过"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Review:
    draft_id: str
    state: str
    version: int | None
    approved_version: int | None
    updated_at: str
    submitted_by: str | None = None  # the user who submitted the version under review

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


class Comment(BaseModel):
    """A comment on one version of a draft: a section (``section_key``; "" for the whole draft) and, optionally, one
    figure in it (``figure`` as written, ``offset`` in the section's text)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    section_key: str
    figure: str
    offset: int | None
    body: str
    author_name: str
    resolved: bool
    created_at: str


@dataclass
class Notification:
    id: int
    text: str
    link: str
    read: bool
    created_at: str


class ReviewConflict(ValueError):
    """The action does not fit the draft's review state (message in Chinese)."""


class ReviewStore:
    def __init__(self, engine: Engine):
        self.Session = sessionmaker(engine, expire_on_commit=False)

    def review(self, draft_id: str) -> Review:
        with self.Session() as s:
            row = s.get(ReviewRow, draft_id)
            if row is None:
                return Review(draft_id, "editing", None, None, "")
            return Review(row.draft_id, row.state, row.version, row.approved_version, row.updated_at, row.submitted_by)

    def reviews(self, draft_ids: list[str]) -> dict[str, Review]:
        with self.Session() as s:
            rows = s.scalars(select(ReviewRow).where(ReviewRow.draft_id.in_(draft_ids))).all() if draft_ids else []
            found = {r.draft_id: Review(r.draft_id, r.state, r.version, r.approved_version, r.updated_at) for r in rows}
        return {d: found.get(d) or Review(d, "editing", None, None, "") for d in draft_ids}

    def approved(self) -> list[Review]:
        """Every draft with an approved version (approved now, or reopened since), oldest change first."""
        with self.Session() as s:
            q = select(ReviewRow).where(ReviewRow.approved_version.is_not(None)).order_by(ReviewRow.updated_at)
            return [Review(r.draft_id, r.state, r.version, r.approved_version, r.updated_at) for r in s.scalars(q)]

    def _move(self, draft_id: str, allowed_from: tuple[str, ...], to: str, version: int, user_id: str, message: str):
        with self.Session.begin() as s:
            row = s.get(ReviewRow, draft_id, with_for_update=True)
            if row is None:
                row = ReviewRow(draft_id=draft_id, state="editing", updated_at=_now())
                s.add(row)
            if row.state not in allowed_from:
                raise ReviewConflict(message.format(state=STATE_LABELS[row.state]))
            if to in ("returned", "approved") and row.version != version:
                raise ReviewConflict(f"送审的是第 {row.version} 版，不是第 {version} 版")
            row.state = to
            row.version = version
            if to == "submitted":
                row.submitted_by = user_id
            if to in ("returned", "approved"):
                row.decided_by = user_id
            if to == "approved":
                row.approved_version = version
            row.updated_at = _now()
            return row.submitted_by

    def submit(self, draft_id: str, version: int, user_id: str) -> None:
        self._move(draft_id, ("editing", "returned"), "submitted", version, user_id, "草稿{state}，不能再次送审")

    def approve(self, draft_id: str, version: int, user_id: str) -> str | None:
        """Approve the submitted version; the submitter's user id (to notify)."""
        return self._move(
            draft_id, ("submitted",), "approved", version, user_id, "草稿{state}，只有待审核的草稿可以通过"
        )

    def return_(self, draft_id: str, version: int, user_id: str) -> str | None:
        return self._move(
            draft_id, ("submitted",), "returned", version, user_id, "草稿{state}，只有待审核的草稿可以退回"
        )

    def reopen(self, draft_id: str, user_id: str) -> None:
        with self.Session.begin() as s:
            row = s.get(ReviewRow, draft_id, with_for_update=True)
            if row is None or row.state != "approved":
                raise ReviewConflict("只有已通过的草稿需要重新打开")
            row.state = "editing"
            row.updated_at = _now()

    def editable(self, draft_id: str) -> str | None:
        """Why the draft cannot be edited now (Chinese), or None."""
        state = self.review(draft_id).state
        if state == "submitted":
            return "草稿正在审核中，审核员退回后才能修改"
        if state == "approved":
            return "草稿已审核通过并锁定；如需修改，请先「重新打开」（修改将成为新版本并重新送审）"
        return None

    # ------------------------------------------------------------------ comments
    def add_comment(
        self,
        draft_id: str,
        version: int,
        section_key: str,
        body: str,
        author_id: str,
        author_name: str,
        figure: str = "",
        offset: int | None = None,
    ) -> int:
        with self.Session.begin() as s:
            row = CommentRow(
                draft_id=draft_id,
                version=version,
                section_key=section_key,
                figure=figure,
                offset=offset,
                body=body,
                author_id=author_id,
                author_name=author_name,
                created_at=_now(),
            )
            s.add(row)
            s.flush()
            return row.id

    def comments(self, draft_id: str) -> list[Comment]:
        with self.Session() as s:
            rows = s.scalars(select(CommentRow).where(CommentRow.draft_id == draft_id).order_by(CommentRow.id)).all()
            return [Comment.model_validate(r) for r in rows]

    def resolve_comment(self, draft_id: str, comment_id: int) -> None:
        with self.Session.begin() as s:
            row = s.get(CommentRow, comment_id)
            if row is None or row.draft_id != draft_id:
                raise NotFound("这条批注", comment_id)
            row.resolved = True

    # ------------------------------------------------------------------ notifications
    def notify(self, user_ids: list[str], text: str, link: str = "") -> None:
        with self.Session.begin() as s:
            for uid in dict.fromkeys(user_ids):
                s.add(NotificationRow(user_id=uid, text=text[:300], link=link[:300], created_at=_now()))

    def notifications(self, user_id: str, limit: int = 50) -> list[Notification]:
        with self.Session() as s:
            rows = s.scalars(
                select(NotificationRow)
                .where(NotificationRow.user_id == user_id)
                .order_by(NotificationRow.id.desc())
                .limit(limit)
            ).all()
            return [Notification(r.id, r.text, r.link, r.read, r.created_at) for r in rows]

    def unread(self, user_id: str) -> int:
        with self.Session() as s:
            q = select(func.count()).select_from(NotificationRow)
            return s.scalar(q.where(NotificationRow.user_id == user_id, NotificationRow.read.is_(False))) or 0

    def mark_read(self, user_id: str, notification_id: int | None = None) -> None:
        with self.Session.begin() as s:
            q = update(NotificationRow).where(NotificationRow.user_id == user_id)
            if notification_id is not None:
                q = q.where(NotificationRow.id == notification_id)
            s.execute(q.values(read=True))
