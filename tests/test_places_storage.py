"""Places in storage: lookups, buttons and coverage are index range scans; coverage over a simulated month; the
三张清单 read back from the ledger."""

from __future__ import annotations

import asyncio
import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot import texts
from bot.cli import main
from bot.clock import FakeClock
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.domain.places import Coverage
from bot.places_file import read_places
from bot.services.container import Services
from storage.places import PlaceRepository, existing_sql
from tests.scenario import Cast, attempt, bind, report
from tests.test_e2e_queries import SHANGHAI

HEADER = ["镇", "村", "名称", "类型", "责任人", "电话", "风险等级", "状态", "行业", "高危"]
PLACES = [
    ["青龙镇", "新龙村", "新龙化工有限公司", "企业", "张老板", "13900000001", "红", "在营", "化工", "是"],
    ["青龙镇", "新龙村", "幸福超市", "小商店", "张老板", "", "橙", "在营", "", ""],
    ["青龙镇", "新龙村", "新龙饭店", "小餐馆", "李四", "13900000002", "黄", "在营", "", ""],
    ["青龙镇", "新龙村", "老粮站", "其他", "", "", "蓝", "关闭", "", ""],
    ["青龙镇", "牛冲村", "牛冲卫生室", "小诊所", "王五", "", "蓝", "停业整顿", "", ""],
    ["白石镇", "民溪村", "民溪旅社", "小旅馆", "赵六", "", "黄", "在营", "", ""],
]


async def import_places(services: Services, folder: Path, rows: list[list[str]] = PLACES, chunk: int = 20_000) -> Any:
    path = folder / "places.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return await services.places.import_entries(await services.places.validate(read_places(path)), chunk=chunk)


async def test_a_large_file_is_written_in_chunks_with_the_same_result(services: Services, tmp_path: Path) -> None:
    imported = await import_places(services, tmp_path, chunk=4)
    assert (imported.places.added, imported.owners_added) == (len(PLACES), 4)
    assert len(await ids(services)) == len(PLACES)
    again = await import_places(services, tmp_path, chunk=4)
    assert (again.places.unchanged, again.owners_added) == (len(PLACES), 0)
    events = await services.db.fetch_all("SELECT count(*) FROM place_events")
    assert events[0][0] == len(PLACES)


async def ids(services: Services) -> dict[str, Any]:
    rows = await services.db.fetch_all("SELECT name, id, town_id, village_id FROM places")
    return {row["name"]: row for row in rows}


async def plan(services: Services, sql: str, params: list[Any]) -> str:
    rows = await services.db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)
    return "\n".join(str(row["detail"]) for row in rows)


async def test_place_lookups_buttons_and_coverage_are_index_range_scans(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_places(services, tmp_path)
    named = await ids(services)
    db = services.db
    captured: list[tuple[str, list[Any]]] = []
    fetch_all = db.fetch_all

    async def recording(sql: str, params: Any = ()) -> Any:
        captured.append((sql, list(params)))
        return await fetch_all(sql, params)

    monkeypatch.setattr(db, "fetch_all", recording)
    repo = PlaceRepository(db)
    place = named["幸福超市"]
    expected = {
        "named": "SEARCH places USING COVERING INDEX places_village_name (village_id=? AND name=?)",
        "buttons": "SEARCH places USING INDEX places_village_use (village_id=?)",
        "typed": "SEARCH places USING INDEX places_village_name (village_id=? AND name>? AND name<?)",
        "due": "SEARCH places USING COVERING INDEX places_town_grade (town_id=? AND status=?)",
        "visits": "SEARCH place_visits USING COVERING INDEX place_visits_town (town_id=? AND visited_at>? AND",
    }
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert await repo.named(place["village_id"], "幸福超市") == place["id"]
    assert [name for _, name in await repo.of_village(place["village_id"], 6)] == [
        "幸福超市",
        "新龙化工有限公司",
        "新龙饭店",
    ]  # by name while none is used; the closed 老粮站 is not offered
    assert await repo.of_village(place["village_id"], 6, "新龙") == [
        (named["新龙化工有限公司"]["id"], "新龙化工有限公司"),
        (named["新龙饭店"]["id"], "新龙饭店"),
    ]
    assert len(await repo.due_places(place["town_id"])) == 4  # the closed place is due nothing
    assert await repo.visits(place["town_id"], start, start + timedelta(days=30)) == []
    queries = [c for c in captured if "FROM places" in c[0] or "FROM place_visits" in c[0]]
    plans = [await plan(services, sql, params) for sql, params in queries]
    monkeypatch.undo()
    for (label, wanted), found in zip(expected.items(), plans, strict=True):
        assert wanted in found, (label, found)
        assert "SCAN" not in found, (label, found)
        # Only a typed prefix sorts its few matches by use; the buttons come in index order.
        assert ("TEMP B-TREE" in found) == (label == "typed"), (label, found)


async def test_an_import_finds_existing_places_by_index(services: Services, tmp_path: Path) -> None:
    await import_places(services, tmp_path)
    found = await plan(services, existing_sql(3), [1, "幸福超市", 2, "新龙饭店", 3, "x"])
    assert "SEARCH p USING INDEX places_village_name (village_id=? AND name=?)" in found, found
    assert "SCAN p" not in found and "SCAN places" not in found, found


async def test_coverage_over_a_simulated_month(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    place = await ids(services)
    repo = PlaceRepository(services.db)

    async def visit(name: str, day: date) -> None:
        clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))
        async with services.db.transaction() as tx:
            await repo.visit(tx, place[name]["id"], cast.officer.id, clock.now())

    # November 2026: the red works weekly (5 weeks close in the month), the orange shop every two weeks (3), the
    # yellow restaurant monthly (1); 牛冲村's blue clinic is not due before the quarter closes in December.
    for day in (date(2026, 11, 1), date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 20), date(2026, 11, 29)):
        await visit("新龙化工有限公司", day)
    await visit("幸福超市", date(2026, 11, 16))
    await visit("新龙饭店", date(2026, 12, 1))  # too late for November
    await visit("牛冲卫生室", date(2026, 10, 5))
    qinglong = place["幸福超市"]["town_id"]
    xinlong, niuchong = place["幸福超市"]["village_id"], place["牛冲卫生室"]["village_id"]

    november = await services.places.coverage([qinglong], date(2026, 11, 1), date(2026, 12, 1))
    # Works: weeks of Oct 26, Nov 2, Nov 16, Nov 23 visited, Nov 9 missed (4 of 5); shop: 1 of 3; restaurant 0 of 1.
    assert november == {qinglong: {xinlong: Coverage(visited=5, due=9), niuchong: Coverage(visited=0, due=0)}}
    december = await services.places.coverage([qinglong], date(2026, 12, 1), date(2027, 1, 1))
    assert december[qinglong][niuchong] == Coverage(visited=1, due=1)  # October's visit counts for the quarter
    assert december[qinglong][xinlong] == Coverage(visited=1, due=4 + 2 + 1)  # only the restaurant's month
    uses = await services.db.fetch_all(
        "SELECT name, uses FROM places WHERE village_id = ? ORDER BY uses DESC", [xinlong]
    )
    assert [tuple(row) for row in uses][:2] == [("新龙化工有限公司", 5), ("幸福超市", 1)]


