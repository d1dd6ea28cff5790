"""Places as a report picks them, in storage: a village's buttons and its typed search are index range scans (never a
scan of a province's places); a new place waits as 待核实 and is decided once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot import texts
from bot.cli import main
from bot.clock import FakeClock
from bot.domain.places import PlaceStatus
from bot.services.container import Services
from storage.place_choices import PlaceChoiceRepository
from tests.scenario import Cast, report
from tests.test_places_storage import ids, import_places, plan


async def test_buttons_search_and_lookups_are_index_range_scans(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    hazard = await report(services, cast.officer)
    named = await ids(services)
    village = named["幸福超市"]["village_id"]
    db = services.db
    captured: list[tuple[str, list[Any]]] = []
    fetch_all = db.fetch_all

    async def recording(sql: str, params: Any = ()) -> Any:
        captured.append((sql, list(params)))
        return await fetch_all(sql, params)

    monkeypatch.setattr(db, "fetch_all", recording)
    repo = PlaceChoiceRepository(db)
    assert await repo.any_in(village)
    assert [p.name for p in await repo.page(village, 9, 0)] == ["幸福超市", "新龙化工有限公司", "新龙饭店"]
    assert [p.name for p in await repo.search(village, "新龙", 9)] == ["新龙化工有限公司", "新龙饭店"]
    chosen = await repo.get(named["新龙饭店"]["id"])
    assert chosen is not None and chosen.village_id == village
    assert await repo.named(village, "新龙饭店") == chosen
    assert await repo.owner_of_hazard(hazard.id) is None  # typed as free text before: no place
    monkeypatch.undo()
    expected = [
        "SEARCH places USING INDEX places_village_use (village_id=?)",  # any_in
        "SEARCH places USING INDEX places_village_use (village_id=?)",  # a page of buttons, in index order
        "SEARCH places USING INDEX places_village_use (village_id=?)",  # the typed search: the village's range
        "SEARCH places USING INTEGER PRIMARY KEY (rowid=?)",  # a pressed button's place
        "SEARCH places USING INDEX places_village_name (village_id=? AND name=?)",  # a typed exact name
        "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)",  # the place owner at 交办
    ]
    assert len(captured) == len(expected)
    for (sql, params), wanted in zip(captured, expected, strict=True):
        found = await plan(services, sql, params)
        assert wanted in found, (sql, found)
        assert "SCAN" not in found, (sql, found)
    # The buttons come in the index's order (uses, name): no sort however many places the village has.
    assert "TEMP B-TREE" not in await plan(services, *captured[1])


async def test_the_most_used_come_first_and_closed_or_rejected_are_not_offered(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    named = await ids(services)
    village, town = named["幸福超市"]["village_id"], named["幸福超市"]["town_id"]
    repo = PlaceChoiceRepository(services.db)
    async with services.db.transaction() as tx:
        for _ in range(2):
            await repo.use(tx, named["新龙饭店"]["id"])
        added, asked = await repo.add_pending(
            tx,
            town_id=town,
            village_id=village,
            name="桥头小卖部",
            type_="其他",
            actor_id=cast.officer.id,
            now=clock.now(),
        )
        again = await repo.add_pending(
            tx,
            town_id=town,
            village_id=village,
            name="桥头小卖部",
            type_="其他",
            actor_id=cast.officer.id,
            now=clock.now(),
        )
    assert asked and again == (added, False)  # the same name again: the same place, nobody asked twice
    page = await repo.page(village, 9, 0)
    assert [(p.name, p.pending) for p in page] == [
        ("新龙饭店", False),
        ("幸福超市", False),
        ("新龙化工有限公司", False),
        ("桥头小卖部", True),
    ]
    assert [p.name for p in await repo.page(village, 2, 2)] == ["新龙化工有限公司", "桥头小卖部"]
    async with services.db.transaction() as tx:
        assert await repo.decide(tx, added, cast.supervisor.id, confirm=False, now=clock.now())
        assert not await repo.decide(tx, added, cast.supervisor.id, confirm=True, now=clock.now())
    rejected = await repo.get(added)
    assert rejected is not None and rejected.rejected and rejected.status is PlaceStatus.CLOSED and not rejected.offered
    assert "桥头小卖部" not in [p.name for p in await repo.page(village, 9, 0)]
    assert await repo.search(village, "桥头", 9) == []
    # Named again as a new place: waiting for the supervisor again (an event), not a second place.
    async with services.db.transaction() as tx:
        again = await repo.add_pending(
            tx,
            town_id=town,
            village_id=village,
            name="桥头小卖部",
            type_="其他",
            actor_id=cast.officer.id,
            now=clock.now(),
        )
    assert again == (added, True)
    waiting = await repo.get(added)
    assert waiting is not None and waiting.pending and waiting.offered
    events = await services.db.fetch_all(
        "SELECT actor_id, field, from_value, to_value FROM place_events WHERE place_id = ? ORDER BY id", (added,)
    )
    assert [tuple(e) for e in events] == [
        (cast.officer.id, "created", None, "桥头小卖部"),
        (cast.supervisor.id, "status", "open", "closed"),
        (cast.officer.id, "status", "closed", "open"),
    ]


async def test_a_places_file_naming_a_rejected_place_confirms_it(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    named = await ids(services)
    repo = PlaceChoiceRepository(services.db)
    async with services.db.transaction() as tx:
        added, _ = await repo.add_pending(
            tx,
            town_id=named["幸福超市"]["town_id"],
            village_id=named["幸福超市"]["village_id"],
            name="桥头小卖部",
            type_="其他",
            actor_id=cast.officer.id,
            now=clock.now(),
        )
        await repo.decide(tx, added, cast.supervisor.id, confirm=False, now=clock.now())
    row = ["青龙镇", "新龙村", "桥头小卖部", "小商店", "", "", "黄", "在营", "", ""]
    await import_places(services, tmp_path, [row])
    filed = await repo.get(added)
    assert filed is not None and filed.confirmed and not filed.rejected and filed.offered


async def test_the_ledger_says_which_new_places_wait_and_which_were_rejected(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    await import_places(services, tmp_path)
    cast = await Cast.assemble(services)
    named = await ids(services)
    repo = PlaceChoiceRepository(services.db)
    where = {"town_id": named["幸福超市"]["town_id"], "village_id": named["幸福超市"]["village_id"]}
    async with services.db.transaction() as tx:
        for name in ("桥头小卖部", "河边临时棚"):
            added, _ = await repo.add_pending(
                tx, **where, name=name, type_="其他", actor_id=cast.officer.id, now=clock.now()
            )
        await repo.decide(tx, added, cast.supervisor.id, confirm=False, now=clock.now())  # the shed
    storage = services.settings.storage
    config = tmp_path / "cli.toml"
    config.write_text(f'[storage]\ndatabase = "{storage.database}"\nmedia_dir = "{storage.media_dir}"\n', "utf-8")
    xlsx = tmp_path / "ledger.xlsx"
    assert await asyncio.to_thread(main, ["-c", str(config), "export", "-o", str(xlsx)]) == 0
    rows = [list(r) for r in load_workbook(xlsx)[texts.SHEET_PLACES].iter_rows(values_only=True)]
    by_name = {row[3]: dict(zip(texts.PLACE_LEDGER_HEADERS, row, strict=True)) for row in rows[1:]}
    assert (by_name["桥头小卖部"]["核实"], by_name["桥头小卖部"]["状态"]) == ("待核实", "在营")
    assert (by_name["河边临时棚"]["核实"], by_name["河边临时棚"]["状态"]) == ("已驳回", "关闭")
    assert by_name["幸福超市"]["核实"] == "已核实"
