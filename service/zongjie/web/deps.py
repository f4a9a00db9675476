"""Request dependencies (``Annotated`` aliases) shared by routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..knowledge_base import KnowledgeBase
from ..settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


SettingsDep = Annotated[Settings, Depends(get_settings)]
KBDep = Annotated[KnowledgeBase, Depends(get_kb)]
