from typer.testing import CliRunner

from conftest import CORPUS
from zongjie.cli import app


def test_ingest_search_and_documents_commands(settings, monkeypatch):
    monkeypatch.setenv("ZONGJIE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZONGJIE_EMBEDDER", "hashing")
    r = CliRunner().invoke(app, ["ingest", str(CORPUS)])
    assert r.exit_code == 0, r.output
    assert f"{len(list(CORPUS.iterdir()))} added" in r.output
    r = CliRunner().invoke(app, ["ingest", str(CORPUS)])
    assert "0 added" in r.output and "unchanged" in r.output
    r = CliRunner().invoke(app, ["search", "困难职工帮扶 乡镇工会", "--unit-type", "township", "-k", "2"])
    assert r.exit_code == 0 and "帮扶" in r.output and "baishi_town_2024.txt" in r.output
    r = CliRunner().invoke(app, ["documents", "--unit-type", "hospital"])
    assert "2 summaries" in r.output


def test_missing_path_is_a_clear_error(settings, monkeypatch):
    monkeypatch.setenv("ZONGJIE_DATA_DIR", str(settings.data_dir))
    r = CliRunner().invoke(app, ["ingest", "/no/such/place"])
    assert r.exit_code == 1 and "no such file or folder" in r.output


def test_every_command_has_help_with_examples():
    for cmd in ("ingest", "search", "documents"):
        r = CliRunner().invoke(app, [cmd, "--help"])
        assert r.exit_code == 0 and "zongjie " + cmd in r.output
