"""Render the jinja2 prompt templates in ``prompts/`` (StrictUndefined: a missing variable fails loudly)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import jinja2

from ..common.paths import PROMPTS_DIR


@lru_cache(maxsize=2)
def environment(path: Path = PROMPTS_DIR) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(path)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def render(name: str, **values) -> str:
    return environment().get_template(name).render(**values).strip()


def version(path: Path = PROMPTS_DIR) -> str:
    """A short hash of every prompt template (names and contents): drafts made with the same prompts share it,
    so keep rates can be compared prompt version by prompt version."""
    h = hashlib.sha256()
    for f in sorted(path.glob("*.j2")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:12]
