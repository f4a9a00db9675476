"""Browser: the yearly journey — upload last year's summary → its structure page → confirm the extracted sheet → 用作下一年度 → drafting
refused while values are blank → fill this year's values → draft → a figure left at last year's value in the text is
shown as 沿用去年数字. Debian chromium through playwright; screenshots go to a temporary folder."""

import pytest

from conftest import CORPUS, browser_sign_in, needs_chromium, new_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(browser):
    return new_page(browser)


def test_from_last_years_summary_to_a_checked_draft(server, page, tmp_path):
    browser_sign_in(page, server)
    page.goto(f"{server}/facts")
    page.click("#start-from-summary")
    page.set_input_files('input[name="file"]', str(CORPUS / "baishi_town_2024.txt"))
    page.click("#extract")
    page.wait_for_selector("#structure-form")  # what was read, beside the text, to confirm first
    page.click("#start-from-doc")
    page.wait_for_selector("#extracted-note")
    labels = page.locator('[name="m_label"]')
    assert labels.count() == 19 and labels.first.input_value() == "新建企业工会"
    assert page.locator('[name="m_value"]').first.input_value() == "11"
    source = page.locator("details.source").first
    source.locator("summary").click()
    assert "11家" in source.inner_text()  # each item shows the sentence it came from
    page.screenshot(path=str(tmp_path / "1-extracted.png"), full_page=True)
    page.click("#save")
    page.wait_for_url("**/facts/*?saved=1")

    page.click("#next-year")
    page.wait_for_selector("text=项指标的本年数值待填")
    assert page.locator('[name="year"]').input_value() == "2025"
    assert page.locator('[name="m_prior"]').first.input_value() == "11"
    assert page.locator('[name="m_value"]').first.input_value() == ""
    page.click("#save-and-draft")  # blanks: refused, named and outlined
    page.wait_for_selector("#form-message")
    assert "还不能起草" in page.locator("#form-message").inner_text()
    assert page.locator('[name="m_value"].invalid').count() == 19

    values = page.locator('[name="m_value"]')
    priors = page.locator('[name="m_prior"]')
    for i in range(values.count()):
        values.nth(i).fill(f"{float(priors.nth(i).input_value()) + 1:g}")  # this year's figures
    page.screenshot(path=str(tmp_path / "2-filled.png"), full_page=True)
    page.click("#save-and-draft")
    page.wait_for_url("**/drafts/**", timeout=120_000)
    assert page.locator("#error-count").inner_text() == "0"
    assert page.locator(".doc .fig.st-supported").count() >= 10
    page.screenshot(path=str(tmp_path / "3-draft.png"), full_page=True)

    # the clerk edits the text and leaves last year's figure in it: shown as 沿用去年数字
    fig = page.locator('.doc .fig[data-fact="m1"]').first
    assert "12" in fig.inner_text()
    page.locator("section", has=page.locator('.fig[data-fact="m1"]')).locator(".edit-link").click()
    box = page.locator('textarea[name="text"]')
    box.fill(box.input_value().replace("12家", "11家", 1))
    page.click(".save-section")
    page.wait_for_selector(".doc .fig.st-stale")
    stale = page.locator(".doc .fig.st-stale").first
    assert "11" in stale.inner_text()
    page.screenshot(path=str(tmp_path / "4-stale.png"), full_page=True)
