"""Roll-up API (issue 26): the federation's clerk rolls up approved sheets of the units below; editors read it; a
sibling unit's clerk gets 404; a unit changing its sheet afterwards makes the roll-up stale; 人 vs 人次 is listed."""

from __future__ import annotations

import pytest


def sheet(name: str, *metrics: tuple, notes: tuple[str, ...] = ()) -> dict:
    data: dict = {"unit": {"name": name, "type": "township"}, "period": {"year": 2025, "kind": "annual"}}
    data["metrics"] = [dict(zip(("label", "value", "unit"), m, strict=True)) for m in metrics]
    if notes:
        data["sections"] = [{"title": "帮扶", "notes": list(notes)}]
    return data


@pytest.fixture
def tree(people):
    county = people.unit("甲县总工会", unit_type="county_federation")
    other = people.unit("乙县总工会", unit_type="county_federation")
    towns = {n: people.unit(n, parent=county) for n in ("东溪镇工会", "西岭镇工会", "南坪乡工会")}
    clerks = {n: people.user("clerk", u) for n, u in towns.items()}
    return {
        "county": county,
        "towns": towns,
        "clerks": clerks,
        "county_clerk": people.user("clerk", county),
        "county_editor": people.user("editor", county),
        "town_editor": people.user("editor", towns["东溪镇工会"]),
        "sibling_clerk": people.user("clerk", other),
        "sibling_editor": people.user("editor", other),
    }


def save(client, data: dict) -> str:
    r = client.post("/api/factsheets", json=data)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_roll_up_permissions_stale_and_conflicts(tree):
    east = save(tree["clerks"]["东溪镇工会"], sheet("东溪镇工会", ("走访困难职工", 40, "户"), ("培训职工", 300, "人")))
    west = save(
        tree["clerks"]["西岭镇工会"], sheet("西岭镇工会", ("走访困难职工", 25, "户"), ("培训职工", 900, "人次"))
    )
    # approving is a review: the unit's clerk may not, an editor of another county cannot even see it
    assert tree["clerks"]["东溪镇工会"].post(f"/api/factsheets/{east}/approval").status_code == 403
    assert tree["sibling_editor"].post(f"/api/factsheets/{east}/approval").status_code == 404
    assert tree["town_editor"].post(f"/api/factsheets/{east}/approval").json()["approved"] is True
    assert tree["county_editor"].post(f"/api/factsheets/{west}/approval").status_code == 200
    # the county's editor reads but does not roll up
    assert tree["county_editor"].post("/api/rollups", json={"year": 2025}).status_code == 403
    r = tree["county_clerk"].post("/api/rollups", json={"year": 2025, "scope": "direct"})
    assert r.status_code == 201, r.text
    out = r.json()
    info = out["sheet"]["rollup"]
    assert sorted(i["unit"] for i in info["included"]) == ["东溪镇工会", "西岭镇工会"]
    assert [(m["unit"], m["reason"]) for m in info["missing"]] == [("南坪乡工会", "未报送")]
    metrics = {m["label"]: m for m in out["sheet"]["metrics"]}
    assert metrics["走访困难职工"]["value"] == 65
    assert {p["unit"]: p["value"] for p in metrics["走访困难职工"]["parts"]} == {"东溪镇工会": 40, "西岭镇工会": 25}
    # 人 vs 人次: not summed, listed
    assert metrics["培训职工"]["value"] == 300 and "西岭镇工会" in metrics["培训职工"]["not_included"]
    assert [(c["unit"], c["measure"]) for c in info["conflicts"]] == [("西岭镇工会", "人次")]
    rid = out["id"]
    # who may read it: the county's people (editor read-only); a sibling county's clerk, a unit below: 404
    assert tree["county_editor"].get(f"/api/rollups/{rid}").status_code == 200
    assert tree["county_editor"].post(f"/api/rollups/{rid}/refresh").status_code == 403
    assert tree["sibling_clerk"].get(f"/api/rollups/{rid}").status_code == 404
    assert tree["sibling_clerk"].get(f"/api/rollups/{rid}/parts/东溪镇工会").status_code == 404
    assert tree["clerks"]["西岭镇工会"].get(f"/api/rollups/{rid}").status_code == 404
    assert rid not in [x["id"] for x in tree["sibling_clerk"].get("/api/rollups").json()]
    # a unit's sheet as used, through the roll-up
    part = tree["county_clerk"].get(f"/api/rollups/{rid}/parts/东溪镇工会").json()
    assert part["revision"] == 1 and part["sheet"]["metrics"][0]["value"] == 40
    # the unit changes its sheet after the roll-up: stale
    changed = sheet("东溪镇工会", ("走访困难职工", 44, "户"), ("培训职工", 300, "人"))
    assert tree["clerks"]["东溪镇工会"].put(f"/api/factsheets/{east}", json=changed).status_code == 200
    stale = tree["county_clerk"].get(f"/api/rollups/{rid}").json()["stale"]
    assert [(s["unit"], s["revision"], s["now"]) for s in stale] == [("东溪镇工会", 1, 2)]
    # the part as used is still revision 1
    assert tree["county_clerk"].get(f"/api/rollups/{rid}/parts/东溪镇工会").json()["sheet"]["metrics"][0]["value"] == 40


