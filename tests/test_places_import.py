"""`gridsafe places import`: the example county's 底数清单, re-import, changes as events, bad files rejected whole."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot import texts
from bot.cli import main
from bot.domain.errors import PlaceFault, PlaceProblem

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "examples" / "roster.csv"
EXAMPLE = ROOT / "examples" / "places.csv"
HEADER = ["镇", "村", "名称", "类型", "地址", "纬度", "经度", "责任人", "电话", "风险等级", "状态", "行业", "高危"]
GOOD = [
    "青龙镇",
    "新龙村",
    "新龙便民超市",
    "小商店",
    "新龙村3组",
    "28.1",
    "112.9",
    "郭德",
    "13900000001",
    "黄",
    "在营",
    "",
    "",
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\ndatabase = "data/g.db"\nmedia_dir = "data/media"\n', encoding="utf-8")
    assert main(["-c", str(path), "roster", "import", str(ROSTER)]) == 0
    return path


def _rows(config: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(config.parent / "data" / "g.db") as conn:
        return conn.execute(sql).fetchall()


def _count(config: Path, sql: str) -> int:
    with sqlite3.connect(config.parent / "data" / "g.db") as conn:
        return int(conn.execute(sql).fetchone()[0])


def _csv(folder: Path, *rows: list[str], header: list[str] = HEADER) -> Path:
    path = folder / "places.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def _import(config: Path, path: Path) -> int:
    return main(["-c", str(config), "places", "import", str(path)])


def test_example_places_cover_every_village_with_the_nine_small_kinds() -> None:
    with EXAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with ROSTER.open(encoding="utf-8") as f:
        villages = {(r["town"], r["village"]) for r in csv.DictReader(f) if r["village"]}
    per_village: dict[tuple[str, str], int] = {}
    for row in rows:
        per_village[(row["镇"], row["村"])] = per_village.get((row["镇"], row["村"]), 0) + 1
    assert set(per_village) == villages
    assert all(3 <= count <= 8 for count in per_village.values())
    kinds = [row["类型"] for row in rows]
    assert kinds.count("小商店") > kinds.count("小生产加工企业") > kinds.count("小美容院/洗浴") > kinds.count("小旅馆")
    assert any(row["高危"] == "是" for row in rows)
    grades = [row["风险等级"] for row in rows]
    assert grades.count("黄") + grades.count("蓝") > 3 * (grades.count("橙") + grades.count("红")) / 2


def test_import_example_places_then_reimport_changes_nothing(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with EXAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = len(rows)
    owners = len({(r["镇"], r["村"], r["责任人"]) for r in rows})
    capsys.readouterr()
    assert _import(config, EXAMPLE) == 0
    out = capsys.readouterr().out
    assert texts.places_imported(total, 0, 0, owners, 0) in out
    assert _count(config, "SELECT count(*) FROM places") == total
    assert _count(config, "SELECT count(*) FROM places WHERE owner_id IS NULL") == 0
    # Every owner named is a roster owner of the place's village.
    assert (
        _count(
            config,
            "SELECT count(*) FROM places p JOIN people o ON o.id = p.owner_id"
            " WHERE o.role != 'owner' OR o.village_id != p.village_id",
        )
        == 0
    )
    assert _count(config, "SELECT count(*) FROM place_events WHERE field = 'created' AND actor_id IS NULL") == total
    assert _count(config, "SELECT count(*) FROM places WHERE type = '企业' AND high_risk = 1") > 0
    assert _import(config, EXAMPLE) == 0
    assert texts.places_imported(0, 0, total, 0, 0) in capsys.readouterr().out
    assert _count(config, "SELECT count(*) FROM places") == total
    assert _count(config, "SELECT count(*) FROM place_events") == total


def test_changes_in_a_later_file_are_events_with_from_and_to(config: Path) -> None:
    assert _import(config, _csv(config.parent, GOOD)) == 0
    changed = [*GOOD]
    changed[7], changed[9], changed[10] = "肖红", "红", "停业整顿"
    assert _import(config, _csv(config.parent, changed)) == 0
    events = _rows(config, "SELECT field, from_value, to_value FROM place_events ORDER BY id")
    old_owner, new_owner = (
        _count(config, f"SELECT id FROM people WHERE role = 'owner' AND name = '{name}'") for name in ("郭德", "肖红")
    )
    assert events == [
        ("created", None, "新龙便民超市"),
        ("grade", "yellow", "red"),
        ("owner", str(old_owner), str(new_owner)),
        ("status", "open", "suspended"),
    ]
    assert _rows(config, "SELECT grade, status FROM places") == [("red", "suspended")]


def test_english_headers_and_xlsx(config: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["town", "village", "name", "type", "grade", "owner", "phone", "industry", "high_risk"])
    sheet.append(["青龙镇", "新龙村", "新龙化工有限公司", "企业", "orange", "郭德", 13900000001, "化工", "是"])
    path = config.parent / "places.xlsx"
    book.save(path)
    assert _import(config, path) == 0
    assert _rows(config, "SELECT name, type, industry, high_risk, grade, status FROM places") == [
        ("新龙化工有限公司", "企业", "化工", 1, "orange", "open")
    ]
    assert _rows(config, "SELECT phone FROM people WHERE name = '郭德' AND role = 'owner'") == [("13900000001",)]


def _refused(config: Path, capsys: pytest.CaptureFixture[str], *rows: list[str]) -> str:
    capsys.readouterr()
    assert _import(config, _csv(config.parent, *rows)) != 0
    assert _count(config, "SELECT count(*) FROM places") == 0
    assert _count(config, "SELECT count(*) FROM people WHERE role = 'owner'") == 0
    return capsys.readouterr().err


def _line(problem: PlaceProblem) -> str:
    """The line of a refused file's answer that names this problem."""
    return f"第 {problem.row} 行：{texts.place_problem(problem)}"


