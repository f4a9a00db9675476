"""Request dependencies (``Annotated`` aliases) shared by routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..backends.knowledge_base import KnowledgeBase
from ..jobs import JobQueue
from ..settings import Settings
from ..storage.draft_store import DraftStore
from .upload_parsing import ParsePool


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


def get_store(request: Request):
    return request.app.state.store


def get_parse_pool(request: Request):
    return request.app.state.parse_pool


def get_runner(request: Request):
    return request.app.state.runner


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[DraftStore, Depends(get_store)]
RunnerDep = Annotated[JobQueue, Depends(get_runner)]
KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
ParsePoolDep = Annotated[ParsePool, Depends(get_parse_pool)]
