"""Background jobs behind one interface (``JobQueue``), chosen by name from ``Settings.job_queue``.

``make_queue(settings, store, kb)`` → ``inprocess`` (threads in the web process; the embedded SQLite default) or
``procrastinate`` (PostgreSQL; ``zongjie worker`` processes). Job bodies are registered by kind in ``JOB_KINDS``
(``draft``, ``ingest``); see ``base.py`` for the contract every queue keeps.
"""

from . import draft as _draft  # noqa: F401  (registers the draft job)
from . import ingest as _ingest  # noqa: F401  (registers the ingest job)
from . import inprocess as _inprocess  # noqa: F401  (registers the in-process queue)
from . import procrastinate_queue as _procrastinate  # noqa: F401  (registers the PostgreSQL queue)
from .base import JOB_KINDS, PROGRESS_MODELS, QUEUES, JobContext, JobFailed, JobQueue, Outcome, execute, make_queue
from .inprocess import InProcessQueue

JobRunner = InProcessQueue  # the name round 1 used

__all__ = [
    "JOB_KINDS",
    "PROGRESS_MODELS",
    "QUEUES",
    "InProcessQueue",
    "JobContext",
    "JobFailed",
    "JobQueue",
    "JobRunner",
    "Outcome",
    "execute",
    "make_queue",
]
