"""``python -m zongjie.cli``: the ``zongjie`` command (tests and benchmarks start servers and workers this way)."""

from . import app

app()
