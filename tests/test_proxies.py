"""Forwarded headers are believed only from the proxies named in ``ZONGJIE_TRUSTED_PROXIES`` (default: none), so a
client cannot rotate ``X-Forwarded-For`` to get round the sign-in throttle; and failures for one account are capped
across all addresses together. Real `zongjie serve` processes on loopback."""

from __future__ import annotations

import subprocess
from contextlib import contextmanager

import httpx
import pytest

from conftest import TEST_ADMIN_PASSWORD, free_port, serve_env, start_serve, wait_http
from zongjie.storage.accounts import THROTTLE_PER_ACCOUNT, THROTTLE_PER_NAME


@contextmanager
def _serve(tmp_path, **settings: str):
    port = free_port()
    env = serve_env(tmp_path / "var", vector_store="memory", **settings)
    proc = start_serve(tmp_path, port, env, output=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        if wait_http(f"{base}/healthz", timeout=90) is None:
            proc.kill()
            pytest.fail("service did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def _login(client: httpx.Client, password: str, forwarded: str) -> int:
    body = {"username": "admin", "password": password}
    return client.post("/api/auth/login", json=body, headers={"x-forwarded-for": forwarded}).status_code


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(tmp_path):
    with _serve(tmp_path) as base, httpx.Client(base_url=base, timeout=30) as client:
        for i in range(THROTTLE_PER_ACCOUNT):
            assert _login(client, "guess", f"198.51.100.{i}") == 401
        assert _login(client, TEST_ADMIN_PASSWORD, "198.51.100.200") == 429  # all came from 127.0.0.1


def test_failures_for_one_account_are_capped_across_addresses(tmp_path):
    with _serve(tmp_path, trusted_proxies="127.0.0.1") as base, httpx.Client(base_url=base, timeout=30) as client:
        for i in range(THROTTLE_PER_NAME):  # one failure from each of many addresses, via the trusted proxy
            assert _login(client, "guess", f"203.0.113.{i}") == 401
        r = client.post(
            "/api/auth/login",
            json={"username": "admin", "password": TEST_ADMIN_PASSWORD},
            headers={"x-forwarded-for": "203.0.113.250"},
        )
        assert r.status_code == 429 and "分钟后再试" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
        other = {"username": "nobody-else", "password": "guess"}
        assert (
            client.post("/api/auth/login", json=other, headers={"x-forwarded-for": "203.0.113.251"}).status_code == 401
        )
