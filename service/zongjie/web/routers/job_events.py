"""Server-sent events of a draft job: its typed progress events (``stages/events.py``) as they happen.

``GET /api/jobs/{job_id}/events`` answers ``text/event-stream``: one message per progress event — ``id`` its
position, ``event`` its ``type`` (section_written carries the section's checked text; section_checked and
section_written carry token usage), ``data`` the event as JSON — then a last ``end`` message with the job's status
and draft id once the job is finished. A client that reconnects with ``Last-Event-ID`` gets the events after that
one. The job page shows the sections as they are written and the tokens used so far.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from ..auth import ReadableJob
from ..deps import StoreDep
from ..errors import errors

router = APIRouter()
POLL_SECONDS = 0.3
FINISHED = ("done", "failed", "interrupted")


def _message(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get(
    "/api/jobs/{job_id}/events",
    tags=["drafts"],
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "进度事件流（server-sent events）"},
        **errors(401, 404),
    },
)
async def job_events(
    request: Request,
    job: ReadableJob,
    store: StoreDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """The job's progress events as server-sent events, until the job is finished (404 for an unknown job or one
    of a unit the user may not see)."""
    job_id = job.id
    start = int(last_event_id) + 1 if last_event_id and last_event_id.isdigit() else 0

    async def stream():
        sent = start
        while not await request.is_disconnected():
            job = await asyncio.to_thread(store.job, job_id)
            events = (job.progress or {}).get("events", [])
            for i in range(sent, len(events)):
                yield _message(events[i].get("type", "message"), events[i], i)
            sent = max(sent, len(events))
            if job.status in FINISHED:
                yield _message("end", {"status": job.status, "draft_id": job.draft_id})
                return
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
