"""Roll-up pages (issue 26): editors approve the units' sheets, the federation's clerk rolls them up with a file
for a unit that sent Excel, confirms a near-match, picks a 典型经验, opens a unit's sheet as used; mistakes in a
form are said in Chinese naming the file; the indicator list is published from its page."""

from __future__ import annotations

import json
import re

import pytest

from zongjie.factsheets.files import xlsx_template
from zongjie.factsheets.model import parse_fact_sheet


def sheet(name: str, *metrics: tuple, notes: tuple[str, ...] = ()) -> dict:
    data: dict = {"unit": {"name": name, "type": "township"}, "period": {"year": 2025, "kind": "annual"}}
    data["metrics"] = [dict(zip(("label", "value", "unit"), m, strict=True)) for m in metrics]
    if notes:
        data["sections"] = [{"title": "帮扶", "notes": list(notes)}]
    return data


def csrf(client) -> str:
    client.get("/healthz")
    return client.cookies.get("zj_csrf")


@pytest.fixture
def tree(people):
    county = people.unit("甲县总工会", unit_type="county_federation")
    towns = {n: people.unit(n, parent=county) for n in ("东溪镇工会", "西岭镇工会", "南坪乡工会")}
    return {
        "county": county,
        "clerks": {n: people.user("clerk", u) for n, u in towns.items()},
        "county_clerk": people.user("clerk", county),
        "county_editor": people.user("editor", county),
    }


