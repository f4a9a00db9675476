"""Refusals keep everything typed and speak Chinese; questions come before consequences (issue 25), in chromium.

- a section edit over the limit: the limit is stated beside the field, the browser stops at it, and a longer text
  sent anyway comes back in the form with a Chinese message naming the field and the limit;
- saving a section as empty, submitting a draft with open findings: a question first, nothing done until answered;
- leaving a page with unsaved edits asks (beforeunload, from the app's own script file);
- an error page offers no ``javascript:`` link (the CSP blocks it) and a framework message comes out in Chinese;
- a summary that cannot be read is named by the user's file name, not the server's temporary copy.
"""

from __future__ import annotations

import time

import pytest

from conftest import browser_sign_in, http_client, needs_chromium, new_page

pytestmark = needs_chromium

SHEET = {
    "unit": {"name": "南山街道工会", "type": "township", "superior": "临溪县总工会"},
    "period": {"year": 2025, "kind": "annual"},
    "metrics": [
        {"label": "走访慰问困难职工", "value": 36, "unit": "户", "section": "帮扶"},
        {"label": "新发展会员", "value": 120, "unit": "名", "section": "组织建设"},
    ],
}


def make_draft(api) -> dict:
    """A fact sheet and its draft (the offline drafter), made through the API."""
    sheet = api.post("/api/factsheets", json=SHEET).json()["id"]
    job = api.post(f"/api/factsheets/{sheet}/drafts").json()
    deadline = time.time() + 120
    while job["status"] not in ("done", "failed") and time.time() < deadline:
        time.sleep(0.3)
        job = api.get(f"/api/jobs/{job['id']}").json()
    assert job["status"] == "done", job
    draft = api.get(f"/api/drafts/{job['draft_id']}").json()
    return {"sheet": sheet, "draft": job["draft_id"], "key": draft["sections"][0]["key"], "api": api}


@pytest.fixture(scope="module")
def drafted(server):
    """A draft shared by the tests of this module, made as the first admin."""
    return make_draft(http_client(server))


@pytest.fixture
def page(server, browser):
    return browser_sign_in(new_page(browser, accept_downloads=True), server)


def test_section_over_the_limit_keeps_the_text_and_names_the_limit(server, page, drafted):
    draft, key = drafted["draft"], drafted["key"]
    page.goto(f"{server}/drafts/{draft}?edit={key}#sec-{key}")
    form = page.locator(f'form.edit-form[data-key="{key}"]')
    heading = page.locator(f"#sec-{key} h3, #sec-{key} h4").first.inner_text()
    box = form.locator('textarea[name="text"]')
    assert box.get_attribute("maxlength") == "5000"
    assert "最多 5000 字" in form.inner_text()  # stated beside it, before anything is typed
    long_text = "职工之家建设" * 850  # 5,100 characters: sent anyway (a script, an old browser)
    box.evaluate("(el, text) => { el.removeAttribute('maxlength'); el.value = text; }", long_text)
    form.locator("button.save-section").click()
    page.wait_for_load_state()
    message = page.locator("#edit-error").inner_text()
    assert "最多 5000 字" in message and "5100" in message and heading in message  # the part and the limit
    assert page.locator(f'form.edit-form[data-key="{key}"] textarea[name="text"]').input_value() == long_text


def test_closing_and_signature_are_edited_in_place(server, page, drafted):
    draft, api = drafted["draft"], drafted["api"]
    page.goto(f"{server}/drafts/{draft}")
    page.click("#edit-closing")
    form = page.locator('form.edit-form[data-key="closing"]')
    form.locator('textarea[name="text"]').fill("新的一年，街道工会将在街道党工委领导下，继续做好服务职工工作。")
    form.locator("button.save-section").click()
    page.wait_for_url("**#sec-closing")
    assert "继续做好服务职工工作" in page.inner_text("#closing")
    page.click("#edit-signature")
    form = page.locator('form.edit-form[data-key="signature"]')
    assert "每行最多" in form.inner_text()
    form.locator('textarea[name="text"]').fill("南山街道总工会\n2025年12月30日")
    form.locator("button.save-section").click()
    page.wait_for_url("**#sec-signature")
    assert page.inner_text("#signature").split() == ["南山街道总工会", "2025年12月30日"]
    body = api.get(f"/api/drafts/{draft}").json()
    assert body["signature_unit"] == "南山街道总工会" and body["signature_date"] == "2025年12月30日"
    assert "继续做好服务职工工作" in body["closing"]


def test_saving_a_section_empty_asks_first(server, page, drafted):
    draft, key = drafted["draft"], drafted["key"]
    before = drafted["api"].get(f"/api/drafts/{draft}").json()["version"]
    page.goto(f"{server}/drafts/{draft}?edit={key}#sec-{key}")
    page.locator(f'form.edit-form[data-key="{key}"] textarea[name="text"]').fill("   ")
    page.locator(f'form.edit-form[data-key="{key}"] button.save-section').click()
    page.wait_for_load_state()
    assert "清空" in page.locator("#edit-error").inner_text()
    assert drafted["api"].get(f"/api/drafts/{draft}").json()["version"] == before  # nothing saved yet
    page.check("#confirm-empty")
    page.locator(f'form.edit-form[data-key="{key}"] button.save-section').click()
    page.wait_for_url(f"**/drafts/{draft}#**")
    assert drafted["api"].get(f"/api/drafts/{draft}").json()["version"] == before + 1


