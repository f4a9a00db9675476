"""`make serve PORT=8080 HOST=…` serves where it is told (issue 25); the default stays 127.0.0.1:8000."""

import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _serve_line(*args: str) -> str:
    out = subprocess.run(["make", "-n", "serve", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return next(line for line in out.splitlines() if "zongjie serve" in line)


def test_make_serve_takes_port_and_host():
    assert _serve_line("PORT=8080", "HOST=0.0.0.0").endswith("zongjie serve --host 0.0.0.0 --port 8080")
    assert _serve_line().endswith("zongjie serve --host 127.0.0.1 --port 8000")
