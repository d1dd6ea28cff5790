"""Reading a roster file (CSV or XLSX) into numbered rows of named cells, with the work bounded before parsing."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from xml.etree.ElementTree import ParseError

from bot import texts
from bot.domain import limits, vocabulary

REQUIRED = ("town", "village", "name", "role")


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message is for the person running the import."""


def read_roster(path: Path) -> list[tuple[int, Mapping[str, str]]]:
    """Rows of the file as (row number as a spreadsheet shows it, {field: cell}) after the header row."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise RosterFileError(texts.roster_unsupported(suffix or path.name))
    try:
        size = path.stat().st_size
        if size > limits.MAX_ROSTER_FILE_BYTES:
            raise RosterFileError(texts.roster_file_too_large(_mb(limits.MAX_ROSTER_FILE_BYTES)))
        if suffix == ".csv":
            return _named_rows(_bounded(csv.reader(io.StringIO(_decode(path.read_bytes())))))
        return _xlsx_rows(path)
    except csv.Error as exc:
        raise RosterFileError(texts.roster_bad_csv(str(exc))) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise RosterFileError(texts.roster_unreadable(path, str(exc))) from exc


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _decode(data: bytes) -> str:
    # Excel in China saves CSV as GBK; try UTF-8 (with or without BOM) first.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _bounded(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    """The rows, refusing the file as soon as it has more than the limit (never reading further)."""
    for count, row in enumerate(rows, start=1):
        if count > limits.MAX_ROSTER_ROWS:
            raise RosterFileError(texts.roster_too_many_rows(limits.MAX_ROSTER_ROWS))
        yield row


def _xlsx_rows(path: Path) -> list[tuple[int, Mapping[str, str]]]:
    # What the zip would unpack to is known before anything is unpacked; zipfile stops reading a member at its
    # declared size, so a zip bomb is refused here rather than discovered in memory.
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise RosterFileError(texts.ROSTER_NOT_XLSX) from exc
    if unpacked > limits.MAX_ROSTER_UNCOMPRESSED_BYTES:
        raise RosterFileError(texts.roster_unpacked_too_large(_mb(limits.MAX_ROSTER_UNCOMPRESSED_BYTES)))
    # Imported here: openpyxl takes about 0.3 s to import, and only a roster import from .xlsx needs it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise RosterFileError(texts.ROSTER_NOT_XLSX) from exc
    except (ParseError, ValueError, TypeError) as exc:
        raise RosterFileError(texts.roster_bad_xlsx(str(exc))) from exc
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension (A1:XFD1048576 in a 2 KB file) would pad every row to 16,384 cells: ignore it.
        sheet.reset_dimensions()
        rows = (
            ["" if cell is None else _cell_text(cell) for cell in islice(row, _MAX_COLUMNS)]
            for row in sheet.iter_rows(values_only=True)
        )
        return _named_rows(_bounded(rows))
    except (ParseError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as exc:
        raise RosterFileError(texts.roster_bad_xlsx(str(exc))) from exc
    finally:
        workbook.close()


_MAX_COLUMNS = 50  # a roster has five columns; cells far to the right are ignored


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
        vocabulary.ROSTER_HEADERS.get(cell.strip().lower(), vocabulary.ROSTER_HEADERS.get(cell.strip(), ""))
        for cell in header
    ]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise RosterFileError(texts.roster_missing_columns(missing))
    named: list[tuple[int, Mapping[str, str]]] = []
    for number, cells in rows:
        named.append((number, {field: cell for field, cell in zip(fields, cells, strict=False) if field}))
    return named
