"""Reading a tabular file (CSV or XLSX) into numbered rows of named cells, with the work bounded before parsing.

The roster and the places file are both read here; each names its columns, limits and words in a TableSpec.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from xml.etree.ElementTree import ParseError

from bot.texts import TableTexts


class TableFileError(Exception):
    """The file cannot be read as a table of its kind; the message is for the person running the import."""


@dataclass(frozen=True)
class TableSpec:
    """One kind of file: its column headers (English or Chinese) → field, the fields required, limits and words."""

    headers: Mapping[str, str]
    required: tuple[str, ...]
    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int  # header and blank rows included
    texts: TableTexts
    max_columns: int = 50  # cells far to the right are ignored


Rows = Iterator[tuple[int, Mapping[str, str]]]


def read_table(path: Path, spec: TableSpec) -> list[tuple[int, Mapping[str, str]]]:
    """Rows of the file as (row number as a spreadsheet shows it, {field: cell}) after the header row."""
    return list(iter_table(path, spec))


def iter_table(path: Path, spec: TableSpec) -> Rows:
    """The rows of read_table one at a time (a large file is never held as rows); errors arrive as they are met."""
    words = spec.texts
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise TableFileError(words.unsupported(suffix or path.name))
    try:
        size = path.stat().st_size
        if size > spec.max_bytes:
            raise TableFileError(words.too_large(_mb(spec.max_bytes)))
        if suffix == ".csv":
            yield from _named_rows(_bounded(csv.reader(_lines(_decode(path.read_bytes()))), spec), spec)
        else:
            yield from _xlsx_rows(path, spec)
    except csv.Error as exc:
        raise TableFileError(words.bad_csv(str(exc))) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise TableFileError(words.unreadable(path, str(exc))) from exc


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _decode(data: bytes) -> str:
    # Excel in China saves CSV as GBK; try UTF-8 (with or without BOM) first.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (a StringIO would copy a large file, 4 bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _bounded(rows: Iterable[list[str]], spec: TableSpec) -> Iterator[list[str]]:
    """The rows, refusing the file as soon as it has more than the limit (never reading further)."""
    for count, row in enumerate(rows, start=1):
        if count > spec.max_rows:
            raise TableFileError(spec.texts.too_many_rows(spec.max_rows))
        yield row


def _xlsx_rows(path: Path, spec: TableSpec) -> Rows:
    words = spec.texts
    # What the zip would unpack to is known before anything is unpacked; zipfile stops reading a member at its
    # declared size, so a zip bomb is refused here rather than discovered in memory.
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TableFileError(words.not_xlsx) from exc
    if unpacked > spec.max_unpacked_bytes:
        raise TableFileError(words.unpacked_too_large(_mb(spec.max_unpacked_bytes)))
    # Imported here: openpyxl takes about 0.3 s to import, and only an import from .xlsx needs it.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise TableFileError(words.not_xlsx) from exc
    except (ParseError, ValueError, TypeError) as exc:
        raise TableFileError(words.bad_xlsx(str(exc))) from exc
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension (A1:XFD1048576 in a 2 KB file) would pad every row to 16,384 cells: ignore it.
        sheet.reset_dimensions()
        rows = (
            ["" if cell is None else _cell_text(cell) for cell in islice(row, spec.max_columns)]
            for row in sheet.iter_rows(values_only=True)
        )
        yield from _named_rows(_bounded(rows, spec), spec)
    except (ParseError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as exc:
        raise TableFileError(words.bad_xlsx(str(exc))) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    # Phone numbers typed into Excel come back as numbers (13800000000.0 or 13800000000).
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _named_rows(table: Iterable[list[str]], spec: TableSpec) -> Rows:
    rows = iter(enumerate(table, start=1))
    for _, header in rows:
        if any(cell.strip() for cell in header):
            break
    else:
        raise TableFileError(spec.texts.empty)
    fields = [spec.headers.get(cell.strip().lower(), spec.headers.get(cell.strip(), "")) for cell in header]
    missing = [name for name in spec.required if name not in fields]
    if missing:
        raise TableFileError(spec.texts.missing_columns(missing))
    for number, cells in rows:
        if any(cells):  # blank rows count for the numbering only
            yield number, {field: cell for field, cell in zip(fields, cells, strict=False) if field}