def test_near_match_confirmed_once_and_remembered(tree):
    for name, label in (
        ("东溪镇工会", "走访慰问困难职工"),
        ("西岭镇工会", "走访慰问困难职工"),
        ("南坪乡工会", "慰问困难职工"),
    ):
        fid = save(tree["clerks"][name], sheet(name, (label, 10, "户")))
        assert tree["county_editor"].post(f"/api/factsheets/{fid}/approval").status_code == 200
    out = tree["county_clerk"].post("/api/rollups", json={"year": 2025}).json()
    (p,) = out["sheet"]["rollup"]["proposals"]
    assert p["label"] == "慰问困难职工" and p["units"] == ["南坪乡工会"]
    r = tree["county_clerk"].post(
        f"/api/rollups/{out['id']}/confirm", json={"label": p["label"], "into_key": p["into_key"]}
    )
    assert r.status_code == 200, r.text
    after = r.json()["sheet"]
    assert not after["rollup"]["proposals"] and after["metrics"][0]["value"] == 30
    fresh = tree["county_clerk"].post("/api/rollups", json={"year": 2025}).json()  # a new roll-up remembers it
    assert not fresh["sheet"]["rollup"]["proposals"] and fresh["sheet"]["metrics"][0]["value"] == 30


def test_indicator_list_published_and_found_below(tree):
    body = {"indicators": [{"key": "visits", "label": "走访困难职工", "unit": "户", "section": "帮扶"}]}
    assert tree["county_editor"].put("/api/indicators/2025/annual", json=body).status_code == 403
    r = tree["county_clerk"].put("/api/indicators/2025/annual", json=body)
    assert r.status_code == 200 and r.json()["unit"] == "甲县总工会"
    got = tree["clerks"]["南坪乡工会"].get("/api/indicators/2025/annual")
    assert got.status_code == 200 and got.json()["list"]["indicators"][0]["key"] == "visits"
    assert tree["sibling_clerk"].get("/api/indicators/2025/annual").json()["list"] is None
    # a unit below starts its sheet from it: the form, with the indicator's key carried on the metric
    town = tree["clerks"]["南坪乡工会"]
    form = town.get("/facts/new?from_list=1")
    assert form.status_code == 200 and 'name="m_indicator" value="visits"' in form.text and "走访困难职工" in form.text
    assert tree["sibling_clerk"].get("/facts/new?from_list=1").status_code == 404  # no list above it
    xlsx = town.get(f"/facts/template.xlsx?unit={tree['towns']['南坪乡工会']}")
    assert xlsx.status_code == 200
    from zongjie.factsheets.files import load_bytes

    started = load_bytes(xlsx.content, "t.xlsx")
    assert [(m.label, m.unit, m.value, m.indicator) for m in started.metrics] == [
        ("走访困难职工", "户", None, "visits")
    ]
    assert town.get(f"/facts/template.xlsx?unit={tree['county']}").status_code == 404  # not the clerk's unit
    import yaml

    blank = yaml.safe_load(town.get("/indicators/template.yaml").text)
    assert blank["unit"]["name"] == "南坪乡工会" and blank["metrics"][0]["indicator"] == "visits"
    bad = {"indicators": [{"key": "r", "label": "某率", "unit": "%", "numerator": "x", "denominator": "visits"}]}
    assert tree["county_clerk"].put("/api/indicators/2025/annual", json=bad).status_code == 422
