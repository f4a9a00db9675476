"""docker-compose.yml is checked without Docker: every ZONGJIE_* variable is a setting and its value validates,
every command is a real `zongjie` command, dependencies exist and have health checks. The services themselves are
started directly in tests/test_team_topology.py."""

import os
import re
import shlex

import yaml
from typer.main import get_command

from conftest import ROOT
from zongjie.cli import app
from zongjie.settings import Settings


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _defaults(value: str) -> str:
    """${NAME:-default} → default (what compose substitutes when NAME is unset)."""
    return re.sub(r"\$\{[A-Z_]+:-((?:[^{}]|\{[^{}]*\})*)\}", r"\1", str(value))


def test_environment_is_valid_settings(monkeypatch, tmp_path):
    compose = _compose()
    fields = set(Settings.model_fields)
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("web", "worker"):
        env = compose["services"][name]["environment"]
        for key in [k for k in os.environ if k.startswith("ZONGJIE_")]:
            monkeypatch.delenv(key)
        names = {k.removeprefix("ZONGJIE_").lower() for k in env if k.startswith("ZONGJIE_")}
        assert names <= fields, names - fields
        for key, value in env.items():
            monkeypatch.setenv(key, _defaults(value))  # what the container sees with nothing set by the user
        settings = Settings()
        assert settings.job_queue == "procrastinate" and settings.database_url.startswith("postgresql+psycopg://")
        assert settings.vector_store == "chroma-server" and settings.chroma_host == "chroma"


def test_commands_exist_and_dependencies_are_healthy():
    compose = _compose()
    services = compose["services"]
    commands = set(get_command(app).commands)
    for name in ("web", "worker"):
        cmd = services[name]["command"]
        cmd = shlex.split(cmd) if isinstance(cmd, str) else cmd
        assert cmd[0] == "zongjie" and cmd[1] in commands
        for dep, how in services[name]["depends_on"].items():
            assert dep in services and how["condition"] == "service_healthy" and "healthcheck" in services[dep]
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert {"postgres", "chroma", "web", "worker"} <= set(services)
