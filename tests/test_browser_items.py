"""What got in a clerk's, an editor's and an admin's way (issue 25), each tried again in chromium as they would.

Fact sheet: a new sheet starts with the clerk's unit and its 上级单位; a year typed 二〇二五 is read as 2025; a
magnitude no union reports is questioned and, once confirmed, kept to the last digit; an empty 单位名称 says it is
required; values still to fill are a warning, not a success; after an upload error the knowledge base's summaries
are still listed. Admin: a refused new user keeps what was typed; creating says what was created; a unit renamed to
spaces is refused with a message and nothing is logged; a new unit's type follows its parent.
"""

from __future__ import annotations

import pytest

from conftest import browser_sign_in, http_client, needs_chromium, new_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def team(server):
    """东坡镇工会 below the top unit (县总工会), with a clerk."""
    admin = http_client(server)
    root = admin.get("/api/me").json()["unit_id"]
    unit = admin.post("/api/units", json={"name": "东坡镇工会", "unit_type": "township", "parent_id": root})
    body = {"username": "liufang", "password": "password-123", "role": "clerk", "unit_id": unit.json()["id"]}
    assert admin.post("/api/users", json={**body, "display_name": "刘芳"}).status_code == 201
    return {"api": admin, "root": root, "unit": unit.json()["id"]}


@pytest.fixture
def clerk(server, browser, team):
    return browser_sign_in(new_page(browser), server, "liufang", "password-123")


@pytest.fixture
def admin(server, browser, team):
    return browser_sign_in(new_page(browser), server)


def test_new_fact_sheet_starts_with_the_clerks_unit(server, clerk):
    clerk.goto(f"{server}/facts/new")
    assert clerk.locator('[name="unit_name"]').input_value() == "东坡镇工会"
    assert clerk.locator('[name="unit_superior"]').input_value() == "县总工会"
    assert clerk.locator('[name="unit_type"]').input_value() == "township"


def test_year_in_chinese_numerals_and_values_to_fill_as_a_warning(server, clerk):
    clerk.goto(f"{server}/facts/new")
    clerk.fill('[name="year"]', "二〇二五")
    clerk.get_by_role("button", name="添加指标").click()
    row = clerk.locator('table[data-rows="metrics"] tr.row').first
    row.locator('[name="m_label"]').fill("新发展会员")
    row.locator('[name="m_unit"]').fill("名")
    clerk.click("#save")
    clerk.wait_for_url("**/facts/*?saved=1")
    assert clerk.locator('[name="year"]').input_value() == "2025"
    warning = clerk.locator("#form-warning")
    assert "待填" in warning.inner_text() and "warn" in (warning.get_attribute("class") or "")
    assert "待填" not in clerk.locator("#form-message").inner_text()  # 已保存 stays a success, alone


def test_a_magnitude_no_union_reports_is_questioned(server, clerk, team):
    clerk.goto(f"{server}/facts/new")
    clerk.fill('[name="year"]', "2025")
    clerk.get_by_role("button", name="添加指标").click()
    row = clerk.locator('table[data-rows="metrics"] tr.row').first
    row.locator('[name="m_label"]').fill("发放慰问金")
    row.locator('[name="m_value"]').fill("99999999999999999999999")
    row.locator('[name="m_unit"]').fill("万元")
    clerk.click("#save")
    clerk.wait_for_load_state()
    assert "一万亿" in clerk.inner_text("main")  # asked, nothing saved yet
    assert clerk.locator('[name="m_value"]').first.input_value() == "99999999999999999999999"
    clerk.select_option('[name="m_confirm"]', "1")
    clerk.click("#save")
    clerk.wait_for_url("**/facts/*?saved=1")
    assert clerk.locator('[name="m_value"]').first.input_value() == "99999999999999999999999"  # every digit
    sheet_id = clerk.url.split("/facts/")[1].split("?")[0]
    api = team["api"]
    assert api.get(f"/api/factsheets/{sheet_id}").text.count('"value":99999999999999999999999') == 1  # stored
    job = api.post(f"/api/factsheets/{sheet_id}/drafts").json()
    while job["status"] not in ("done", "failed"):
        job = api.get(f"/api/jobs/{job['id']}").json()
    draft = api.get(f"/api/drafts/{job['draft_id']}").json()
    assert "99999999999999999999999万元" in "".join(s["text"] for s in draft["sections"])  # drafted
    exported = api.get(f"/api/drafts/{job['draft_id']}/download.md", params={"confirm": "true"}).text
    assert "99999999999999999999999" in exported and "99999999999999991611392" not in exported  # exported


