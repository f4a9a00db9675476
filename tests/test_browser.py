"""Browser tests: Debian's chromium driven by playwright through the staff and editor workflow.

fill the form (with a mistake first) → draft → highlighted figures → compare view → edit a section and see the
check update → download .docx (after confirming its open findings); a changed fact sheet shows the stale banner
and re-flags the draft; two pages editing one section get a conflict with both texts; the compare view by
keyboard and on a phone. Screenshots go to tests/artifacts/.
"""

import docx
import pytest

from conftest import ARTIFACTS, browser_sign_in, needs_chromium, new_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(server, browser):
    return browser_sign_in(new_page(browser, accept_downloads=True), server)


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _fill_row(page, table, index, values):
    row = page.locator(f'table[data-rows="{table}"] tr.row').nth(index)
    for name, value in values.items():
        field = row.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_staff_and_editor_workflow(server, page):
    page.goto(f"{server}/facts/new")
    page.fill('[name="unit_name"]', "柳岸街道工会")
    page.select_option('[name="unit_type"]', "township")
    page.fill('[name="year"]', "2025")
    page.fill('[name="leadership"]', "街道党工委和区总工会")
    page.fill('[name="themes"]', "服务新就业形态劳动者")
    for label in ("添加指标", "添加指标", "添加活动"):
        page.get_by_role("button", name=label).click()
    _fill_row(page, "metrics", 0, {"m_label": "走访困难职工", "m_value": "很多", "m_unit": "户", "m_section": "帮扶"})
    _fill_row(page, "metrics", 1, {"m_label": "新发展会员", "m_value": "260", "m_unit": "名", "m_section": "组织建设"})
    activity = page.locator("#activities fieldset.block").first
    activity.locator('[name="a_title"]').fill("职工健步走")
    activity.locator('[name="a_date"]').fill("2025-04-20")
    activity.get_by_role("button", name="添加成果").click()
    activity.locator('[name="o_label"]').fill("参加职工")
    activity.locator('[name="o_value"]').fill("300")
    activity.locator('[name="o_unit"]').fill("人")
    page.get_by_role("button", name="添加", exact=True).first.click()
    page.locator('[name="p_text"]').first.fill("工会干部专业化水平不高")
    _shot(page, "01-form")

    page.click("#save-and-draft")
    assert page.locator(".field-error", has_text="不是数字").count() == 1  # the mistake is explained
    assert page.locator('[name="m_value"]').first.input_value() == "很多"  # nothing typed is lost
    assert page.locator('[name="m_value"].invalid').count() == 1  # and outlined
    assert page.locator('[name="o_value"]').first.input_value() == "300"
    assert page.locator('[name="a_title"]').first.input_value() == "职工健步走"
    _shot(page, "02-form-error")
    page.locator('[name="m_value"]').first.fill("40")
    page.click("#save-and-draft")

    page.wait_for_url("**/drafts/**", timeout=60_000)
    supported = page.locator(".doc .fig.st-supported")
    assert supported.count() >= 4
    tip = page.locator('.doc .fig[data-fact="m1"]').first.get_attribute("title") or ""
    assert "走访困难职工" in tip and "[m1]" not in tip  # the fact by its name, never its id
    assert page.locator("#error-count").inner_text() == "0"
    _shot(page, "03-draft")

    page.click("#compare-link")
    page.wait_for_url("**/compare**")
    fact = page.locator("#fact-m1")
    assert "已用" in fact.inner_text()
    fact.click()
    page.wait_for_selector(".draft-col .fig.flash")
    page.locator('.draft-col .fig[data-fact="m2"]').first.click()
    page.wait_for_selector("#fact-m2.flash")
    _shot(page, "04-compare")
    page.go_back()

    section = page.locator("section", has=page.locator('.fig[data-fact="m1"]'))
    section.locator(".edit-link").click()
    page.fill('textarea[name="text"]', "全年走访困难职工41户，为困难职工发放慰问品。")
    page.click(".save-section")
    page.wait_for_selector(".doc .fig.st-wrong_value")
    assert page.locator("#error-count").inner_text() == "1"
    assert "应为 40户" in (page.locator(".doc .fig.st-wrong_value").first.get_attribute("title") or "")
    assert "第 2 版" in page.inner_text("body")
    _shot(page, "05-edited")

    page.click("#download-docx")  # one open finding: the download asks first
    page.wait_for_selector("#confirm-download")
    assert page.locator("#open-count").inner_text() == "1"
    with page.expect_download() as info:
        page.click("#confirm-download")
    path = ARTIFACTS / "draft.docx"
    info.value.save_as(str(path))
    d = docx.Document(str(path))
    assert d.paragraphs[0].text.startswith("柳岸街道工会2025年")
    assert any("41户" in p.text for p in d.paragraphs)
    assert [c.text for c in d.comments] and "应为 40户" in list(d.comments)[0].text


