"""Browser (Debian chromium through playwright): a clerk continues their unit's own past summary.

The past summary is kept under a placeholder name (「zz乡工会」, not the clerk's 松岭镇工会) and its body is one
paragraph; its next-year part has a heading that runs into its text and carries no plans word, so it is read as
body. The clerk uploads it (「从往年总结开始」), fixes that heading on the structure page (where it ends, its role),
starts from it, saves, turns the sheet into next year's, fills this year's figures and drafts: the draft page says
which summary it followed, last year's plans are not in the body, and no 照抄范文 finding comes from the unit's own
text. Screenshots (desktop and a 390 px phone) go to tests/artifacts/."""

import pytest

from conftest import ARTIFACTS, browser_sign_in, http_client, needs_chromium, new_page
from past_summaries import ONE_PARAGRAPH

pytestmark = needs_chromium

CLERK, PASSWORD = "songling", "password-123"


@pytest.fixture(scope="module")
def clerk_account(server):
    admin = http_client(server)
    root = admin.get("/api/me").json()["unit_id"]
    town = admin.post("/api/units", json={"name": "松岭镇工会", "parent_id": root, "unit_type": "township"})
    assert town.status_code == 201, town.text
    body = {"username": CLERK, "password": PASSWORD, "role": "clerk", "unit_id": town.json()["id"]}
    assert admin.post("/api/users", json=body).status_code == 201
    return town.json()["id"]


def test_continue_the_units_own_past_summary(server, browser, clerk_account, tmp_path):
    past = tmp_path / "往年总结.txt"
    past.write_text(ONE_PARAGRAPH, encoding="utf-8")
    page = browser_sign_in(new_page(browser), server, CLERK, PASSWORD)
    page.goto(f"{server}/facts")
    page.click("#start-from-summary")
    page.set_input_files('input[name="file"]', str(past))
    page.click("#extract")

    # the structure page: the source beside what was read
    page.wait_for_selector("#structure-form")
    assert "这个文件里有 1 篇" in page.locator("#pieces-note").inner_text()
    assert page.locator("#source-text mark.h").count() >= 5
    row = page.locator("#headings tr", has=page.locator(".marker", has_text="五、"))
    assert row.locator('[name="h_role"]').input_value() == "body"  # read as body: it would be carried into the body
    row.locator('[name="h_title"]').fill("接续奋斗再出发")
    row.locator('[name="h_role"]').select_option("plans")
    page.screenshot(path=str(ARTIFACTS / "structure-page.png"), full_page=True)
    page.click("#save-structure")
    page.wait_for_selector("#form-message:has-text('已保存更正')")
    row = page.locator("#headings tr", has=page.locator(".marker", has_text="五、"))
    assert row.locator('[name="h_title"]').input_value() == "接续奋斗再出发"
    assert row.locator('[name="h_role"]').input_value() == "plans"
    assert row.locator(".text-start").inner_text().startswith("2025年，乡工会将新建企业工会3个")
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", storage_state=page.context.storage_state()
    )
    small = phone.new_page()
    small.goto(page.url)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    small.screenshot(path=str(ARTIFACTS / "structure-page-phone.png"), full_page=True)
    phone.close()

    # start from it: the proposed sheet, in the clerk's unit, linked to the summary
    page.click("#start-from-doc")
    page.wait_for_selector("#extracted-note")
    assert page.locator('[name="unit_name"]').input_value() == "松岭镇工会"
    assert "zz乡工会2024年工作总结" in page.locator("#base-card").inner_text()
    page.click("#save")
    page.wait_for_url("**/facts/*?saved=1")
    page.click("#next-year")
    page.wait_for_selector("text=项指标的本年数值待填")
    assert "zz乡工会2024年工作总结" in page.locator("#base-card").inner_text()  # the link is kept
    values, priors = page.locator('[name="m_value"]'), page.locator('[name="m_prior"]')
    for i in range(values.count()):
        prior = priors.nth(i).input_value()
        values.nth(i).fill(f"{float(prior) + 2:g}" if prior else "7")
    page.click("#save-and-draft")
    page.wait_for_url("**/drafts/**", timeout=120_000)

    note = page.locator("#base-note").inner_text()
    assert "续写本单位往年的总结" in note and "zz乡工会2024年工作总结" in note
    body = page.locator(".doc").inner_text()
    for plan in ("力争新发展会员150名", "新建企业工会3个", "办好技能培训班5期"):
        assert plan not in body  # last year's plans are not this year's work
    assert page.locator(".doc .st-copied").count() == 0  # nothing of the unit's own text is 照抄范文
    page.screenshot(path=str(ARTIFACTS / "base-summary-draft.png"), full_page=True)