def test_roll_up_from_the_pages(tree):
    editor, clerk = tree["county_editor"], tree["county_clerk"]
    for name, label in (("东溪镇工会", "走访慰问困难职工"), ("西岭镇工会", "走访慰问困难职工")):
        data = sheet(
            name, (label, 40 if name == "东溪镇工会" else 25, "户"), notes=(f"{name[:2]}镇工会结对帮扶困难职工",)
        )
        fid = tree["clerks"][name].post("/api/factsheets", json=data).json()["id"]
        page = editor.get("/rollups-approvals?year=2025")
        assert name in page.text and "待审核" in page.text
        r = editor.post(f"/facts/{fid}/approve", data={"csrf_token": csrf(editor)}, follow_redirects=False)
        assert r.status_code == 303
    assert editor.get("/rollups-approvals?year=2025").text.count("已审核") == 2
    token = csrf(clerk)
    # a file chosen without saying whose it is: said, nothing rolled
    xlsx = xlsx_template(parse_fact_sheet(sheet("南坪乡工会", ("慰问困难职工", 9, "户"))))
    r = clerk.post(
        "/rollups",
        data={"csrf_token": token, "year": "2025", "scope": "direct", "file_units": [""]},
        files=[("files", ("南坪乡.xlsx", xlsx))],
    )
    assert r.status_code == 422 and "南坪乡.xlsx" in r.text and "请选择它属于哪个下级单位" in r.text
    r = clerk.post(
        "/rollups",
        data={"csrf_token": token, "year": "2025", "scope": "direct", "file_units": ["南坪乡工会"]},
        files=[("files", ("南坪乡.xlsx", xlsx))],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = clerk.get(url).text
    assert "相近的指标" in page and "慰问困难职工" in page and "是同一指标，合并" in page
    assert re.search(r"走访慰问困难职工</b> 65户", page)
    into = re.search(r'name="into_key" value="([^"]+)"', page).group(1)
    r = clerk.post(url + "/confirm", data={"csrf_token": token, "label": "慰问困难职工", "into_key": into, "same": "1"})
    page = r.text
    assert "相近的指标" not in page and re.search(r"走访慰问困难职工</b> 74户", page)
    assert "上传的文件" in page and "南坪乡工会" in page
    # the county's editor reads it but has no buttons
    seen = editor.get(url).text
    assert "74户" in seen and "起草总结" not in seen
    # 典型经验 picked
    value = re.search(r'name="picks" value="(东溪镇工会\|[^"]+)"', page).group(1)
    page = clerk.post(url + "/refresh", data={"csrf_token": token, "with_picks": "1", "picks": [value]}).text
    assert re.search(r'value="东溪镇工会\|[^"]+" checked', page)
    # a unit's sheet as used, from the breakdown's link
    link = re.search(r'href="(/rollups/\w+/parts/[^"]+)"', page).group(1)
    part = clerk.get(link)
    assert part.status_code == 200 and "只读" in part.text and "走访慰问困难职工" in part.text
    # drafted: the draft page carries each rolled figure's breakdown, linked to the units' sheets as used
    fid = re.search(r'href="/facts/(\w+)" id="rolled-sheet"', page).group(1)
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()["id"]
    done = clerk.app.state.runner.wait(job, timeout=120)
    assert done.status == "done", done
    draft_page = clerk.get(f"/drafts/{done.draft_id}").text
    data = json.loads(
        re.search(r'<script type="application/json" id="rollup-parts">(.*?)</script>', draft_page).group(1)
    )
    (total,) = [m for m in data.values() if m["label"] == "走访慰问困难职工"]
    assert total["value"] == "74" and [p["unit"] for p in total["parts"]] == ["东溪镇工会", "南坪乡工会", "西岭镇工会"]
    assert clerk.get(total["parts"][0]["href"]).status_code == 200
    assert "74户" in draft_page and "下级单位事实表已修改" not in draft_page
    # a unit changes its sheet after the roll-up: the draft and the roll-up say so
    east_id = next(
        i["sheet"]
        for i in clerk.get(f"/api/rollups/{url.rsplit('/', 1)[1]}").json()["sheet"]["rollup"]["included"]
        if i["unit"] == "东溪镇工会"
    )
    changed = sheet("东溪镇工会", ("走访慰问困难职工", 41, "户"))
    assert tree["clerks"]["东溪镇工会"].put(f"/api/factsheets/{east_id}", json=changed).status_code == 200
    assert "下级单位事实表已修改" in clerk.get(f"/drafts/{done.draft_id}").text
    assert "下级单位事实表已修改" in clerk.get(url).text
    assert "下级单位事实表已修改" in clerk.get(f"/drafts/{done.draft_id}/compare").text


def test_publish_the_indicator_list_from_its_page(tree):
    clerk = tree["county_clerk"]
    form = {
        "csrf_token": csrf(clerk),
        "year": "2025",
        "period": "annual",
        "key": ["members", "staff", "rate", ""],
        "label": ["会员人数", "职工人数", "职工入会率", ""],
        "unit": ["人", "人", "%", ""],
        "section": ["组织建设", "组织建设", "组织建设", ""],
        "summable": ["0", "1"],
        "numerator": ["", "", "members", ""],
        "denominator": ["", "", "staff", ""],
    }
    r = clerk.post("/indicators", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    listed = clerk.get("/api/indicators/2025/annual").json()["list"]
    assert [i["key"] for i in listed["indicators"]] == ["members", "staff", "rate"]
    assert listed["indicators"][2]["numerator"] == "members" and listed["indicators"][2]["summable"] is False
    bad = dict(form, numerator=["", "", "nope", ""])
    r = clerk.post("/indicators", data=bad)
    assert r.status_code == 422 and "指标清单有误" in r.text and "“nope”不在清单中" in r.text
    assert 'value="nope"' in r.text and 'value="职工入会率"' in r.text  # nothing typed is lost
    assert (
        tree["county_editor"].post("/indicators", data=dict(form, csrf_token=csrf(tree["county_editor"]))).status_code
        == 403
    )


def test_the_form_keeps_indicator_keys_parts_and_picked_notes():
    from zongjie.factsheets.model import FactSheet
    from zongjie.web.forms import carry_over, data_to_rows, rows_to_data

    data = sheet("甲县总工会", ("走访困难职工", 65, "户"), notes=("结对帮扶",))
    data["metrics"][0] |= {"id": "visits", "indicator": "visits", "parts": [{"unit": "东溪镇工会", "value": 40}, {"unit": "西岭镇工会", "value": 25}], "not_included": ["南坪乡工会"]}  # fmt: skip
    data["sections"][0]["notes"] = [{"id": "w1", "text": "结对帮扶", "unit": "东溪镇工会"}]
    data["rollup"] = {"scope": "direct", "missing": [{"unit": "南坪乡工会", "reason": "未报送"}]}
    stored = FactSheet.model_validate(data).model_dump(mode="json")
    typed = rows_to_data(data_to_rows(stored))  # what the form sends back
    assert typed["metrics"][0]["indicator"] == "visits" and "parts" not in typed["metrics"][0]
    kept = FactSheet.model_validate(carry_over(typed, stored))
    assert [p.unit for p in kept.metrics[0].parts] == ["东溪镇工会", "西岭镇工会"]
    assert kept.metrics[0].not_included == ["南坪乡工会"] and kept.all_notes()[0][1].unit == "东溪镇工会"
    assert kept.rollup is not None and kept.rollup.missing[0].unit == "南坪乡工会"
