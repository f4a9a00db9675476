"""The draft store chosen by name from ``Settings.storage``: ``make_store(settings)``.

Contract: ``make_store`` returns a ``DraftStore`` (``draft_store.py``) — ``sql``: ``SQLDraftStore`` on
``ZONGJIE_DATABASE_URL`` (default a SQLite file in the data folder, created if missing); ``memory``: the same code on
a throwaway SQLite file (tests). An unknown name raises ``ValueError`` listing the known ones.
"""

from __future__ import annotations

from ..common.registry import Registry
from ..settings import Settings
from .draft_store import DraftStore
from .sql_store import SQLDraftStore

STORAGES: Registry[DraftStore] = Registry("storage")


@STORAGES.register("sql")
def _sql(settings: Settings) -> DraftStore:
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SQLDraftStore(settings.effective_database_url)


@STORAGES.register("memory")
def _memory(settings: Settings) -> DraftStore:
    """A throwaway database (tests): a scratch SQLite file, deleted with the store."""
    return SQLDraftStore("sqlite://")


def make_store(settings: Settings) -> DraftStore:
    return STORAGES.make(settings.storage, settings)
