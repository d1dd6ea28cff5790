"""Reading a roster file (CSV or XLSX) into numbered rows of named cells, with the work bounded before parsing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot import texts
from bot.domain import limits, vocabulary
from bot.table_file import TableFileError, TableSpec, read_table

REQUIRED = ("town", "village", "name", "role")

RosterFileError = TableFileError  # the file cannot be read as a roster

ROSTER = TableSpec(
    headers=vocabulary.ROSTER_HEADERS,
    required=REQUIRED,
    max_bytes=limits.MAX_ROSTER_FILE_BYTES,
    max_unpacked_bytes=limits.MAX_ROSTER_UNCOMPRESSED_BYTES,
    max_rows=limits.MAX_ROSTER_ROWS,
    texts=texts.ROSTER_FILE_TEXTS,
)


def read_roster(path: Path) -> list[tuple[int, Mapping[str, str]]]:
    """Rows of the file as (row number as a spreadsheet shows it, {field: cell}) after the header row."""
    return read_table(path, ROSTER)
