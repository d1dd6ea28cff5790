"""`gridsafe roster import`: good files, Chinese headers and encodings, re-import, and bad files rejected whole."""

from __future__ import annotations

import csv
import re
import sqlite3
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot import texts
from bot.cli import main
from bot.roster_file import read_roster

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "roster.csv"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\ndatabase = "data/g.db"\nmedia_dir = "data/media"\n', encoding="utf-8")
    return path


def _count(config: Path, sql: str) -> int:
    with sqlite3.connect(config.parent / "data" / "g.db") as conn:
        return int(conn.execute(sql).fetchone()[0])


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)
    return path


def test_example_roster_has_the_county_shape() -> None:
    with EXAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    towns = {r["town"] for r in rows if r["town"]}
    villages = {(r["town"], r["village"]) for r in rows if r["village"]}
    assert len(towns) == 15
    assert len(villages) == 179
    officers = [r for r in rows if r["role"] == "officer"]
    assert sorted((r["town"], r["village"]) for r in officers) == sorted(villages)
    for town in towns:
        supervisors = [r for r in rows if r["role"] == "supervisor" and r["town"] == town]
        assert 1 <= len(supervisors) <= 2
    assert [r["role"] for r in rows].count("admin") == 1


def test_import_example_roster_then_reimport_changes_nothing(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-c", str(config), "roster", "import", str(EXAMPLE)]) == 0
    assert "15 个镇、179 个村，新增 200 人" in capsys.readouterr().out
    assert _count(config, "SELECT COUNT(*) FROM people") == 200
    assert main(["-c", str(config), "roster", "import", str(EXAMPLE)]) == 0
    assert "新增 0 人，更新 0 人，未变 200 人" in capsys.readouterr().out
    assert _count(config, "SELECT COUNT(*) FROM people") == 200
    assert _count(config, "SELECT COUNT(*) FROM villages") == 179


def test_reimport_updates_a_changed_phone(tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = ["town", "village", "name", "role", "phone"]
    first = _write_csv(tmp_path / "a.csv", [header, ["青龙镇", "新龙村", "王伟", "officer", "13800000001"]])
    second = _write_csv(tmp_path / "b.csv", [header, ["青龙镇", "新龙村", "王伟", "officer", "13900000002"]])
    assert main(["-c", str(config), "roster", "import", str(first)]) == 0
    assert main(["-c", str(config), "roster", "import", str(second)]) == 0
    assert "更新 1 人" in capsys.readouterr().out
    assert _count(config, "SELECT COUNT(*) FROM people WHERE phone = '13900000002'") == 1
    assert _count(config, "SELECT COUNT(*) FROM people") == 1


def test_xlsx_with_chinese_headers_and_role_names(tmp_path: Path, config: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["镇", "村", "姓名", "角色", "电话"])
    sheet.append(["白石镇", "石桥村", "李娜", "信息员", 13800000003])
    sheet.append(["白石镇", None, "赵刚", "镇安监员", None])
    sheet.append([None, None, "周敏", "管理员", "0731-1234567"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert main(["-c", str(config), "roster", "import", str(path)]) == 0
    assert _count(config, "SELECT COUNT(*) FROM people WHERE role = 'officer' AND phone = '13800000003'") == 1
    assert _count(config, "SELECT COUNT(*) FROM people WHERE role = 'supervisor' AND village_id IS NULL") == 1
    assert _count(config, "SELECT COUNT(*) FROM people WHERE role = 'admin' AND town_id IS NULL") == 1


def test_csv_saved_by_chinese_excel_in_gbk(tmp_path: Path, config: Path) -> None:
    path = _write_csv(
        tmp_path / "gbk.csv", [["镇", "村", "姓名", "角色", "电话"], ["清河镇", "河口村", "陈静", "信息员", ""]], "gbk"
    )
    assert main(["-c", str(config), "roster", "import", str(path)]) == 0
    assert _count(config, "SELECT COUNT(*) FROM villages") == 1


def test_bad_file_is_rejected_whole_with_row_numbers(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ["town", "village", "name", "role", "phone"],
        ["青龙镇", "新龙村", "王伟", "officer", "13800000001"],  # row 2: fine
        ["青龙镇", "", "刘洋", "officer", ""],  # row 3: officer without village
        ["青龙镇", "新龙村", "", "officer", ""],  # row 4: no name
        ["", "", "孙丽", "boss", ""],  # row 5: unknown role
        ["青龙镇", "新龙村", "王伟", "officer", "abc"],  # row 6: bad phone
        ["青龙镇", "新龙村", "王伟", "officer", ""],  # row 7: duplicate of row 2
        ["青龙镇", "", "吴军", "admin", ""],  # row 8: admin with a town
    ]
    path = _write_csv(tmp_path / "bad.csv", rows)
    assert main(["-c", str(config), "roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "未导入任何数据" in err
    for row, reason in [
        (3, "信息员必须填写所属村"),
        (4, "缺少姓名"),
        (5, "角色「boss」无法识别"),
        (6, "电话号码「abc」格式不正确"),
        (7, "与第 2 行重复"),
        (8, "管理员不属于某个镇或村"),
    ]:
        assert f"第 {row} 行：{reason}" in err
    assert "第 2 行" not in err.replace("与第 2 行", "")
    assert not (config.parent / "data" / "g.db").exists() or _count(config, "SELECT COUNT(*) FROM people") == 0


def test_missing_columns_and_wrong_file_type(tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_csv(tmp_path / "cols.csv", [["town", "name"], ["青龙镇", "王伟"]])
    assert main(["-c", str(config), "roster", "import", str(path)]) == 1
    assert "缺少必需的列：village, role" in capsys.readouterr().err
    other = tmp_path / "roster.txt"
    other.write_text("x", encoding="utf-8")
    assert main(["-c", str(config), "roster", "import", str(other)]) == 1
    assert "不支持的名册文件类型：.txt" in capsys.readouterr().err


# ---- bad files (issue 13.6): each answered in Chinese, naming the problem, with the work bounded ----


def _xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info.filename, change(data) if info.filename == member else data)


HEADER = ["town", "village", "name", "role", "phone"]


def test_xlsx_declaring_a_huge_dimension_reads_only_its_rows(tmp_path: Path, config: Path) -> None:
    path = _xlsx(tmp_path / "dim.xlsx", [HEADER, ["青龙镇", "新龙村", "王伟", "officer", None]])
    _rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    rows = read_roster(path)  # padded to 16,384 columns × 1,048,576 rows this was 24 GB
    assert [dict(r) for _, r in rows] == [{"town": "青龙镇", "village": "新龙村", "name": "王伟", "role": "officer"}]
    assert main(["-c", str(config), "roster", "import", str(path)]) == 0
    assert _count(config, "SELECT COUNT(*) FROM people") == 1


def test_xlsx_that_is_no_zip_or_has_broken_xml_is_refused_in_chinese(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("town,village,name,role\n", encoding="utf-8")
    assert main(["-c", str(config), "roster", "import", str(fake)]) == 1
    assert capsys.readouterr().err.strip() == texts.ROSTER_NOT_XLSX
    broken = _xlsx(tmp_path / "broken.xlsx", [HEADER, ["青龙镇", "新龙村", "王伟", "officer", None]])
    _rewrite_member(broken, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", b"<row><c>"))
    assert main(["-c", str(config), "roster", "import", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("名册 .xlsx 文件内容已损坏") and "Traceback" not in err


def test_csv_field_over_128_kb_is_refused_in_chinese(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_csv(tmp_path / "field.csv", [HEADER, ["青龙镇", "新龙村", "王" * 140_000, "officer", ""]])
    assert main(["-c", str(config), "roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("名册 CSV 文件格式错误") and "Traceback" not in err


def test_nul_control_and_invisible_characters_are_cleaned_from_names(tmp_path: Path, config: Path) -> None:
    rows = [
        HEADER,
        ["青龙镇\x07", "新龙村", "王\x00伟", "officer", ""],
        ["青龙镇", "", "肖浩\u200b", "supervisor", ""],
        ["白石镇", "石桥\u202e村", "李\u200d娜\n", "officer", ""],
    ]
    path = _write_csv(tmp_path / "nul.csv", rows)
    assert main(["-c", str(config), "roster", "import", str(path)]) == 0
    with sqlite3.connect(config.parent / "data" / "g.db") as conn:
        names = sorted(r[0] for r in conn.execute("SELECT name FROM people"))
        places = sorted(r[0] for r in conn.execute("SELECT name FROM towns UNION ALL SELECT name FROM villages"))
    assert names == sorted(["王伟", "肖浩", "李娜"])
    assert places == sorted(["青龙镇", "白石镇", "新龙村", "石桥村"])
