"""A throwaway PostgreSQL cluster from the Debian server binaries, for tests and benchmarks.

    with TempPostgres() as pg:          # initdb + pg_ctl start on a free loopback port, in a temporary folder
        url = pg.create_database("t1")  # postgresql+psycopg://postgres@127.0.0.1:PORT/t1

Contract: ``find_bindir()`` returns the folder holding ``initdb`` and ``pg_ctl`` (``ZONGJIE_PG_BINDIR``, the
newest ``/usr/lib/postgresql/<n>/bin``, or ``PATH``) or None when PostgreSQL is not installed. The cluster trusts
loopback connections, runs with fsync off (it is thrown away), and is stopped and deleted on exit. As root
(initdb refuses root) the server runs as the ``postgres`` system user that Debian's package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    explicit = os.environ.get("ZONGJIE_PG_BINDIR")
    candidates = [Path(explicit)] if explicit else []
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )[::-1]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempPostgres:
    """One PostgreSQL server on 127.0.0.1 with a temporary data directory (see the module docstring)."""

    def __init__(self, bindir: Path | None = None, port: int | None = None, max_connections: int = 200):
        found = bindir or find_bindir()
        if found is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bindir = found
        self.port = port or _free_port()
        self.max_connections = max_connections
        self.root = Path(tempfile.mkdtemp(prefix="zongjie-pg-"))
        self.data = self.root / "data"
        self._user = "postgres" if os.geteuid() == 0 else None

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def url(self, database: str = "postgres") -> str:
        return f"{self.base_url}/{database}"

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            user=self._user,
            check=True,
            capture_output=True,
            text=True,
            cwd=self.root,
            **kwargs,
        )

    def start(self) -> TempPostgres:
        if self._user:
            pw = pwd.getpwnam(self._user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off -c synchronous_commit=off "
            f"-c full_page_writes=off -c max_connections={self.max_connections}"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def postmaster_pid(self) -> int:
        """The server's main process (its backends are its children)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
