"""Sections stream to the job page as they are written: server-sent events of the typed progress events, with token
usage; the browser watches them arrive and opens the finished draft (written by the simulated model)."""

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, app_client, browser_sign_in, free_port, serve_env, start_serve, wait_http
from zongjie.devtools.scripted_openai import ScriptedOpenAI
from zongjie.devtools.simulated_model import simulator_script
from zongjie.factsheets.model import load_fact_sheet

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _slow_simulator(delay: float):
    script = simulator_script()
    return lambda request, n: replace(script(request, n), delay=delay)


def _events(lines) -> list[tuple[int | None, str, dict]]:
    """(id, event, data) per server-sent message."""
    out, current = [], {}
    for line in lines:
        if not line:
            if current:
                out.append((current.get("id"), current["event"], json.loads(current["data"])))
                current = {}
            continue
        field, _, value = line.partition(": ")
        current[field] = int(value) if field == "id" else value
    return out


def test_job_events_stream_sections_with_token_usage(settings):
    with ScriptedOpenAI(_slow_simulator(0.05)) as llm:
        s = settings.model_copy(
            update={"vector_store": "memory", "llm": "openai", "llm_base_url": llm.base_url, "llm_max_retries": 0}
        )
        with app_client(s) as client:
            fid = client.post("/api/factsheets", json=load_fact_sheet(QINGSHAN).model_dump(mode="json")).json()["id"]
            job = client.post(f"/api/factsheets/{fid}/drafts").json()["id"]
            with client.stream("GET", f"/api/jobs/{job}/events") as r:
                assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
                events = _events(r.iter_lines())
            kinds = [e for _, e, _ in events]
            assert kinds[0] == "stage" and "planned" in kinds and kinds[-2:] == ["done", "end"]
            written = [d for _, e, d in events if e == "section_written"]
            planned = next(d for _, e, d in events if e == "planned")
            assert {w["key"] for w in written} == {p["key"] for p in planned["sections"]}
            assert all(w["text"] and w["rounds"] >= 1 for w in written if w["fallback"] == "none")
            assert sum(w["prompt_tokens"] + w["completion_tokens"] for w in written) > 0
            ids = [i for i, _, _ in events if i is not None]
            assert ids == list(range(len(ids)))
            end = events[-1][2]
            assert end["status"] == "done" and client.get(f"/api/drafts/{end['draft_id']}").status_code == 200
            # a client that reconnects gets what it missed, not everything again
            with client.stream("GET", f"/api/jobs/{job}/events", headers={"Last-Event-ID": "2"}) as r:
                again = _events(r.iter_lines())
            assert again[0][0] == 3 and len(again) == len(events) - 3
            assert client.get("/api/jobs/nope/events").status_code == 404


@pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium is not installed (CI installs it)"
)
def test_browser_watches_sections_stream_in_and_opens_the_draft(tmp_path):
    from playwright.sync_api import sync_playwright

    with ScriptedOpenAI(_slow_simulator(0.5)) as llm:
        port = free_port()
        env = serve_env(
            tmp_path / "var",
            vector_store="memory",
            llm="openai",
            llm_base_url=llm.base_url,
            llm_max_retries="0",
            llm_max_concurrency="1",
        )
        proc = start_serve(tmp_path, port, env, output=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            if wait_http(f"{base}/healthz", timeout=90) is None:
                pytest.fail("service did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                page = browser.new_page(locale="zh-CN")
                browser_sign_in(page, base)
                sheet = load_fact_sheet(QINGSHAN).model_dump(mode="json")
                fid = page.request.post(f"{base}/api/factsheets", data=sheet, headers={"Origin": base}).json()["id"]
                job = page.request.post(f"{base}/api/factsheets/{fid}/drafts", headers={"Origin": base}).json()["id"]
                page.goto(f"{base}/jobs/{job}")
                page.wait_for_selector("#stream section.streamed", timeout=60_000)
                first = page.locator("#stream section.streamed").count()
                assert page.locator("#job-status").inner_text() != "已完成"
                assert "词元" in page.locator("#usage").inner_text()  # no English term on a page (issue 25)
                page.screenshot(path=str(tmp_path / "streaming.png"), full_page=True)
                page.wait_for_url("**/drafts/*", timeout=120_000)
                assert first >= 1
                assert page.locator("#signature").inner_text().startswith("青山镇工会")
                assert page.locator("#closing").inner_text().endswith("作出新的更大贡献。")
                assert page.locator("#offline-notice").count() == 0 or "模型未能写好" in page.content()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
