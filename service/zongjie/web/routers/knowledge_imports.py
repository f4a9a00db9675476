"""Knowledge-base imports: uploads of past summaries (many files, .zip archives) ingested as background jobs.

``POST /api/knowledge/imports`` stores the uploaded files with a new ``ingest`` job (in the database, so a worker on
another host can read them) and answers 202 at once; ``GET /api/knowledge/imports/{id}`` is the job with one row
per file (a zip's members one by one: status, summaries and sections found, or the Chinese reason it failed); the
page ``/knowledge/imports/{id}`` follows it live through ``/api/jobs/{id}/events`` (server-sent events). A bad
file never stops the batch; a file holding the same summary as another one of the import is skipped and says so.
Routes are sync (the thread pool): reading uploads never holds up the event loop. The form on ``/knowledge`` posts
to ``/knowledge/imports``. Only administrators change
the knowledge base: every route here needs an admin, and each import is in the audit log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from ...jobs.ingest import KIND
from ...stages.ingest_events import IngestProgress
from ..auth import AccountsDep, AdminUser
from ..deps import RunnerDep, SettingsDep, StoreDep
from ..errors import errors
from ..security import CsrfDep
from ..templating import templates
from .factsheets import read_upload

router = APIRouter()
ACCEPTED = (".txt", ".md", ".docx", ".pdf", ".zip")
MAX_FILES = 50
UPLOAD_WAIT_SECONDS = 600.0
STATUS_ZH = {"queued": "排队中", "running": "正在导入", "done": "已完成", "failed": "失败", "interrupted": "已中断"}


class ImportedFile(BaseModel):
    name: str
    outcome: str = Field(description="added | replaced | unchanged | failed")
    documents: int
    sections: int
    message: str = ""


class ImportJobOut(BaseModel):
    id: str
    status: str = Field(description="queued | running | done | failed | interrupted")
    status_zh: str
    progress: IngestProgress = Field(description="One row per file (status, summaries, sections, reason it failed)")
    error: str | None = None
    files: list[ImportedFile] = Field(default_factory=list, description="Per-file results once the job is done")

    @classmethod
    def of(cls, job) -> ImportJobOut:
        result = job.result or {}
        return cls(
            id=job.id,
            status=job.status,
            status_zh=STATUS_ZH.get(job.status, job.status),
            progress=IngestProgress.model_validate(job.progress or {}),
            error=job.error,
            files=[ImportedFile.model_validate(f) for f in result.get("files", [])],
        )


def load_import(store, job_id: str):
    """The ingest job ``job_id`` (404 for an unknown id or a job of another kind)."""
    job = store.job(job_id)  # NotFound → 404 in the app's handler
    if job.kind != KIND:
        raise HTTPException(404, detail="没有找到这个导入任务")
    return job


def read_uploads(settings, files: list[UploadFile]) -> tuple[list[dict], list[tuple[str, bytes]]]:
    """The uploads in order: ``listed`` (name, and the Chinese reason a file was refused: type, size, empty) and
    the accepted ``(name, bytes)``. 400/413 when there is nothing to take or too much at once."""
    files = [f for f in files if f.filename]
    if not files:
        raise HTTPException(400, detail="请选择要上传的文件")
    if len(files) > MAX_FILES:
        raise HTTPException(413, detail=f"一次最多上传 {MAX_FILES} 个文件，请分批上传")
    listed: list[dict] = []
    uploads: list[tuple[str, bytes]] = []
    for f in files:
        name = f.filename or "upload"
        try:
            uploads.append((name, read_upload(f, settings, ACCEPTED)))
            listed.append({"name": name, "error": ""})
        except HTTPException as exc:
            listed.append({"name": name, "error": f"{name}：{exc.detail}", "status": exc.status_code})
    return listed, uploads


class Importer:
    """An administrator's import of past summaries (``ImporterDep``; 401/403 for anyone else): reads the uploads and
    queues them as one ingest job, written to the audit log. Shared by the API and the form."""

    def __init__(
        self, admin: AdminUser, accounts: AccountsDep, runner: RunnerDep, store: StoreDep, settings: SettingsDep
    ):
        self.admin, self.accounts, self.runner, self.store, self.settings = admin, accounts, runner, store, settings

    def read(self, files: list[UploadFile]) -> tuple[list[dict], list[tuple[str, bytes]]]:
        """``read_uploads`` with this deployment's limits."""
        return read_uploads(self.settings, files)

    def queue(self, listed: list[dict], uploads: list[tuple[str, bytes]]) -> str:
        """One ingest job for ``uploads`` (``listed``: every file with the reason it was refused, if it was)."""
        job_id: str = self.runner.submit(kind=KIND, payload={"files": listed}, files=uploads)
        names = "、".join(x["name"] for x in listed)[:300]
        self.accounts.audit(self.admin, "upload", "job", job_id, f"资料库导入 {len(listed)} 个文件：{names}")
        return job_id

    def submit(self, files: list[UploadFile], refuse_all: bool = True) -> str:
        """Queue one ingest job for all the uploads. A file of the wrong type, too large or empty becomes a failed
        row of the job (its reason in Chinese) and does not stop the others. When no file at all can be taken: 4xx
        with every reason (``refuse_all``, the API), or still a job whose rows say why (the form: one page for every
        case)."""
        listed, uploads = self.read(files)
        if not uploads and refuse_all:
            raise HTTPException(listed[0]["status"], detail="；".join(x["error"] for x in listed))
        return self.queue(listed, uploads)


