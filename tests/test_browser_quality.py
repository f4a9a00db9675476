"""Browser test of the 起草质量 page with Debian's chromium: after two approvals (one draft approved as drafted, one
with its opening rewritten) the admin opens 起草质量 from the menu and sees the plots and the numbers, in Chinese
and without sideways scrolling on a phone, and follows a most-rewritten section to its first-vs-approved diff."""

import time

from conftest import ARTIFACTS, ROOT, browser_sign_in, http_client, needs_chromium, new_page
from zongjie.factsheets.model import load_fact_sheet

pytestmark = needs_chromium


def _approved_draft(clerk, editor, path, opening: str | None) -> str:
    sheet = load_fact_sheet(path).model_dump(mode="json")
    fid = clerk.post("/api/factsheets", json=sheet).json()["id"]
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()
    for _ in range(200):
        job = clerk.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.3)
    assert job["status"] == "done", job
    did = job["draft_id"]
    if opening is not None:
        r = clerk.put(f"/api/drafts/{did}/sections/opening", json={"text": opening, "base_version": 1})
        assert r.status_code == 200, r.text
    assert clerk.post(f"/api/drafts/{did}/submit").status_code == 200
    assert editor.post(f"/api/drafts/{did}/approve").json()["state"] == "approved"
    return did


def test_quality_page_after_two_approvals(server, browser):
    admin = http_client(server)
    root = admin.get("/api/me").json()["unit_id"]
    town = admin.post("/api/units", json={"name": "青山镇工会", "parent_id": root}).json()["id"]
    for username, role, unit in (("qclerk", "clerk", town), ("qeditor", "editor", root)):
        body = {"username": username, "password": "password-123", "role": role, "unit_id": unit}
        assert admin.post("/api/users", json=body).status_code == 201
    clerk, editor = http_client(server, "qclerk", "password-123"), http_client(server, "qeditor", "password-123")
    facts = ROOT / "knowledge" / "facts"
    _approved_draft(clerk, editor, facts / "qingshan_town_2025.yaml", None)
    rewritten = _approved_draft(clerk, editor, facts / "qingshan_town_2025.yaml", "今年工会工作稳中有进。")

    page = browser_sign_in(new_page(browser), server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/admin/quality")
    assert page.locator("#plot-time svg").count() == 1 and page.locator("#plot-roles svg rect").count() >= 2
    assert page.locator("#plot-time svg circle").count() >= 1
    overall = page.locator("#quality-overall").inner_text()
    assert "共 2 份草稿" in overall and "保留率" in overall
    roles = page.locator("#quality-roles").inner_text()
    assert "开头" in roles and "结尾" in roles
    assert "离线起草" in page.locator("#quality-models").inner_text()
    body = page.locator("body").inner_text()
    assert "offline" not in body and "llm" not in body
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "quality-phone.png"), full_page=True)
    first = page.locator("#quality-rewritten tr").nth(1)
    assert "开头" in first.inner_text()
    first.locator("a").click()
    page.wait_for_url(f"**/drafts/{rewritten}/diff*")
    assert "今年工会工作稳中有进" in page.locator("body").inner_text()
