"""Browser test: an administrator uploads a .zip of several past summaries (one broken) on 资料库 and watches the
import job's per-file progress, in Chinese, until every file has its outcome. Screenshot in tests/artifacts/."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from archive_fixtures import summary
from conftest import ROOT, browser_sign_in

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Debian chromium is not installed (CI installs it)"
)
UNITS = [
    "东坡镇",
    "西岭乡",
    "南湖街道",
    "青石镇",
    "临江镇",
    "白沙镇",
    "红旗街道",
    "金水乡",
    "石门镇",
    "柳林乡",
    "桃源镇",
]


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, unit in enumerate(UNITS):
            zf.writestr(f"2024年总结/{unit}工会.txt", summary(f"{unit}工会", i + 2))
        zf.writestr("2024年总结/损坏的总结.docx", b"PK\x03\x04 broken on the way from the office")
    return buf.getvalue()


def test_zip_upload_shows_per_file_progress_to_the_end_in_chinese(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        # what the progress line says over time (every change), recorded before the page's own script runs
        page.add_init_script(
            """
            window.__counts = [];
            new MutationObserver(() => {
              const el = document.getElementById("import-count");
              if (el && window.__counts[window.__counts.length - 1] !== el.textContent) window.__counts.push(el.textContent);
            }).observe(document, {subtree: true, childList: true, characterData: true});
            """
        )
        browser_sign_in(page, server)  # an administrator: only admins change the knowledge base
        page.goto(f"{server}/knowledge")
        page.set_input_files(
            '#kb-upload input[name="files"]',
            files=[{"name": "乡镇工会2024年总结.zip", "mimeType": "application/zip", "buffer": _zip()}],
        )
        page.click("#kb-upload button")
        page.wait_for_url(re.compile(r"/knowledge/imports/\w+$"))
        page.wait_for_selector("#import[data-finished]", timeout=120_000)

        total = len(UNITS) + 1
        assert page.inner_text("#import-status") == "已完成"
        assert page.inner_text("#import-count") == f"已处理 {total} / {total} 个文件"
        rows = page.locator("#import-files tbody tr")
        assert rows.count() == total
        statuses = {
            rows.nth(i).locator(".name").inner_text(): rows.nth(i).locator(".status").inner_text() for i in range(total)
        }
        broken = "乡镇工会2024年总结.zip/2024年总结/损坏的总结.docx"
        assert statuses.pop(broken) == "失败"
        assert set(statuses.values()) == {"已入库"}  # the broken file stopped nothing
        message = page.locator('#import-files tr:has-text("损坏的总结.docx") .message').inner_text()
        assert "损坏的总结.docx" in message and "docx" in message and re.search(r"[\u4e00-\u9fff]{4}", message)
        assert "导入完成：新增 11 个文件" in page.inner_text("#import-summary")
        assert "失败 1 个" in page.inner_text("#import-summary")

        counts = page.evaluate("window.__counts")
        seen = [int(m.group(1)) for c in counts if (m := re.match(r"已处理 (\d+) / \d+ 个文件", c))]
        assert seen[-1] == total and any(n < total for n in seen)  # watched file by file, not only the end
        assert all(re.fullmatch(r"已处理 \d+ / \d+ 个文件(，已读取 \d+ 个)?", c) for c in counts if c)
        assert any("已读取" in c for c in counts)  # files read while their batch waits to be stored
        # everything the page says is Chinese, apart from file names and figures
        text = page.inner_text("#import")
        for name in [*statuses, broken]:
            text = text.replace(name, "")
        assert not re.search(r"[A-Za-z]{4,}", text.replace("docx", "")), text
        page.screenshot(path=str(ARTIFACTS / "kb_import_progress.png"), full_page=True)

        page.click("#back-to-kb")
        assert "东坡镇工会2024年工作总结" in page.inner_text("body")

        # search an editor can use: hits with the query marked, each linked to its place in its document
        page.fill('input[name="q"]', "金秋助学")
        page.click('form[action="/knowledge"] button')
        hit = page.locator(".hit").first
        assert "金秋助学" in hit.locator("mark").all_inner_texts()
        hit.locator(".path a").click()
        page.wait_for_url(re.compile(r"/knowledge/documents/\w+\?q=.+#.+"))
        anchor = page.url.rsplit("#", 1)[1]
        assert "金秋助学" in page.locator(f'[id="{anchor}"] mark').all_inner_texts()
        assert "已标出“金秋助学”" in page.inner_text("body")
        page.goto(f"{server}/knowledge?q=火星探测器发射窗口")
        assert page.locator(".hit").count() == 0
        assert "资料库中没有与“火星探测器发射窗口”相关的内容" in page.inner_text("body")
        browser.close()
