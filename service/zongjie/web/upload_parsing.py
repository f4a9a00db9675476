"""Uploads are parsed in worker processes: a big file never holds up the web process.

Reading a past summary (「从往年总结开始」) or a fact-sheet file is CPU-bound pure Python. In the web process it would
hold the interpreter against the event loop and every other request (a 4 MB .txt once kept /healthz waiting for a
minute). ``ParsePool`` runs ``extract_upload`` and ``load_upload`` in a ``ProcessPoolExecutor`` (spawned: nothing of
the web process's threads is inherited), ``Settings.parse_workers`` at a time, started with the service (in tests:
on first use) and shut down with it. Callers block in a thread (sync routes), never on the event loop. Workers
answer plain data — no exception crosses the process boundary — and ``ParsePool`` turns it back into the HTTP error
or ``FactSheetError`` it stands for. With ``parse_workers = 0`` the same functions run in the caller's thread.
"""

from __future__ import annotations

import logging
import multiprocessing
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from ..corpus.reading import UnreadableFile
from ..factsheets.files import UploadError, load_bytes
from ..factsheets.model import FactSheetError, Problem
from ..stages.extract import Extraction, extract_file

log = logging.getLogger(__name__)


def extract_upload(data: bytes, filename: str) -> list[Extraction] | tuple[int, str]:
    """Every summary of an uploaded past summary (read from a temporary copy; nothing is kept), or (status, the
    Chinese reason it cannot be read)."""
    suffix = Path(filename).suffix.lower()
    shown = Path(filename.replace("\\", "/")).name or f"上传的文件{suffix}"  # what the user calls it
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            found = extract_file(path)
        except (UnreadableFile, ValueError) as exc:  # messages name the user's file, not the temporary copy
            why = str(exc).replace(str(path), shown).replace(path.name, shown)
            return 422, f"无法读取「{shown}」：{why}"
        except RecursionError:
            return 422, f"无法读取「{shown}」：文件结构嵌套过深"
        except Exception as exc:  # the reader tripped over this file: say so, never a 500
            log.exception("extracting %s failed", filename)
            return 422, f"无法读取「{shown}」：无法解析这个文件（{type(exc).__name__}），请另存为 .docx 或 .txt 后重试"
    return found or (422, "文件里没有找到工作总结正文")


def load_upload(data: bytes, filename: str) -> dict[str, Any]:
    """A fact-sheet file read and checked: ``{"sheet": data}``, or ``{"problems": [...], "data": what could be read
    (Excel), "excel": bool}``."""
    try:
        return {"sheet": load_bytes(data, filename).model_dump(mode="json")}
    except UploadError as exc:
        return {"problems": [p.model_dump() for p in exc.problems], "data": exc.data, "excel": True}
    except FactSheetError as exc:
        return {"problems": [p.model_dump() for p in exc.problems], "excel": False}


def _ready() -> bool:
    return True


class ParsePool:
    def __init__(self, workers: int):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers now (in the background), so that the first upload does not wait for them."""
        if self.workers:
            for _ in range(self.workers):
                self._executor().submit(_ready)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
            return self._pool

    def _run(self, fn, *args):
        if self.workers == 0:
            return fn(*args)
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): a fresh pool, once
                log.warning("upload parsing pool broke (attempt %d)", attempt)
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
        raise HTTPException(503, detail="文件解析服务暂时不可用，请稍后重试")

    def extract(self, data: bytes, filename: str) -> list[Extraction]:
        """``extract_upload`` in a worker; HTTPException (422) when the file cannot be read."""
        found = self._run(extract_upload, data, filename)
        if isinstance(found, tuple):
            raise HTTPException(found[0], detail=found[1])
        return found

    def load(self, data: bytes, filename: str) -> dict[str, Any]:
        """``load_upload`` in a worker: the checked sheet's data, or ``UploadError`` (Excel: with what could be read)
        / ``FactSheetError`` with every problem located."""
        out = self._run(load_upload, data, filename)
        if "sheet" in out:
            return out["sheet"]
        problems = [Problem.model_validate(p) for p in out["problems"]]
        if out["excel"]:
            raise UploadError(problems, out.get("data"), filename)
        raise FactSheetError(problems, filename)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
