"""Review of drafts: submit a version, comment on a section or a figure, approve or return, reopen after approval.

Who may do what follows ``auth.policy``: the clerks of the draft's unit submit, reopen and resolve comments; the
editors of that unit or a unit above approve and return; both comment. Every step notifies the other side in the
app and is written to the audit log.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from ...auth.policy import Principal, Role
from ...common.errors import NotFound
from ...drafting import approved_base, keeprate
from ...stages.assemble import Draft
from ...storage.review import STATE_LABELS, Comment, ReviewConflict
from ..auth import (
    CommentableDraft,
    CurrentUser,
    DraftAccess,
    ReadableDraft,
    ReviewableDraft,
    WritableDraft,
)
from ..deps import StoreDep
from ..errors import errors
from ..security import CsrfDep

router = APIRouter()
log = logging.getLogger(__name__)
CommentId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class CommentIn(BaseModel):
    section_key: str = Field(min_length=1, max_length=64, description="The section (its key, e.g. '2' or '2.1')")
    body: str = Field(min_length=1, max_length=2000)
    figure: str = Field("", max_length=64, description="The figure commented on, as written in the text")
    offset: int | None = Field(None, ge=0, le=10**6, description="The figure's character offset in the section")
    version: int | None = Field(None, ge=1, le=10**6, description="Version commented on (default: latest)")


class CommentOut(Comment):
    pass


class Decision(BaseModel):
    version: int | None = Field(None, ge=1, le=10**6, description="The version decided on (default: the submitted)")
    comment: str = Field("", max_length=2000, description="A note for the clerk (kept as a comment)")


class ReviewOut(BaseModel):
    state: str = Field(description="editing | submitted | returned | approved")
    state_label: str
    version: int | None
    approved_version: int | None
    comments: list[CommentOut]


def _out(request: Request, draft_id: str) -> ReviewOut:
    reviews = request.app.state.reviews
    r = reviews.review(draft_id)
    return ReviewOut(
        state=r.state,
        state_label=STATE_LABELS[r.state],
        version=r.version,
        approved_version=r.approved_version,
        comments=[CommentOut.model_validate(c) for c in reviews.comments(draft_id)],
    )


def _people(accounts, unit_id: str | None, role: Role) -> list[str]:
    """Active users of ``role`` responsible for ``unit_id``: clerks of the unit, editors at or above it."""
    out = []
    for u in accounts.users():
        if not u.active or u.role != role or unit_id is None:
            continue
        if (role == Role.clerk and u.unit_id == unit_id) or (
            role == Role.editor and unit_id in accounts.subtree(u.unit_id)
        ):
            out.append(u.id)
    return out


def _notify(request: Request, access: DraftAccess, who: Principal, role: Role, text: str) -> None:
    accounts, reviews = request.app.state.accounts, request.app.state.reviews
    targets = [u for u in _people(accounts, access.unit_id, role) if u != who.user_id]
    reviews.notify(targets, text, f"/drafts/{access.draft.id}")


def _conflict(exc: ReviewConflict) -> HTTPException:
    return HTTPException(409, detail=str(exc))


def _latest(store, draft_id: str) -> int:
    return store.draft(draft_id).latest


def _open_count(store, draft_id: str) -> int:
    """Open findings of the latest version (as it was checked when saved)."""
    from ...stages.marks import open_findings

    return len(open_findings(Draft.model_validate(store.version(draft_id, _latest(store, draft_id)).data)))


def submit(request: Request, user: Principal, access: DraftAccess, store) -> None:
    version = _latest(store, access.draft.id)
    try:
        request.app.state.reviews.submit(access.draft.id, version, user.user_id)
    except ReviewConflict as exc:
        raise _conflict(exc) from None
    request.app.state.accounts.audit(
        user, "submit", "draft", access.draft.id, f"送审第 {version} 版", access.unit_id, {"version": version}
    )
    _notify(request, access, user, Role.editor, f"{user.display_name} 送审了「{access.draft.title}」第 {version} 版")


def add_comment(request: Request, user: Principal, access: DraftAccess, store, body: CommentIn) -> int:
    draft_id = access.draft.id
    version = body.version or _latest(store, draft_id)
    try:
        data = store.version(draft_id, version).data
    except NotFound:
        raise HTTPException(422, detail=f"没有第 {version} 版") from None
    if body.section_key not in {s.key for s in Draft.model_validate(data).walk()}:
        raise HTTPException(
            422,
            detail="没有这个部分",
            headers=None,
        )
    comment_id = request.app.state.reviews.add_comment(
        draft_id,
        version,
        body.section_key,
        body.body.strip(),
        user.user_id,
        user.display_name,
        body.figure.strip(),
        body.offset,
    )
    what = f"数字「{body.figure}」" if body.figure else f"第 {body.section_key} 部分"
    request.app.state.accounts.audit(
        user, "comment", "draft", draft_id, f"批注第 {version} 版{what}", access.unit_id, {"comment": comment_id}
    )
    other = Role.clerk if user.role != Role.clerk else Role.editor
    _notify(request, access, user, other, f"{user.display_name} 批注了「{access.draft.title}」的{what}")
    return comment_id


SELF_APPROVAL = "不能审核通过自己送审或撰写的版本：请由本单位或上级单位的另一位审核员审核"


def version_authors(request: Request, access: DraftAccess, version: int) -> set[str]:
    """Who wrote ``version`` of the draft: whoever made that version (every version after the first is an audited
    edit, regeneration, restore or re-check), or for the first one whoever started the drafting job."""
    accounts = request.app.state.accounts
    author = accounts.actor("version", f"{access.draft.id} v{version}")
    if author is None and access.draft.job_id:
        job = accounts.record("job", access.draft.job_id)
        author = job.created_by if job else None
    return {author} if author else set()


def _own_work(request: Request, user: Principal, access: DraftAccess, version: int) -> bool:
    """True when ``user`` submitted or wrote the version and the draft's unit is not a configured one-person unit."""
    review = request.app.state.reviews.review(access.draft.id)
    if user.user_id not in version_authors(request, access, version) | {review.submitted_by}:
        return False
    single = request.app.state.settings.single_person_unit_list
    if access.unit_id is None or not single:
        return True
    try:
        unit = request.app.state.accounts.unit(access.unit_id)
    except NotFound:
        return True
    return unit.id not in single and unit.name not in single


