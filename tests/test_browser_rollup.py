"""Browser test of a roll-up with Debian's chromium (issue 26): three townships' editors approve their units' fact
sheets, the county's clerk rolls them up, confirms the one near-match (a township worded a metric differently),
drafts the county's summary, clicks a total in the draft and sees its parts unit by unit, each linked to the unit's
sheet as used. The roll-up page is also shown at phone width (390 px). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import time

from conftest import ARTIFACTS, browser_sign_in, http_client, needs_chromium, new_page

pytestmark = needs_chromium
PASSWORD = "password-123"
TOWNS = {
    "东溪镇工会": ("走访慰问困难职工", 40, "结对帮扶困难职工，节前逐户上门走访"),
    "西岭镇工会": ("走访慰问困难职工", 25, "建立困难职工动态档案，按月更新"),
    "南坪乡工会": ("慰问困难职工", 9, "联合乡卫生院为困难职工免费体检"),
}


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"rollup-{name}.png"), full_page=True)


def _sheet(name: str, label: str, value: int, note: str) -> dict:
    return {
        "unit": {"name": name, "type": "township", "superior": "松涛县总工会"},
        "period": {"year": 2025, "kind": "annual"},
        "metrics": [
            {"label": label, "value": value, "unit": "户", "section": "帮扶"},
            {"label": "新发展会员", "value": value * 10, "unit": "人", "section": "组织建设"},
        ],
        "sections": [{"title": "帮扶", "notes": [note]}],
    }


def test_three_units_approve_the_county_rolls_up_confirms_drafts_and_opens_a_total(server, browser):
    admin = http_client(server)
    root = admin.get("/api/me").json()["unit_id"]
    county = admin.post(
        "/api/units", json={"name": "松涛县总工会", "unit_type": "county_federation", "parent_id": root}
    ).json()["id"]
    users = [("county-clerk", "clerk", county)]
    for i, name in enumerate(TOWNS):
        town = admin.post("/api/units", json={"name": name, "parent_id": county}).json()["id"]
        users += [(f"town-clerk{i}", "clerk", town), (f"town-editor{i}", "editor", town)]
    for username, role, unit in users:
        body = {"username": username, "password": PASSWORD, "role": role, "unit_id": unit}
        assert admin.post("/api/users", json=body).status_code == 201
    for i, (name, (label, value, note)) in enumerate(TOWNS.items()):
        clerk = http_client(server, f"town-clerk{i}", PASSWORD)
        assert clerk.post("/api/factsheets", json=_sheet(name, label, value, note)).status_code == 201

    # each township's editor approves its unit's sheet
    for i, name in enumerate(TOWNS):
        editor = browser_sign_in(new_page(browser), server, f"town-editor{i}", PASSWORD)
        editor.goto(f"{server}/rollups-approvals?year=2025")
        editor.click(f'.approve-sheet[data-unit="{name}"]')
        editor.wait_for_selector("#approvals .ok:has-text('已审核')")
        if i == 0:
            _shot(editor, "01-approve")
        editor.context.close()

    # the county's clerk rolls them up
    clerk = browser_sign_in(new_page(browser), server, "county-clerk", PASSWORD)
    clerk.goto(f"{server}/rollups")
    clerk.fill("#rollup-year", "2025")
    clerk.check('input[name="scope"][value="direct"]')
    clerk.click("#rollup-submit")
    clerk.wait_for_selector("#proposals")
    assert "慰问困难职工" in clerk.locator("#proposals").inner_text()
    assert "65户" in clerk.locator("#rolled-r1").inner_text() or "65户" in clerk.inner_text("main")
    _shot(clerk, "02-proposal")
    clerk.click("#proposals .confirm-same")
    clerk.wait_for_selector("text=74户")
    assert clerk.locator("#proposals").count() == 0
    assert sorted(clerk.locator("#included li a").all_inner_texts()) == sorted(TOWNS)
    total = clerk.locator("details.rolled", has_text="走访慰问困难职工")
    total.locator("summary").click()
    assert sorted(total.locator("table.parts a").all_inner_texts()) == sorted(TOWNS)
    _shot(clerk, "03-rolled")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True).new_page()
    browser_sign_in(phone, server, "county-clerk", PASSWORD)
    phone.goto(clerk.url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the roll-up page scrolls sideways at 390 px ({width} px)"
    _shot(phone, "04-phone")
    phone.context.close()

    # drafts the county's summary and opens a total's breakdown in the draft
    clerk.click("#draft-rollup")
    clerk.wait_for_url("**/jobs/**")
    api = http_client(server, "county-clerk", PASSWORD)
    job = {"status": "queued"}
    for _ in range(600):
        job = api.get(f"/api/jobs/{clerk.url.rstrip('/').rsplit('/', 1)[1]}").json()
        if job["status"] in ("done", "failed", "interrupted"):
            break
        time.sleep(0.5)
    assert job["status"] == "done", job
    clerk.goto(f"{server}/drafts/{job['draft_id']}")
    figure = clerk.locator(".fig.rolled-fig", has_text="74户").first
    figure.click()
    box = clerk.locator("#breakdown")
    box.wait_for()
    text = box.inner_text()
    assert "走访慰问困难职工" in text and all(name in text for name in TOWNS)
    assert "40户" in text and "25户" in text and "9户" in text
    _shot(clerk, "05-breakdown")
    box.locator("a", has_text="南坪乡工会").click()
    clerk.wait_for_selector("#part-metrics")
    assert "慰问困难职工" in clerk.inner_text("#part-metrics") and "只读" in clerk.inner_text("main")