def test_hostile_text_stays_inert_in_the_browser(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/facts/new")
    page.fill('[name="unit_name"]', "<img src=x onerror=alert(1)>工会")
    page.fill('[name="year"]', "2025")
    page.click("#save")
    page.wait_for_url("**/facts/**saved=1")
    assert page.locator('[name="unit_name"]').input_value() == "<img src=x onerror=alert(1)>工会"
    page.goto(f"{server}/facts")
    assert "<img src=x onerror=alert(1)>工会" in page.inner_text("body")
    assert dialogs == []


# ------------------------------------------------------------------ trust: stale facts, export, edit conflicts
TRUST_SHEET = {
    "unit": {"name": "柳岸街道工会", "type": "township"},
    "period": {"year": 2025},
    "metrics": [
        {"id": "m1", "label": "新建职工书屋", "value": 12, "unit": "个", "section": "组织建设"},
        {"id": "m2", "label": "走访困难职工", "value": 326, "unit": "户", "section": "帮扶"},
    ],
}


def _api_draft(page, server) -> tuple[str, str]:
    """A fact sheet and its draft made through the API with the page's own session (cookies, later sign-in)."""
    import time

    own = {"origin": server}  # a script using the page's session cookie says where it comes from, as a page does
    fid = page.request.post(f"{server}/api/factsheets", data=TRUST_SHEET, headers=own).json()["id"]
    job = page.request.post(f"{server}/api/factsheets/{fid}/drafts", headers=own).json()
    deadline = time.time() + 60
    while job["status"] not in ("done", "failed") and time.time() < deadline:
        time.sleep(0.3)
        job = page.request.get(f"{server}/api/jobs/{job['id']}").json()
    assert job["status"] == "done", job
    return fid, job["draft_id"]


def test_changed_facts_show_the_stale_banner_and_the_export_asks_first(server, page):
    fid, draft_id = _api_draft(page, server)
    page.goto(f"{server}/drafts/{draft_id}")
    assert page.locator("#stale-banner").count() == 0
    assert page.locator(".doc .fig.st-supported", has_text="12个").count() == 1

    data = page.request.get(f"{server}/api/factsheets/{fid}").json()
    data["metrics"][0]["value"] = 13
    assert page.request.put(f"{server}/api/factsheets/{fid}", data=data, headers={"origin": server}).ok
    page.reload()
    banner = page.locator("#stale-banner")
    assert "事实表已修改" in banner.inner_text() and "新建职工书屋 13个" in banner.inner_text()
    assert page.locator(".doc .fig.st-wrong_value", has_text="12个").count() == 1
    assert page.locator(".doc .fig.st-supported", has_text="12个").count() == 0
    assert page.locator("#error-count").inner_text() == "1"
    _shot(page, "06-stale-banner")

    page.click("#download-docx")
    page.wait_for_selector("#confirm-download")
    assert page.locator("#open-count").inner_text() == "1"
    assert "应为 13个" in page.inner_text(".findings")
    _shot(page, "07-export-confirm")
    with page.expect_download() as info:
        page.click("#confirm-download")
    path = ARTIFACTS / "stale.docx"
    info.value.save_as(str(path))
    comments = list(docx.Document(str(path)).comments)
    assert len(comments) == 1 and "应为 13个" in comments[0].text


def test_two_pages_editing_one_section_conflict_and_nothing_typed_is_lost(server, page):
    _, draft_id = _api_draft(page, server)
    key = page.request.get(f"{server}/api/drafts/{draft_id}").json()["sections"][1]["key"]
    other = page.context.new_page()
    for p in (page, other):
        p.goto(f"{server}/drafts/{draft_id}?edit={key}")
    page.fill('textarea[name="text"]', "全年走访困难职工326户（第一个页面）。")
    page.click(".save-section")
    page.wait_for_selector(".doc .fig.st-supported")
    other.fill('textarea[name="text"]', "全年走访困难职工326户（第二个页面）。")
    other.click(".save-section")
    other.wait_for_selector("#edit-error")
    assert "已被修改" in other.inner_text("#edit-error")
    assert other.locator("textarea.mine").input_value() == "全年走访困难职工326户（第二个页面）。"
    assert "（第一个页面）" in other.inner_text(f"#theirs-{key}")
    _shot(other, "08-edit-conflict")
    other.click(".save-section")  # deliberately replace, having seen both
    other.wait_for_selector(".doc .fig.st-supported")
    assert "（第二个页面）" in other.inner_text(f"#sec-{key}")
    versions = page.request.get(f"{server}/api/drafts/{draft_id}/versions").json()
    assert [v["note"].startswith("编辑") for v in versions[1:]] == [True, True]
    other.close()


def test_compare_view_by_keyboard_and_on_a_phone(server, page):
    _, draft_id = _api_draft(page, server)
    key = page.request.get(f"{server}/api/drafts/{draft_id}").json()["sections"][1]["key"]
    body = {"text": "全年走访困难职工362户。\n其中重点走访326户。", "base_version": 1}
    assert page.request.put(f"{server}/api/drafts/{draft_id}/sections/{key}", data=body, headers={"origin": server}).ok
    page.goto(f"{server}/drafts/{draft_id}/compare")
    fact = page.locator("#fact-m2")
    assert "待核实 1 处" in fact.inner_text() and "未用" not in fact.inner_text()
    facts_col, draft_col = page.locator(".facts-col"), page.locator(".draft-col")
    assert facts_col.evaluate("e => getComputedStyle(e).overflowY") == "auto"
    assert draft_col.evaluate("e => getComputedStyle(e).overflowY") == "auto"
    button = fact.locator(".fact-jump")
    button.focus()
    page.keyboard.press("Enter")
    first = page.evaluate("document.activeElement.textContent")
    assert "第 1 处，共 2 处" in page.inner_text("#jump-status")
    button.focus()
    page.keyboard.press("Enter")
    second = page.evaluate("document.activeElement.textContent")
    assert {first, second} == {"362户", "326户"} and "第 2 处，共 2 处" in page.inner_text("#jump-status")
    page.keyboard.press("Enter")  # on the figure: back to its fact
    assert page.evaluate("document.activeElement.closest('.fact').id") == "fact-m2"
    _shot(page, "09-compare")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.locator(".compare").evaluate("e => getComputedStyle(e).display") == "block"
    assert facts_col.evaluate("e => getComputedStyle(e).overflowY") == "visible"
    _shot(page, "10-compare-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