async def test_ledger_has_the_three_lists(
    services: Services, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    await bind(services, Role.OWNER, village="牛冲村", name="闲人")
    clock.set(datetime(2026, 11, 3, 10, tzinfo=SHANGHAI))
    hazard = await report(services, cast.officer)
    await attempt(services, cast.supervisor, hazard.id, Move.ASSIGN)  # to 张老板, 7 days
    place = await ids(services)
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE hazards SET place_id = ? WHERE id = ?", (place["幸福超市"]["id"], hazard.id))
        await PlaceRepository(services.db).visit(tx, place["幸福超市"]["id"], cast.officer.id, clock.now())
    storage = services.settings.storage
    config = tmp_path / "cli.toml"
    config.write_text(f'[storage]\ndatabase = "{storage.database}"\nmedia_dir = "{storage.media_dir}"\n', "utf-8")
    xlsx = tmp_path / "ledger.xlsx"
    assert await asyncio.to_thread(main, ["-c", str(config), "export", "--month", "2026-11", "-o", str(xlsx)]) == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == [
        texts.SHEET_HAZARDS,
        texts.SHEET_CHECKS,
        texts.SHEET_STATS,
        texts.SHEET_PLACES,
        texts.SHEET_OWNERS,
    ]
    hazards = [list(r) for r in book[texts.SHEET_HAZARDS].iter_rows(values_only=True)]
    assert len(hazards) == 2
    places = [list(r) for r in book[texts.SHEET_PLACES].iter_rows(values_only=True)]
    assert places[0] == texts.PLACE_LEDGER_HEADERS
    by_name = {row[3]: dict(zip(texts.PLACE_LEDGER_HEADERS, row, strict=True)) for row in places[1:]}
    assert set(by_name) == {row[2] for row in PLACES}
    shop = by_name["幸福超市"]
    assert (shop["镇"], shop["村（社区）"], shop["类型"], shop["风险等级"], shop["状态"]) == (
        "青龙镇",
        "新龙村",
        "小商店",
        "橙",
        "在营",
    )
    assert (shop["责任人"], shop["责任人电话"], shop["未整改隐患"], shop["核实"]) == (
        "张老板",
        "13900000001",
        1,
        "已核实",
    )
    assert shop["最近排查"] == datetime(2026, 11, 3, 10, 0)
    works = by_name["新龙化工有限公司"]
    assert (works["行业"], works["高危"], works["风险等级"]) == ("化工", "是", "红")
    assert by_name["老粮站"]["状态"] == "关闭" and by_name["老粮站"]["责任人"] is None
    owners = [list(r) for r in book[texts.SHEET_OWNERS].iter_rows(values_only=True)]
    assert owners[0] == texts.OWNER_LEDGER_HEADERS
    by_owner = {row[2]: dict(zip(texts.OWNER_LEDGER_HEADERS, row, strict=True)) for row in owners[1:]}
    boss = by_owner["张老板"]
    assert (boss["场所数"], boss["负责场所"], boss["未整改隐患"]) == (2, "幸福超市、新龙化工有限公司", 1)
    assert boss["最近整改期限"] == datetime(2026, 11, 10)
    assert by_owner["李四"]["场所数"] == 1 and by_owner["李四"]["最近整改期限"] is None
    assert "闲人" not in by_owner  # an owner with no place and no open hazard answers for nothing yet
    assert set(by_owner) == {"张老板", "李四", "王五", "赵六"}