def test_submitting_with_open_findings_asks_first(server, page, drafted):
    api, draft = drafted["api"], drafted["draft"]
    body = api.get(f"/api/drafts/{draft}").json()
    key = drafted["key"]
    wrong = {"text": "全年走访慰问困难职工41户，新发展会员120名。", "base_version": body["version"]}
    assert api.put(f"/api/drafts/{draft}/sections/{key}", json=wrong).status_code == 200
    page.goto(f"{server}/drafts/{draft}")
    assert "待核实" in page.locator("#submit-question").inner_text()
    page.click("#submit-review")  # the question must be answered: nothing is sent
    assert api.get(f"/api/drafts/{draft}/review").json()["state"] != "submitted"
    # a form posted without the answer (no browser check) comes back to the question
    page.locator("#confirm-open").evaluate("el => el.removeAttribute('required')")
    page.click("#submit-review")
    page.wait_for_url("**ask=submit**")
    assert api.get(f"/api/drafts/{draft}/review").json()["state"] != "submitted"
    page.check("#confirm-open")
    page.click("#submit-review")
    page.wait_for_load_state()
    assert api.get(f"/api/drafts/{draft}/review").json()["state"] == "submitted"


def test_leaving_with_unsaved_edits_asks(server, page, drafted):
    page.goto(f"{server}/facts/{drafted['sheet']}")
    page.locator('[name="leadership"]').fill("街道党工委")
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator("header .brand").click()
    page.wait_for_timeout(500)
    assert seen == ["beforeunload"]
    assert f"/facts/{drafted['sheet']}" in page.url
    assert page.locator('[name="leadership"]').input_value() == "街道党工委"


def test_error_pages_have_no_script_link_and_speak_chinese(server, page, drafted):
    came_from = f"{server}/drafts/{drafted['draft']}"
    page.goto(f"{server}/drafts/{drafted['draft']}/diff?a=x&b=2", referer=came_from)
    text = page.inner_text("main")
    assert "出错了（422）" in text and "应为整数" in text and "Input should" not in text
    links = page.eval_on_selector_all("main a", "els => els.map(a => a.getAttribute('href'))")
    assert links and not [h for h in links if h.lower().startswith("javascript:")]
    assert f"/drafts/{drafted['draft']}" in links  # back to the page the user came from


def test_unreadable_summary_is_named_by_the_users_file(server, page):
    page.goto(f"{server}/facts/start")
    page.set_input_files(
        '#start-upload [name="file"]',
        files=[{"name": "东坡镇2024年总结.docx", "mimeType": "application/octet-stream", "buffer": b"not a docx"}],
    )
    page.click("#extract")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "东坡镇2024年总结.docx" in text and "upload.docx" not in text


def test_a_placeholder_is_marked_once_in_markdown(server, page, drafted):
    """The drafter's 【待核实】 after a placeholder and the export's 【待核实：…】 are one mark, as the count says."""
    own = make_draft(drafted["api"])  # a draft of its own (the shared one may be under review by now)
    api, draft, key = own["api"], own["draft"], own["key"]
    version = api.get(f"/api/drafts/{draft}").json()["version"]
    text = {"text": "20xx年【待核实】，全年走访慰问困难职工36户。", "base_version": version}
    assert api.put(f"/api/drafts/{draft}/sections/{key}", json=text).status_code == 200
    page.goto(f"{server}/drafts/{draft}/export?fmt=md")
    with page.expect_download() as download:
        page.click("#confirm-download")
    markdown = open(download.value.path(), encoding="utf-8").read()
    count = int(markdown.split("本稿还有 ")[1].split(" 处")[0])
    assert markdown.count("【待核实") == count + 1, (
        markdown
    )  # each finding once in the text, plus the note's own mention
    assert "】【待核实】" not in markdown


def test_every_version_downloads_under_its_own_name(server, page, drafted):
    own = make_draft(drafted["api"])
    api, draft, key = own["api"], own["draft"], own["key"]
    text = {"text": "全年走访慰问困难职工36户，新发展会员120名。", "base_version": 1}
    assert api.put(f"/api/drafts/{draft}/sections/{key}", json=text).status_code == 200
    names = set()
    for v in (1, 2):
        for fmt in ("docx", "md"):
            page.goto(f"{server}/drafts/{draft}?v={v}")
            with page.expect_download() as download:
                page.evaluate(
                    "url => { window.location.href = url; }", f"/drafts/{draft}/download.{fmt}?v={v}&confirm=1"
                )
            name = download.value.suggested_filename
            assert name == f"南山街道工会2025年工作总结（第{v}版）.{fmt}", name
            names.add(name)
    assert len(names) == 4