def decide(request: Request, user: Principal, access: DraftAccess, approve: bool, decision: Decision) -> None:
    reviews = request.app.state.reviews
    draft_id = access.draft.id
    version = decision.version or reviews.review(draft_id).version or 0
    if approve and _own_work(request, user, access, version):
        raise HTTPException(403, detail=SELF_APPROVAL)
    try:
        (reviews.approve if approve else reviews.return_)(draft_id, version, user.user_id)
    except ReviewConflict as exc:
        raise _conflict(exc) from None
    if approve:
        _measure(request, draft_id, version)
        _keep_in_knowledge_base(request, draft_id, version, access.unit_id)
    word = "通过" if approve else "退回"
    if decision.comment.strip():
        reviews.add_comment(draft_id, version, "", decision.comment.strip(), user.user_id, user.display_name)
    request.app.state.accounts.audit(
        user, "approve" if approve else "return", "draft", draft_id, f"{word}第 {version} 版", access.unit_id
    )
    _notify(request, access, user, Role.clerk, f"{user.display_name} {word}了「{access.draft.title}」第 {version} 版")


def _measure(request: Request, draft_id: str, version: int) -> None:
    """Store the keep rate of the approved version (the approval itself is already committed: a failure here is
    logged and left to ``zongjie stats recompute-keep-rate``, never turned into a failed approval)."""
    store = request.app.state.store
    try:
        keeprate.record(store.engine, store, draft_id, version, request.app.state.reviews.review(draft_id).updated_at)
    except Exception:
        log.exception("keep rate of draft %s version %s not stored", draft_id, version)


def _keep_in_knowledge_base(request: Request, draft_id: str, version: int, unit_id: str | None) -> None:
    """The approved text becomes the unit's summary for the period in the knowledge base (next year's base); the
    approval stands when the knowledge base cannot take it (logged)."""
    kb = request.app.state.kb
    if kb is None:
        return
    try:
        approved_base.keep_approved(kb, request.app.state.store, draft_id, version, unit_id)
    except Exception:
        log.exception("approved text of draft %s version %s not kept in the knowledge base", draft_id, version)


def reopen(request: Request, user: Principal, access: DraftAccess) -> None:
    try:
        request.app.state.reviews.reopen(access.draft.id, user.user_id)
    except ReviewConflict as exc:
        raise _conflict(exc) from None
    request.app.state.accounts.audit(user, "reopen", "draft", access.draft.id, "重新打开已通过的草稿", access.unit_id)


def resolve(request: Request, user: Principal, access: DraftAccess, comment_id: int) -> None:
    try:
        request.app.state.reviews.resolve_comment(access.draft.id, comment_id)
    except NotFound:
        raise HTTPException(404, detail="没有找到这条批注") from None
    request.app.state.accounts.audit(
        user, "resolve", "draft", access.draft.id, "批注已处理", access.unit_id, {"comment": comment_id}
    )


# ------------------------------------------------------------------ API
@router.get("/api/drafts/{draft_id}/review", response_model=ReviewOut, tags=["review"], responses=errors(401, 404))
def api_review(request: Request, access: ReadableDraft):
    """The draft's review state and every comment."""
    return _out(request, access.draft.id)


@router.post(
    "/api/drafts/{draft_id}/submit", response_model=ReviewOut, tags=["review"], responses=errors(401, 403, 404, 409)
)
def api_submit(request: Request, user: CurrentUser, access: WritableDraft, store: StoreDep):
    """Submit the latest version for review (clerks of the unit)."""
    submit(request, user, access, store)
    return _out(request, access.draft.id)


