"""Browser test of review with Debian's chromium: a clerk submits a draft, an editor of the unit above comments on a
figure and returns it, the clerk sees the comment beside the text, fixes the section and resubmits, the editor
approves and the draft is locked. Two browser contexts, one per person; screenshots go to tests/artifacts/."""

import json
import time

from conftest import ARTIFACTS, ROOT, browser_sign_in, http_client, needs_chromium, new_page

pytestmark = needs_chromium


def _person(browser, base, username, password):
    return browser_sign_in(new_page(browser), base, username, password)


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=True)


def test_submit_comment_on_a_figure_return_fix_approve(server, browser):
    admin = http_client(server)
    root = admin.get("/api/me").json()["unit_id"]
    town = admin.post("/api/units", json={"name": "青山镇工会", "parent_id": root}).json()["id"]
    for username, role, unit in (("wangli", "clerk", town), ("zhaomin", "editor", root)):
        body = {"username": username, "password": "password-123", "role": role, "unit_id": unit}
        assert admin.post("/api/users", json=body).status_code == 201
    clerk_api = http_client(server, "wangli", "password-123")
    sheet = json.loads((ROOT / "knowledge" / "facts" / "linxi_hospital_2025_h1.json").read_text(encoding="utf-8"))
    fid = clerk_api.post("/api/factsheets", json=sheet).json()["id"]
    job = clerk_api.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(200):
        job = clerk_api.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert job["status"] == "done", job
    draft_url = f"{server}/drafts/{job['draft_id']}"

    clerk = _person(browser, server, "wangli", "password-123")
    clerk.goto(draft_url)
    assert clerk.locator("#review-state").inner_text() == "编辑中"
    clerk.click("#submit-review")
    clerk.wait_for_selector("#review-state:has-text('待审核')")
    assert clerk.locator(".edit-link").count() == 0  # no edits while under review

    editor = _person(browser, server, "zhaomin", "password-123")
    assert editor.locator("#unread-count").inner_text() == "1"
    editor.click("#notifications-link")
    assert editor.locator("#unread-count").count() == 0  # read: the count in the header goes
    assert editor.locator("#notifications li.unread").count() == 1  # the new one still stands out on the page
    editor.click("#notifications a")
    editor.wait_for_url(f"**/drafts/{job['draft_id']}*")
    section = editor.locator("section.with-comments", has=editor.locator(".fig.st-supported")).first
    figure = section.locator(".fig.st-supported").first
    figure_text = figure.inner_text().strip()
    figure.click()
    form = section.locator(".comment-form")
    assert form.locator(".figure-field").input_value() == figure_text
    form.locator("textarea").fill("这个数字请与统计报表核对")
    form.locator(".add-comment").click()
    editor.wait_for_selector(f".comment .figure:has-text('{figure_text}')")
    _shot(editor, "01-editor-comment")
    editor.fill(".decide textarea", "请核对后再送审")
    editor.click("#return")
    editor.wait_for_selector("#review-state:has-text('已退回')")

    clerk.goto(draft_url)
    assert clerk.locator("#review-state").inner_text() == "已退回"
    key = section.get_attribute("data-key")
    mine = clerk.locator(f'section.with-comments[data-key="{key}"]')
    comment = mine.locator("aside .comment").first
    assert figure_text in comment.inner_text() and "这个数字请与统计报表核对" in comment.inner_text()
    assert "请核对后再送审" in clerk.locator("#review").inner_text()
    _shot(clerk, "02-clerk-sees-comment")
    mine.locator(".edit-link").click()
    text = clerk.locator('textarea[name="text"]').input_value()
    clerk.fill('textarea[name="text"]', text + "经核对，数据与统计报表一致。")
    clerk.click(".save-section")
    clerk.wait_for_selector("text=第 2 版")
    clerk.locator("aside .comment .resolve").first.click()
    clerk.wait_for_selector("aside .comment.resolved")
    clerk.click("#submit-review")
    clerk.wait_for_selector("#review-state:has-text('待审核')")

    editor.goto(draft_url)
    assert "送审的是第 2 版" in editor.locator("#review").inner_text()
    editor.click("#approve")
    editor.wait_for_selector("#review-state:has-text('已通过')")
    _shot(editor, "03-approved")

    clerk.goto(draft_url)
    assert clerk.locator("#review-state").inner_text() == "已通过"
    assert clerk.locator(".edit-link").count() == 0 and clerk.locator("#reopen").count() == 1  # locked
    assert any("通过" in n["text"] for n in clerk_api.get("/api/notifications").json())
    log = admin.get("/api/audit", params={"object_id": job["draft_id"]}).json()
    assert {"submit", "comment", "return", "resolve", "approve"} <= {e["action"] for e in log}