ImporterDep = Annotated[Importer, Depends()]


@router.post(
    "/api/knowledge/imports",
    response_model=ImportJobOut,
    status_code=202,
    tags=["knowledge"],
    responses=errors(400, 401, 403, 413, 415, 422),
)
def api_import(importer: ImporterDep, files: Annotated[list[UploadFile], File()]):
    """Ingest past summaries (.txt .md .docx .pdf, or .zip archives of them) in the background; follow the job at
    GET /api/knowledge/imports/{id} or as server-sent events at /api/jobs/{id}/events. One row per file (per
    file inside a zip); a bad file does not stop the others."""
    return ImportJobOut.of(importer.store.job(importer.submit(files)))


@router.get(
    "/api/knowledge/imports/{job_id}", response_model=ImportJobOut, tags=["knowledge"], responses=errors(401, 403, 404)
)
def api_import_status(admin: AdminUser, store: StoreDep, job_id: str):
    """An import's status and per-file progress."""
    return ImportJobOut.of(load_import(store, job_id))


@router.post(
    "/api/knowledge/upload",
    response_model=list[ImportedFile],
    tags=["knowledge"],
    responses={
        202: {"model": ImportJobOut, "description": "Still running after the wait: follow the job"},
        **errors(400, 401, 403, 413, 422, 503),
    },
)
def api_upload(importer: ImporterDep, files: Annotated[list[UploadFile], File()]):
    """Ingest past summaries and wait for the result: the same background job as POST /api/knowledge/imports,
    answered with one result per file (per file inside a zip) when it ends; a file refused at upload (type, size,
    empty) is a failed result too. Still running after ``UPLOAD_WAIT_SECONDS``: 202 with the job to follow."""
    listed, uploads = importer.read(files)
    if not uploads:
        return [
            ImportedFile(name=x["name"], outcome="failed", documents=0, sections=0, message=x["error"]) for x in listed
        ]
    job_id = importer.queue(listed, uploads)
    try:
        job = importer.runner.wait(job_id, UPLOAD_WAIT_SECONDS)  # a sync route: in the thread pool
    except TimeoutError:
        return JSONResponse(ImportJobOut.of(importer.store.job(job_id)).model_dump(mode="json"), status_code=202)
    if job.status != "done":
        raise HTTPException(503, detail=job.error or "导入未完成，请稍后重试")
    return ImportJobOut.of(job).files


@router.post("/knowledge/imports", include_in_schema=False)
def page_import(importer: ImporterDep, _: CsrfDep, files: Annotated[list[UploadFile], File()]):
    job_id = importer.submit(files, refuse_all=False)
    return RedirectResponse(f"/knowledge/imports/{job_id}", status_code=303)


@router.get("/knowledge/imports/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def page_import_status(request: Request, admin: AdminUser, store: StoreDep, job_id: str):
    job = ImportJobOut.of(load_import(store, job_id))
    return templates.TemplateResponse(request, "kb_import.html", {"job": job})
