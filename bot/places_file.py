"""Reading a places file (CSV or XLSX) into numbered rows of named cells, with the work bounded before parsing."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.domain import limits, vocabulary
from bot.table_file import Rows, TableSpec, iter_table

PLACES = TableSpec(
    headers=vocabulary.PLACE_HEADERS,
    required=("town", "village", "name", "type"),
    max_bytes=limits.MAX_PLACES_FILE_BYTES,
    max_unpacked_bytes=limits.MAX_PLACES_UNCOMPRESSED_BYTES,
    max_rows=limits.MAX_PLACES_ROWS,
    texts=texts.PLACES_FILE_TEXTS,
)


def read_places(path: Path) -> Rows:
    """The file's rows one at a time, as (row number as a spreadsheet shows it, {field: cell}) after the header."""
    return iter_table(path, PLACES)
