"""Roll-ups from the store (issue 26): approved sheets of the units below, uploads, remembered confirmations, the
federation's sheet saved with its parts, a unit changing its sheet afterwards (stale), a conflicting unit."""

from __future__ import annotations

import pytest

from zongjie.federation.rollups import RollupRefused, Upload, make_rollup, stale
from zongjie.rollup.matching import confirmation
from zongjie.storage.accounts import AccountStore
from zongjie.storage.rollups import RollupStore
from zongjie.storage.store import make_store

pytestmark = pytest.mark.databases


def sheet(name: str, *metrics: dict, notes: tuple[str, ...] = ()) -> dict:
    data: dict = {"unit": {"name": name, "type": "township"}, "period": {"year": 2025, "kind": "annual"}}
    data["metrics"] = [dict(zip(("label", "value", "unit"), m, strict=True)) for m in metrics]
    if notes:
        data["sections"] = [{"title": "帮扶", "notes": [{"id": f"w{i}", "text": t} for i, t in enumerate(notes)]}]
    return data


@pytest.fixture
def world(settings):
    store = make_store(settings)
    accounts, rollups = AccountStore(store.engine), RollupStore(store.engine)
    county = accounts.create_unit("云岭县总工会", "county_federation")
    towns = {n: accounts.create_unit(n, "township", county) for n in ("东溪镇工会", "西岭镇工会", "南坪乡工会")}
    towns["东溪镇某厂工会"] = accounts.create_unit("东溪镇某厂工会", "enterprise", towns["东溪镇工会"])

    def save(unit: str, data: dict, approve: bool = True) -> str:
        fid = store.save_factsheet(data)
        accounts.claim("factsheet", fid, towns[unit], None)
        if approve:
            rollups.approve(fid, store.factsheet(fid).revision, None)
        return fid

    return store, accounts, rollups, county, towns, save


def test_a_roll_up_takes_approved_sheets_below_and_lists_the_rest(world):
    store, accounts, rollups, county, towns, save = world
    save(
        "东溪镇工会",
        sheet(
            "东溪镇工会",
            (m := ("走访困难职工", 40, "户")),
            ("慰问金", 2.5, "万元"),
            ("培训职工", 300, "人"),
            notes=("结对帮扶到户",),
        ),
    )
    save(
        "西岭镇工会", sheet("西岭镇工会", ("走访困难职工", 25, "户"), ("慰问金", 8000, "元"), ("培训职工", 900, "人次"))
    )
    save("南坪乡工会", sheet("南坪乡工会", m), approve=False)  # fmt: skip
    out = make_rollup(accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="all")
    info = out.sheet.rollup
    assert info is not None
    assert sorted(i.unit for i in info.included) == ["东溪镇工会", "西岭镇工会"]
    assert sorted((x.unit, x.reason) for x in info.missing) == [
        ("东溪镇某厂工会", "未报送"),
        ("南坪乡工会", "事实表未审核"),
    ]
    by = {x.label: x for x in out.sheet.metrics}
    assert by["走访困难职工"].value == 65 and by["慰问金"].value == 3.3 and by["慰问金"].unit == "万元"
    # 人 vs 人次: not summed, listed, the total says whom it lacks
    assert by["培训职工"].value == 300 and "西岭镇工会" in by["培训职工"].not_included
    (c,) = info.conflicts
    assert c.unit == "西岭镇工会" and c.measure == "人次"
    # saved: the rolled sheet is the county's, and its parts name each unit's sheet and revision
    saved = store.factsheet(out.stored.factsheet_id)
    assert saved.data["unit"]["name"] == "云岭县总工会" and accounts.record("factsheet", saved.id).unit_id == county
    part = saved.data["metrics"][0]["parts"][0]
    assert part["unit"] == "东溪镇工会" and part["revision"] == 1 and part["sheet"]