@router.post(
    "/api/drafts/{draft_id}/comments",
    response_model=CommentOut,
    status_code=201,
    tags=["review"],
    responses=errors(401, 403, 404, 422),
)
def api_comment(request: Request, user: CurrentUser, access: CommentableDraft, store: StoreDep, body: CommentIn):
    """Comment on a section, or on one figure in it (``figure``, ``offset``)."""
    comment_id = add_comment(request, user, access, store, body)
    return next(c for c in _out(request, access.draft.id).comments if c.id == comment_id)


@router.post(
    "/api/drafts/{draft_id}/comments/{comment_id}/resolve",
    status_code=204,
    tags=["review"],
    responses=errors(401, 403, 404, 422),
)
def api_resolve(request: Request, user: CurrentUser, access: WritableDraft, comment_id: CommentId):
    """Mark a comment as dealt with (clerks of the unit)."""
    resolve(request, user, access, comment_id)
    return Response(status_code=204)


@router.post(
    "/api/drafts/{draft_id}/approve",
    response_model=ReviewOut,
    tags=["review"],
    responses=errors(401, 403, 404, 409, 422),
)
def api_approve(request: Request, user: CurrentUser, access: ReviewableDraft, body: Decision | None = None):
    """Approve the submitted version (editors of the unit or above); it is locked."""
    decide(request, user, access, True, body or Decision())
    return _out(request, access.draft.id)


@router.post(
    "/api/drafts/{draft_id}/return",
    response_model=ReviewOut,
    tags=["review"],
    responses=errors(401, 403, 404, 409, 422),
)
def api_return(request: Request, user: CurrentUser, access: ReviewableDraft, body: Decision | None = None):
    """Return the submitted version to the clerk with comments (editors of the unit or above)."""
    decide(request, user, access, False, body or Decision())
    return _out(request, access.draft.id)


@router.post(
    "/api/drafts/{draft_id}/reopen", response_model=ReviewOut, tags=["review"], responses=errors(401, 403, 404, 409)
)
def api_reopen(request: Request, user: CurrentUser, access: WritableDraft):
    """Reopen an approved draft for changes: the approved version stays as it was; edits make new versions."""
    reopen(request, user, access)
    return _out(request, access.draft.id)


# ------------------------------------------------------------------ pages (forms on the draft page)
def _back(draft_id: str, anchor: str = "review") -> RedirectResponse:
    return RedirectResponse(f"/drafts/{draft_id}#{anchor}", status_code=303)


@router.post("/drafts/{draft_id}/submit", include_in_schema=False)
def page_submit(
    request: Request,
    user: CurrentUser,
    access: WritableDraft,
    store: StoreDep,
    _: CsrfDep,
    confirm_open: Annotated[str, Form(max_length=1)] = "",
):
    """送审 from the page: with open findings it first asks (the draft page's question, 「仍然送审」 ticked)."""
    if confirm_open != "1" and _open_count(store, access.draft.id):
        return RedirectResponse(f"/drafts/{access.draft.id}?ask=submit#review", status_code=303)
    submit(request, user, access, store)
    return _back(access.draft.id)


@router.post("/drafts/{draft_id}/comments", include_in_schema=False)
def page_comment(
    request: Request,
    user: CurrentUser,
    access: CommentableDraft,
    store: StoreDep,
    _: CsrfDep,
    section_key: Annotated[str, Form(max_length=64)] = "",
    body: Annotated[str, Form(max_length=2000)] = "",
    figure: Annotated[str, Form(max_length=64)] = "",
    version: Annotated[str, Form(max_length=10)] = "",
):
    if not body.strip():
        raise HTTPException(422, detail="批注内容不能为空")
    comment = CommentIn(
        section_key=section_key or "?",
        body=body,
        figure=figure,
        version=int(version) if version.isdigit() and int(version) > 0 else None,
    )
    add_comment(request, user, access, store, comment)
    return _back(access.draft.id, f"sec-{section_key}")


@router.post("/drafts/{draft_id}/comments/{comment_id}/resolve", include_in_schema=False)
def page_resolve(request: Request, user: CurrentUser, access: WritableDraft, comment_id: CommentId, _: CsrfDep):
    resolve(request, user, access, comment_id)
    return _back(access.draft.id)


def _decision_page(approve: bool):
    """The form behind 通过 (``approve``) and 退回 on the draft page: decide with the note, back to the review."""

    def page(
        request: Request,
        user: CurrentUser,
        access: ReviewableDraft,
        _: CsrfDep,
        comment: Annotated[str, Form(max_length=2000)] = "",
    ):
        decide(request, user, access, approve, Decision(comment=comment))
        return _back(access.draft.id)

    return page


router.post("/drafts/{draft_id}/approve", include_in_schema=False, name="page_approve")(_decision_page(True))
router.post("/drafts/{draft_id}/return", include_in_schema=False, name="page_return")(_decision_page(False))


@router.post("/drafts/{draft_id}/reopen", include_in_schema=False)
def page_reopen(request: Request, user: CurrentUser, access: WritableDraft, _: CsrfDep):
    reopen(request, user, access)
    return _back(access.draft.id)
