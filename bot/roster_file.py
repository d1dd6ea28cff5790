"""Reading a roster file (CSV or XLSX) into numbered rows of named cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot import texts

REQUIRED = ("town", "village", "name", "role")


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message is for the person running the import."""


def read_roster(path: Path) -> list[tuple[int, Mapping[str, str]]]:
    """Rows of the file as (row number as a spreadsheet shows it, {field: cell}) after the header row."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = list(csv.reader(io.StringIO(_decode(path.read_bytes()))))
        elif suffix == ".xlsx":
            table = _xlsx_rows(path)
        else:
            raise RosterFileError(texts.ROSTER_UNSUPPORTED.format(suffix=suffix or path.name))
    except (OSError, ValueError, KeyError) as exc:
        raise RosterFileError(texts.ROSTER_UNREADABLE.format(path=path, reason=exc)) from exc
    return _named_rows(table)


def _decode(data: bytes) -> str:
    # Excel in China saves CSV as GBK; try UTF-8 (with or without BOM) first.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _xlsx_rows(path: Path) -> list[list[str]]:
    # Imported here: openpyxl takes about 0.3 s to import, and only a roster import from .xlsx needs it.
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    # Phone numbers typed into Excel come back as numbers (13800000000.0 or 13800000000).
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _named_rows(table: Iterable[list[str]]) -> list[tuple[int, Mapping[str, str]]]:
    rows = iter(enumerate(table, start=1))
    for _, header in rows:
        if any(cell.strip() for cell in header):
            break
    else:
        raise RosterFileError(texts.ROSTER_EMPTY)
    fields = [
        texts.ROSTER_HEADERS.get(cell.strip().lower(), texts.ROSTER_HEADERS.get(cell.strip(), "")) for cell in header
    ]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise RosterFileError(texts.ROSTER_MISSING_COLUMNS.format(columns=", ".join(missing)))
    named: list[tuple[int, Mapping[str, str]]] = []
    for number, cells in rows:
        named.append((number, {field: cell for field, cell in zip(fields, cells, strict=False) if field}))
    return named