def test_a_unit_changing_its_sheet_after_the_roll_up_makes_it_stale(world):
    store, accounts, rollups, county, towns, save = world
    fid = save("东溪镇工会", sheet("东溪镇工会", ("走访困难职工", 40, "户")))
    save("西岭镇工会", sheet("西岭镇工会", ("走访困难职工", 25, "户")))
    out = make_rollup(accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="direct")
    assert stale(rollups, out.sheet) == []
    store.save_factsheet(sheet("东溪镇工会", ("走访困难职工", 44, "户")), fid)
    (s,) = stale(rollups, out.sheet)
    assert (s.unit, s.revision, s.now) == ("东溪镇工会", 1, 2)
    # changed after approval: not approved any more, so rolling again lists it until it is approved again
    again = make_rollup(
        accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="direct", rollup_id=out.stored.id
    )
    assert again.stored.id == out.stored.id and again.stored.factsheet_id == out.stored.factsheet_id
    assert ("东溪镇工会", "事实表未审核") in [(x.unit, x.reason) for x in again.sheet.rollup.missing]
    rollups.approve(fid, 2, None)
    third = make_rollup(
        accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="direct", rollup_id=out.stored.id
    )
    assert third.sheet.metrics[0].value == 69 and stale(rollups, third.sheet) == []
    assert store.factsheet(out.stored.factsheet_id).revision == 3


def test_uploads_confirmations_and_own_facts_survive_a_second_roll_up(world):
    store, accounts, rollups, county, towns, save = world
    save("东溪镇工会", sheet("东溪镇工会", ("走访慰问困难职工", 40, "户"), notes=("结对帮扶到户",)))
    save("西岭镇工会", sheet("西岭镇工会", ("走访慰问困难职工", 25, "户")))
    upload = Upload("南坪乡工会", "南坪乡.xlsx", sheet("南坪乡工会", ("慰问困难职工", 9, "户")))
    out = make_rollup(
        accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="direct", uploads=[upload],
        picks=[("东溪镇工会", "w0")],
    )  # fmt: skip
    (p,) = out.sheet.rollup.proposals
    assert p.label == "慰问困难职工" and p.units == ["南坪乡工会"]
    src, dst = confirmation(p.label, p.into, None)
    rollups.confirm(county, src, dst, None)
    # the federation adds its own fact on top of the rolled sheet
    data = store.factsheet(out.stored.factsheet_id).data
    data["honours"] = [{"id": "h1", "title": "全省模范职工之家"}]
    store.save_factsheet(data, out.stored.factsheet_id)
    again = make_rollup(
        accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="direct", rollup_id=out.stored.id
    )
    assert not again.sheet.rollup.proposals and again.sheet.metrics[0].value == 74  # the file still counts
    assert {i.unit: i.source for i in again.sheet.rollup.included}["南坪乡工会"] == "file"
    assert again.sheet.honours[0].title == "全省模范职工之家"
    assert [n.unit for _, n in again.sheet.all_notes()] == ["东溪镇工会"]  # the pick is kept
    assert rollups.confirmations(county) == {src: dst}


def test_uploads_only_for_units_below_and_names_must_be_distinct(world):
    store, accounts, rollups, county, towns, save = world
    with pytest.raises(RollupRefused, match="不是东溪镇工会的下级单位"):
        make_rollup(
            accounts, rollups, store, unit_id=towns["东溪镇工会"], year=2025, period="annual", scope="all",
            uploads=[Upload("西岭镇工会", "x.yaml", sheet("西岭镇工会"))],
        )  # fmt: skip
    accounts.create_unit("东溪镇工会", "township", towns["南坪乡工会"])
    with pytest.raises(RollupRefused, match="重名"):
        make_rollup(accounts, rollups, store, unit_id=county, year=2025, period="annual", scope="all")


def test_indicator_lists_are_found_from_the_nearest_unit_above(world):
    store, accounts, rollups, county, towns, save = world
    data = {
        "unit": "云岭县总工会",
        "year": 2025,
        "indicators": [{"key": "visits", "label": "走访困难职工", "unit": "户"}],
    }
    rollups.publish_indicators(county, 2025, "annual", data, None)
    assert rollups.indicators_for(towns["东溪镇某厂工会"], 2025, "annual") == (county, data)
    assert rollups.indicators_for(towns["东溪镇工会"], 2024, "annual") is None
    data2 = dict(data, indicators=[*data["indicators"], {"key": "funds", "label": "慰问金", "unit": "元"}])
    rollups.publish_indicators(county, 2025, "annual", data2, None)  # published again: replaced
    assert len(rollups.indicators(county, 2025, "annual")["indicators"]) == 2
