"""The ``zongjie`` command line: the typer ``app`` (entry point ``zongjie = "zongjie.cli:app"``), assembled from one
module per command group. Each command builds ``Settings()`` and the backends it needs when it runs.

- ``db.py``: ``zongjie db`` (migrations); ``users.py``: ``zongjie users`` (accounts);
- ``ingest.py``: ``zongjie ingest``; ``knowledge.py``: ``zongjie search`` and ``zongjie documents``;
- ``extract.py``: ``zongjie extract`` (a past summary → a proposed fact sheet);
- ``drafting.py``: ``zongjie check``, ``zongjie draft``, ``zongjie eval``;
- ``rollup.py``: ``zongjie rollup`` (a federation's sheet rolled up from its units' sheet files);
- ``stats.py``: ``zongjie stats`` (keep rates of approved drafts) and ``zongjie export-eval-cases``;
- ``serve.py``: ``zongjie serve``; ``worker.py``: ``zongjie worker``;
- ``settings.py``: ``load_settings``, the settings a command runs with (bad ones named, exit 2).

Commands are registered here in the order ``zongjie --help`` lists them.
"""

from __future__ import annotations

import typer

from . import db, drafting, extract, ingest, knowledge, rollup, serve, stats, users, worker

app = typer.Typer(
    help="Zongjie 总结 — drafts Chinese trade-union work summaries and checks every figure in them.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(db.db_app, name="db")
app.command("ingest")(ingest.ingest)
app.command("extract")(extract.extract)
app.command()(worker.worker)
app.add_typer(users.users_app, name="users")
app.command()(knowledge.search)
app.command()(knowledge.documents)
app.command()(drafting.check)
app.command()(drafting.draft)
app.command("eval")(drafting.eval_drafts)
app.command("rollup")(rollup.rollup)
app.add_typer(stats.stats_app, name="stats")
app.command("export-eval-cases")(stats.export_eval_cases)
app.command()(serve.serve)