def test_empty_unit_name_says_it_is_required(server, clerk):
    clerk.goto(f"{server}/facts/new")
    clerk.fill('[name="unit_name"]', "")
    clerk.fill('[name="year"]', "2025")
    clerk.click("#save")
    clerk.wait_for_load_state()
    message = clerk.locator('[name="unit_name"] ~ .field-error').inner_text()
    assert "必须填写" in message and "太短" not in message


def test_start_page_keeps_the_knowledge_base_list_after_an_upload_error(server, clerk):
    clerk.goto(f"{server}/facts/start")
    listed = clerk.locator("table tr").count()
    assert listed > 1
    clerk.set_input_files(
        '#start-upload [name="file"]', files=[{"name": "总结.pdf", "mimeType": "application/pdf", "buffer": b"x"}]
    )
    clerk.click("#extract")
    clerk.wait_for_load_state()
    assert clerk.locator("#form-message").is_visible()
    assert clerk.locator("table tr").count() == listed


def test_refused_new_user_keeps_what_was_typed_and_creating_confirms(server, admin, team):
    admin.goto(f"{server}/admin/units")
    form = admin.locator("#new-user")
    form.locator('[name="username"]').fill("liufang")  # taken
    form.locator('[name="display_name"]').fill("刘芳芳")
    form.locator('[name="password"]').fill("password-456")
    form.locator('[name="role"]').select_option("editor")
    form.locator('[name="unit_id"]').select_option(team["unit"])
    form.get_by_role("button", name="新建用户").click()
    admin.wait_for_load_state()
    assert "已被使用" in admin.locator("#admin-error").inner_text()
    form = admin.locator("#new-user")
    assert form.locator('[name="username"]').input_value() == "liufang"
    assert form.locator('[name="display_name"]').input_value() == "刘芳芳"
    assert form.locator('[name="password"]').input_value() == "password-456"
    assert form.locator('[name="role"]').input_value() == "editor"
    assert form.locator('[name="unit_id"]').input_value() == team["unit"]
    form.locator('[name="username"]').fill("liufang2")
    form.get_by_role("button", name="新建用户").click()
    admin.wait_for_url("**/admin/units?done=*")
    assert admin.locator("#admin-done").inner_text() == "已新建用户 liufang2"


def test_new_unit_type_follows_its_parent_and_creating_confirms(server, admin, team):
    admin.goto(f"{server}/admin/units")
    form = admin.locator("#new-unit")
    assert form.locator('[name="unit_type"]').input_value() == "township"  # below the county federation
    form.locator('[name="parent_id"]').select_option(team["unit"])
    assert form.locator('[name="unit_type"]').input_value() == "enterprise"  # below a township union
    form.locator('[name="name"]').fill("东坡镇五金厂工会")
    form.get_by_role("button", name="新建单位").click()
    admin.wait_for_url("**/admin/units?done=*")
    assert admin.locator("#admin-done").inner_text() == "已新建单位「东坡镇五金厂工会」"
    unit = next(u for u in team["api"].get("/api/units").json() if u["name"] == "东坡镇五金厂工会")
    assert unit["unit_type"] == "enterprise" and unit["parent_id"] == team["unit"]


def test_renaming_a_unit_to_spaces_is_refused_and_not_logged(server, admin, team):
    before = len(team["api"].get("/api/audit", params={"object_id": team["unit"]}).json())
    admin.goto(f"{server}/admin/units")
    row_form = admin.locator(f'form[action="/admin/units/{team["unit"]}"]')
    row_form.locator('[name="name"]').fill("   ")
    row_form.get_by_role("button", name="保存").click()
    admin.wait_for_load_state()
    assert "不能为空" in admin.locator("#admin-error").inner_text()
    assert any(u["name"] == "东坡镇工会" for u in team["api"].get("/api/units").json())
    assert len(team["api"].get("/api/audit", params={"object_id": team["unit"]}).json()) == before
    row_form = admin.locator(f'form[action="/admin/units/{team["unit"]}"]')
    row_form.locator('[name="name"]').fill("东坡镇总工会")
    row_form.get_by_role("button", name="保存").click()
    admin.wait_for_url("**/admin/units?done=*")
    log = team["api"].get("/api/audit", params={"object_id": team["unit"]}).json()
    assert "「东坡镇工会」→「东坡镇总工会」" in log[0]["summary"]  # the audit log shows old → new
    admin.goto(f"{server}/admin/audit")
    row = admin.locator("#audit tr", has_text="「东坡镇工会」→「东坡镇总工会」").first
    assert "单位「东坡镇总工会」" in row.inner_text()  # the object named, not its id
    assert team["unit"] not in admin.inner_text("#audit")
