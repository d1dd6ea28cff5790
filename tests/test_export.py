"""The ledger: /export in chat (read back with openpyxl), `gridsafe export` with its GeoJSON, and who may export."""

from __future__ import annotations

import asyncio
import json
import re
import zipfile
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.cli import main
from bot.clock import FakeClock
from bot.domain.lifecycle import Move
from bot.services import ledger as ledger_service
from bot.services.container import Services
from tests.rig import Rig
from tests.scenario import Cast, attempt, report
from tests.test_e2e_queries import SHANGHAI, People, listing, scene


async def log_check(services: Services, kind: str, village: str | None, period: str, town: str = "青龙镇") -> None:
    """A check as /check stores it (the checks table of migration 0004)."""
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO checks (kind, town_id, village_id, period, person_id, places_checked, note, logged_at,"
            " updated_at) SELECT ?, t.id, v.id, ?, (SELECT MIN(id) FROM people), 3, '加油站、超市',"
            " '2026-11-18T01:30:00.000000Z', '2026-11-18T01:30:00.000000Z'"
            " FROM towns t LEFT JOIN villages v ON v.town_id = t.id AND v.name = ? WHERE t.name = ?",
            (kind, period, village, town),
        )


def rows(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def local(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0)


async def test_supervisor_gets_the_town_ledger_as_a_workbook(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    services = rig.services
    await log_check(services, "village", "新龙村", "2026-W47")
    await log_check(services, "town", None, "2026-11")
    await log_check(services, "village", "民溪村", "2026-W47", town="白石镇")
    boss = people.boss

    await boss.send("/export")
    sent = await boss.expect("隐患台账 · 青龙镇 · 2026年11月：隐患 7 条，排查记录 2 条。")
    assert sent.method == "sendDocument" and sent.document is not None
    assert sent.document.file_name == "隐患台账_青龙镇_2026-11.xlsx"
    assert "upload_document" in boss.chat_actions
    book = load_workbook(BytesIO(sent.document.data))
    assert book.sheetnames == [
        texts.SHEET_HAZARDS,
        texts.SHEET_CHECKS,
        texts.SHEET_STATS,
        texts.SHEET_PLACES,
        texts.SHEET_OWNERS,
    ]

    ledger = book[texts.SHEET_HAZARDS]
    table = rows(ledger)
    assert table[0] == texts.LEDGER_HEADERS
    assert ledger.freeze_panes == "A2" and ledger.auto_filter.ref == "A1:AC8"
    assert all(cell.font.b for cell in ledger[1]) and not ledger["A2"].font.b  # a bold header row
    widths = ledger.column_dimensions
    assert widths["G"].width >= 40 and widths["Z"].width >= 50 and 10 <= widths["A"].width < 20  # 描述, 照片, 编号
    by_id = {row[0]: dict(zip(texts.LEDGER_HEADERS, row, strict=True)) for row in table[1:]}
    assert [row[0] for row in table[1:]] == [
        s.old_overdue.id,
        s.new_overdue.id,
        s.major.id,
        s.in_review.id,
        s.closed.id,
        s.fresh.id,
        s.neighbour.id,
    ]  # reported order; 白石镇's hazard is not in 青龙镇's ledger
    (sha, extension), *_ = await rig.rows(
        "SELECT sha256, extension FROM hazard_photos WHERE hazard_id = ? AND stage = 'before'", (s.old_overdue.id,)
    )
    assert by_id[s.old_overdue.id] == {
        "编号": s.old_overdue.id,
        "镇": "青龙镇",
        "村（社区）": "新龙村",
        "场所": "幸福超市",
        "类别": "消防",
        "等级": "一般隐患",
        "描述": "消防通道堆放杂物",
        "纬度": None,
        "经度": None,
        "状态": "整改中",
        "即查即改": "否",
        "上报人": "曾英海",
        "上报时间": local(11, 2),
        "交办时间": local(11, 2),
        "责任人": "张老板",
        "责任人电话": None,
        "整改期限": datetime(2026, 11, 9),
        "提交整改时间": None,
        "整改说明": None,
        "关闭时间": None,
        "关闭原因": None,
        "关闭说明": None,
        "重复于": None,
        "逾期天数": 16,
        "按期整改": None,
        "整改前照片": f"隐患{s.old_overdue.id:04d}_整改前_1.{extension}",  # its name in the photo zip
        "整改后照片": None,
        "整改前缩略图": None,  # a picture, not a value
        "整改后缩略图": None,
    }
    closed = by_id[s.closed.id]
    assert (closed["状态"], closed["关闭原因"], closed["按期整改"]) == ("已销号", "已销号", "是")
    assert (closed["提交整改时间"], closed["关闭时间"], closed["整改说明"]) == (
        local(11, 22),
        local(11, 22),
        "已按要求处理",
    )
    assert closed["整改后照片"] == f"隐患{s.closed.id:04d}_整改后_1.png"
    # A thumbnail of the first before and after photo in the row: every hazard has a before photo, two an after one.
    anchors = sorted((image.anchor._from.row, image.anchor._from.col) for image in ledger._images)
    before_col, after_col = len(texts.LEDGER_HEADERS) - 2, len(texts.LEDGER_HEADERS) - 1
    ids = [row[0] for row in table[1:]]
    after_rows = [1 + ids.index(s.in_review.id), 1 + ids.index(s.closed.id)]
    assert anchors == sorted([(r, before_col) for r in range(1, 8)] + [(r, after_col) for r in after_rows])
    assert all(max(image.width, image.height) <= 160 for image in ledger._images)
    assert ledger.row_dimensions[2].height == ledger_service.THUMBNAIL_ROW_POINTS

    photos = await boss.expect("隐患照片 · 青龙镇 · 2026年11月：9 张，按隐患编号命名。")
    assert photos.method == "sendDocument" and photos.document is not None
    assert photos.document.file_name == "隐患台账_青龙镇_2026-11_照片.zip"
    with zipfile.ZipFile(BytesIO(photos.document.data)) as archive:
        names = archive.namelist()
        assert len(names) == 9 and f"隐患{s.old_overdue.id:04d}_整改前_1.{extension}" in names
        stored = rig.services.media.path(sha, extension).read_bytes()
        assert archive.read(f"隐患{s.old_overdue.id:04d}_整改前_1.{extension}") == stored
    assert by_id[s.major.id]["等级"] == "重大隐患" and by_id[s.fresh.id]["状态"] == "待交办"
    assert ledger["M2"].is_date and ledger["M2"].number_format == "yyyy-mm-dd hh:mm"
    assert ledger["Q2"].is_date and ledger["Q2"].number_format == "yyyy-mm-dd"

    checks = book[texts.SHEET_CHECKS]
    assert checks.freeze_panes == "A2" and checks.auto_filter.ref == "A1:J3"
    assert [row[:6] for row in rows(checks)] == [
        texts.CHECK_HEADERS[:6],
        ["村周排查", "青龙镇", "新龙村", "2026-W47", "肖浩", 3],
        ["镇月排查", "青龙镇", None, "2026-11", "肖浩", 3],
    ]
    assert rows(checks)[1][8] == datetime(2026, 11, 18, 9, 30)

    stats = book[texts.SHEET_STATS]
    figures = rows(stats)
    assert figures[0] == texts.STATS_HEADERS and len(figures) == 1 + 1 + 12
    assert stats.freeze_panes == "A2" and stats.auto_filter.ref == "A1:R14"
    total = dict(zip(texts.STATS_HEADERS, figures[1], strict=True))
    assert total["范围"] == "青龙镇合计"
    assert [total[k] for k in ("上报", "已销号", "不属实", "重复", "应整改", "按期整改", "当前逾期")] == [
        7,
        1,
        0,
        0,
        7,
        1,
        2,
    ]
    assert total["整改率"] == pytest.approx(1 / 7) and total["按期整改率"] == 1
    assert [total[k] for k in ("村周排查完成", "村周排查应完成", "镇月排查完成", "镇月排查应完成")] == [1, 48, 1, 1]
    assert total["排查完成率"] == pytest.approx((1 / 48 + 1) / 2)
    assert stats["G2"].number_format == "0.0%"
    village = next(dict(zip(texts.STATS_HEADERS, row, strict=True)) for row in figures if row[0] == "新龙村")
    assert (village["上报"], village["当前逾期"], village["村周排查完成"], village["镇月排查应完成"]) == (6, 2, 1, 0)


async def test_admin_exports_the_city_and_others_may_not(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    await log_check(rig.services, "village", "民溪村", "2026-W47", town="白石镇")
    await people.admin.send("导出 2026-11")
    sent = await people.admin.expect("隐患台账 · 全市 · 2026年11月：隐患 8 条，排查记录 1 条。")
    assert sent.document is not None and sent.document.file_name == "隐患台账_全市_2026-11.xlsx"
    book = load_workbook(BytesIO(sent.document.data))
    assert s.elsewhere.id in [row[0] for row in rows(book[texts.SHEET_HAZARDS])[1:]]
    figures = rows(book[texts.SHEET_STATS])
    assert figures[1][:3] == ["全市合计", 8, 1] and len(figures) == 1 + 1 + 15
    assert (await listing(people.officer, "/export")).text == texts.NOT_ALLOWED
    assert (await listing(people.owner, "导出")).text == texts.NOT_ALLOWED
    assert (await listing(people.admin, "/export 2030-01")).text == texts.BAD_MONTH
    await people.admin.send("/export 上月")
    october = await people.admin.expect("隐患台账 · 全市 · 2026年10月：隐患 0 条")
    assert october.document is not None
    assert rows(load_workbook(BytesIO(october.document.data))[texts.SHEET_HAZARDS]) == [texts.LEDGER_HEADERS]


async def test_gridsafe_export_writes_the_ledger_and_located_hazards_as_geojson(
    services: Services, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cast = await Cast.assemble(services)
    clock.set(datetime(2026, 10, 30, 10, tzinfo=SHANGHAI))
    await report(services, cast.officer, location=(28.1, 112.9))  # October: not in November's files
    clock.set(datetime(2026, 11, 3, 10, tzinfo=SHANGHAI))
    located = await report(services, cast.officer, location=(28.22817, 112.93881))
    await report(services, cast.officer)  # no location: in the ledger, not on the map
    assigned = await report(services, cast.officer, place="村口加油站", location=(28.3, 112.95))
    await attempt(services, cast.supervisor, assigned.id, Move.ASSIGN)
    storage = services.settings.storage
    config = tmp_path / "cli.toml"
    config.write_text(f'[storage]\ndatabase = "{storage.database}"\nmedia_dir = "{storage.media_dir}"\n', "utf-8")
    xlsx, geojson = tmp_path / "ledger.xlsx", tmp_path / "hazards.geojson"

    argv = ["-c", str(config), "export", "--month", "2026-11", "-o", str(xlsx), "--geojson", str(geojson)]
    assert await asyncio.to_thread(main, argv) == 0
    out = capsys.readouterr().out
    assert "隐患 3 条" in out and "有位置的隐患 2 条" in out
    photos = tmp_path / "ledger_照片.zip"  # beside the workbook, every photo of the month (no chat size bound)
    assert f"的隐患照片 3 张（按隐患编号命名）→ {photos}" in out
    with zipfile.ZipFile(photos) as archive:
        assert len(archive.namelist()) == 3 and all(
            re.fullmatch(r"隐患\d{4}_整改前_1\.\w+", n) for n in archive.namelist()
        )

    ledger = rows(load_workbook(xlsx)[texts.SHEET_HAZARDS])
    assert len(ledger) == 4 and ledger[1][7:9] == [28.22817, 112.93881]
    collection = json.loads(geojson.read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == [located.id, assigned.id]
    for feature in features:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        longitude, latitude = geometry["coordinates"]  # RFC 7946: longitude first
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert all(isinstance(c, float) for c in geometry["coordinates"])
    assert features[0]["geometry"]["coordinates"] == [112.93881, 28.22817]
    properties = features[1]["properties"]
    assert properties["name"] == f"#{assigned.id} 村口加油站" and properties["village"] == "新龙村"
    assert (properties["status"], properties["owner"], properties["deadline"]) == ("整改中", "张老板", "2026-11-10")

    assert await asyncio.to_thread(main, ["-c", str(config), "export", "--month", "2026-11"]) == 2
    assert texts.EXPORT_NEEDS_OUTPUT in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["-c", str(config), "export", "--month", "11/2026", "-o", str(xlsx)]) == 2
    assert texts.BAD_MONTH in capsys.readouterr().err
    missing = tmp_path / "no-such-folder" / "ledger.xlsx"
    assert await asyncio.to_thread(main, ["-c", str(config), "export", "-o", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "无法写入" in err and "no-such-folder" in err and "Traceback" not in err


async def test_text_typed_in_chat_stays_text_in_the_ledger(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    """Whatever an officer types is written as plain text: never a formula, a link, a number or sheet markup."""
    cast = await Cast.assemble(services)
    clock.set(datetime(2026, 11, 3, 10, tzinfo=SHANGHAI))
    places = [
        '=HYPERLINK("http://example.com","点我")',
        "<r>幸福超市</r>",  # what XlsxWriter takes for its own rich-text markup
        "https://example.com/超市",
        "0012",
        "超市\x07二楼",  # a control character, which no worksheet may hold
    ]
    for place in places:
        await report(services, cast.officer, place=place)

    folder = tmp_path / "out"
    folder.mkdir()
    written = await services.ledger.write_xlsx(None, services.statistics.period(["2026-11"], weeks=False), folder)
    assert written.path.parent == folder and written.hazards == len(places)
    assert list(folder.iterdir()) == [written.path]  # nothing else left behind
    ledger = load_workbook(written.path)[texts.SHEET_HAZARDS]
    cells = [row[3] for row in ledger.iter_rows(min_row=2)]  # 场所
    assert [cell.value for cell in cells] == [*places[:4], "超市二楼"]
    assert [(cell.data_type, cell.hyperlink) for cell in cells] == [("s", None)] * len(places)