def test_bad_rows_are_listed_with_reasons_and_nothing_is_imported(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_name = [*GOOD]
    no_name[2] = ""
    bad_phone = [*GOOD]
    bad_phone[2], bad_phone[8] = "新龙饭店", "12ab"
    bad_location = [*GOOD]
    bad_location[2], bad_location[5] = "新龙面馆", "95"
    err = _refused(config, capsys, GOOD, no_name, bad_phone, bad_location)
    assert texts.places_rejected([], 3).splitlines()[0] in err
    assert _line(PlaceProblem(3, PlaceFault.NAME_MISSING)) in err
    assert _line(PlaceProblem(4, PlaceFault.PHONE_INVALID, value="12ab")) in err
    assert _line(PlaceProblem(5, PlaceFault.LOCATION_INVALID, value="95", other="112.9")) in err


def test_a_duplicate_place_is_refused(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    again = [*GOOD]
    again[2] = "新龙便民超市\u200b"  # the same name once invisible characters are cleaned
    err = _refused(config, capsys, GOOD, again)
    assert _line(PlaceProblem(3, PlaceFault.DUPLICATE_ROW, other_row=2)) in err


def test_a_village_of_another_town_is_refused(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = [*GOOD]
    elsewhere[1] = "南屯社区"  # a village of 东湖街道, not of 青龙镇
    err = _refused(config, capsys, elsewhere)
    assert _line(PlaceProblem(2, PlaceFault.VILLAGE_UNKNOWN, value="青龙镇", other="南屯社区")) in err


def test_unknown_grade_type_and_status_words_are_refused(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = [*GOOD]
    row[3], row[9], row[10] = "网吧", "紫", "营业中"
    err = _refused(config, capsys, row)
    assert _line(PlaceProblem(2, PlaceFault.GRADE_UNKNOWN, value="紫")) in err
    assert _line(PlaceProblem(2, PlaceFault.STATUS_UNKNOWN, value="营业中")) in err
    assert "场所类型「网吧」无法识别" in err
    industry = [*GOOD]
    industry[11] = "化工"  # an industry belongs to an enterprise only
    assert _line(PlaceProblem(2, PlaceFault.INDUSTRY_NOT_ENTERPRISE)) in _refused(config, capsys, industry)


def test_a_file_without_the_required_columns_is_refused(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _import(config, _csv(config.parent, ["青龙镇", "新龙村", "x"], header=["镇", "村", "名称"])) != 0
    assert texts.places_missing_columns(["type"]) in capsys.readouterr().err
