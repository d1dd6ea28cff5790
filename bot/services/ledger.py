"""The ledger (隐患台账): a month's hazards, checks and statistics as a streamed .xlsx, and located hazards as GeoJSON."""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from bot import texts
from bot.clock import Clock
from bot.domain.errors import NotAllowed
from bot.domain.people import Actor
from bot.domain.periods import local_date, month_key, week_key
from bot.domain.policy import Action, can
from bot.domain.statistics import Period, Tally, month_mondays
from bot.services.statistics import StatisticsService
from storage.ledger import CheckEntry, LedgerEntry, LedgerRepository
from storage.owner_only import FILE_MODE, create_file
from storage.places import OwnerRow, PlaceRepository, PlaceRow

MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0%"
# Characters a worksheet cannot hold (XML 1.0 allows tab, line feed and carriage return only), as openpyxl defines them.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
THUMBNAIL_BOX = (160, 120)  # pixels: enough to recognise the place, small enough for a thousand rows
THUMBNAIL_QUALITY = 70
THUMBNAIL_ROW_POINTS = 96  # 128 pixels (0.75 point each): a 120-pixel thumbnail and its margins
# A zip entry costs its data plus a local header and a central-directory record (about 80 bytes and the name twice).
ZIP_ENTRY_OVERHEAD = 128


class Styled(NamedTuple):
    """A date, moment or number shown with a number format."""

    value: date | float
    number_format: str


Row = Sequence[str | int | float | Styled | None]


@dataclass(frozen=True)
class LedgerFile:
    """A written ledger: where, what it covers and how many rows it has."""

    path: Path
    file_name: str
    scope_name: str | None
    period: Period
    hazards: int
    checks: int
    thumbnails: bool  # whether the rows carry thumbnails (a ledger of at most thumbnail_rows hazards)


@dataclass(frozen=True)
class PhotoArchive:
    """A written photo archive: where, how many photos are in it, how many did not fit its size bound or are missing."""

    path: Path
    file_name: str
    photos: int
    left_out: int
    missing: int  # photos the media store no longer has (never a failed export)


class LedgerService:
    """Writes ledgers; the statistics sheet comes from the statistics' one definition."""

    def __init__(
        self,
        ledger: LedgerRepository,
        places: PlaceRepository,
        statistics: StatisticsService,
        clock: Clock,
        zone: tzinfo,
        media_root: Path,
        thumbnail_rows: int,
    ) -> None:
        self._ledger = ledger
        self._places = places
        self._statistics = statistics
        self._clock = clock
        self._zone = zone
        self._media_root = media_root
        self._thumbnail_rows = thumbnail_rows

    def period(self, actor: Actor, words: list[str]) -> Period:
        """/export [本月|上月|YYYY-MM]: the month to export (default this month), if the actor may export."""
        if not can(actor, Action.EXPORT):
            raise NotAllowed(Action.EXPORT)
        return self._statistics.period(words, weeks=False)

    async def write_xlsx(self, town_id: int | None, period: Period, target: Path) -> LedgerFile:
        """Write the ledger of a town (or the city) to `target`, a file or a folder to name the file in."""
        stats = await self._statistics.figures(town_id, period)
        file_name = texts.ledger_file_name(stats.scope_name, period)
        path = target / file_name if target.is_dir() else target
        async with _book(path) as book:
            titles = (texts.SHEET_HAZARDS, texts.SHEET_CHECKS, texts.SHEET_STATS)
            headers = (texts.LEDGER_HEADERS, texts.CHECK_HEADERS, texts.STATS_HEADERS)
            ledger, log, figures = (book.sheet(title, header) for title, header in zip(titles, headers, strict=True))
            # Rows are read in batches and written off the event loop (writing is CPU-bound: a city's month takes
            # seconds), one batch at a time, so other chats are answered meanwhile and memory holds one batch.
            today = local_date(self._clock.now(), self._zone)
            hazards = checks = 0
            start, end = self._moment(period.start), self._moment(period.end)
            # Thumbnails for a ledger small enough (each costs a photo decoded and about 5 KB), or for none of it.
            thumbnails = await self._ledger.count(town_id, start, end) <= self._thumbnail_rows
            async for batch in self._ledger.hazards(town_id, start, end, _offset_minutes(start)):
                await asyncio.to_thread(self._write_hazards, ledger, batch, today, thumbnails)
                hazards += len(batch)
            # Every check logged for the month's weeks and the month itself, whether or not they were due yet.
            kinds = [("village", week_key(monday)) for monday in month_mondays(period.start)]
            kinds.append(("town", month_key(period.start)))
            async for check_batch in self._ledger.checks(town_id, kinds):
                await asyncio.to_thread(self._write_checks, log, check_batch)
                checks += len(check_batch)
            figures.append(_stats_row(texts.stats_total_label(stats.scope_name), stats.total))
            for area in stats.rows:
                figures.append(_stats_row(area.name, area.tally))
            # The 三张清单: places (底数清单) and owners (责任清单) as they stand now, beside the month's hazards.
            places = book.sheet(texts.SHEET_PLACES, texts.PLACE_LEDGER_HEADERS)
            async for place_batch in self._places.ledger_places(town_id):
                await asyncio.to_thread(self._write_rows, places, place_batch, self._place_row)
            owners = book.sheet(texts.SHEET_OWNERS, texts.OWNER_LEDGER_HEADERS)
            async for owner_batch in self._places.ledger_owners(town_id):
                await asyncio.to_thread(self._write_rows, owners, owner_batch, _owner_row)
        return LedgerFile(path, file_name, stats.scope_name, period, hazards, checks, thumbnails)

    async def write_photos(self, town_id: int | None, written: LedgerFile, max_bytes: int | None) -> PhotoArchive:
        """The ledger's photos in a zip beside it, named by hazard number; photos past `max_bytes` are left out."""
        file_name = texts.photo_archive_name(written.path.name)
        path = written.path.with_name(file_name)
        start, end = self._moment(written.period.start), self._moment(written.period.end)
        temporary = path.with_name(f".{file_name}.part")
        photos = left_out = missing = size = 0
        full = False  # once a photo does not fit, the rest is left out: the archive holds the oldest hazards' photos
        try:
            with os.fdopen(create_file(temporary), "wb") as out, zipfile.ZipFile(out, "w") as archive:
                async for batch in self._ledger.photos(town_id, start, end):
                    for photo in batch:
                        source = photo.path
                        name = texts.photo_file_name(photo.hazard_id, photo.stage, photo.position, photo.extension)
                        if not full:
                            data = _size(self._media_root / source)
                            if data is None:
                                missing += 1
                                continue
                            cost = ZIP_ENTRY_OVERHEAD + 2 * len(name.encode()) + data
                            full = max_bytes is not None and size + cost > max_bytes
                        if full:
                            left_out += 1
                            continue
                        # Photos are JPEG or PNG, compressed already: stored as they are.
                        await asyncio.to_thread(archive.write, self._media_root / source, name)
                        photos, size = photos + 1, size + cost
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
        return PhotoArchive(path, file_name, photos, left_out, missing)

    async def write_geojson(self, town_id: int | None, period: Period, path: Path) -> int:
        """Write the period's hazards that have a location as a GeoJSON FeatureCollection; return how many."""
        start, end = self._moment(period.start), self._moment(period.end)
        count = 0
        with os.fdopen(create_file(path), "w", encoding="utf-8") as out:
            out.write('{"type": "FeatureCollection", "features": [\n')
            async for batch in self._ledger.hazards(town_id, start, end, _offset_minutes(start), located=True):
                for entry in batch:
                    out.write(",\n" if count else "")
                    out.write(json.dumps(self._feature(entry), ensure_ascii=False))
                    count += 1
            out.write("\n]}\n")
        return count

    # ---- rows ----

    def _local(self, moment: datetime | None) -> datetime | None:
        # Excel has no time zones: moments are written as the deployment's local time.
        return None if moment is None else moment.astimezone(self._zone).replace(tzinfo=None)

    def _write_hazards(self, sheet: _Sheet, batch: list[LedgerEntry], today: date, thumbnails: bool) -> None:
        for entry in batch:
            pictures = [self._thumbnail(entry.before_photos), self._thumbnail(entry.after_photos)] if thumbnails else []
            sheet.append(self._hazard_row(entry, today), pictures)

    def _thumbnail(self, photos: list[str]) -> bytes | None:
        """A small JPEG of the first photo; None when there is none or it cannot be read (its name stays)."""
        if not photos:
            return None
        from PIL import Image  # imported here, like XlsxWriter: only an export needs it

        try:
            with Image.open(self._media_root / photos[0]) as image:
                image.draft("RGB", THUMBNAIL_BOX)  # a JPEG is decoded at a fraction of its size: far faster
                small = image.convert("RGB")
                small.thumbnail(THUMBNAIL_BOX)
                out = BytesIO()
                small.save(out, "JPEG", quality=THUMBNAIL_QUALITY)
                return out.getvalue()
        except (OSError, Image.DecompressionBombError):
            return None

    def _write_checks(self, sheet: _Sheet, batch: list[CheckEntry]) -> None:
        for check in batch:
            sheet.append(self._check_row(check))

    def _write_rows(self, sheet: _Sheet, batch: Sequence[Any], row: Callable[[Any], Row]) -> None:
        for item in batch:
            sheet.append(row(item))

    def _place_row(self, place: PlaceRow) -> Row:
        return [
            place.id,
            place.town,
            place.village,
            _text(place.name),
            place.type,
            _text(place.industry),
            texts.YES if place.high_risk else texts.NO,
            _text(place.address),
            place.latitude,
            place.longitude,
            place.owner,
            place.owner_phone,
            texts.GRADE_NAMES[place.grade],
            texts.PLACE_STATUS_NAMES[place.status],
            _review(place),
            _styled(self._local(place.last_visit), MOMENT_FORMAT),
            place.open_hazards,
            _styled(self._local(place.updated_at), MOMENT_FORMAT),
        ]

    def _hazard_row(self, entry: LedgerEntry, today: date) -> Row:
        h = entry.hazard
        on_time = None if entry.on_time is None else (texts.YES if entry.on_time else texts.NO)
        return [
            h.id,
            h.town_name,
            h.village_name,
            _text(h.place),
            h.category,
            texts.SEVERITY_NAMES[h.severity],
            _text(h.description),
            h.latitude,
            h.longitude,
            texts.status_name(h),
            texts.YES if h.fixed_on_spot else texts.NO,
            h.reporter_name,
            _styled(self._local(h.reported_at), MOMENT_FORMAT),
            _styled(self._local(h.assigned_at), MOMENT_FORMAT),
            h.owner_name,
            entry.owner_phone,
            _styled(h.deadline, DAY_FORMAT),
            _styled(self._local(h.submitted_at), MOMENT_FORMAT),
            _text(entry.rectify_note),
            _styled(self._local(h.closed_at), MOMENT_FORMAT),
            texts.CLOSURE_NAMES[h.closure] if h.closure else None,
            _text(entry.closing_note),
            h.duplicate_of,
            h.days_overdue(today) or None,
            on_time,
            _photo_names(h.id, "before", entry.before_photos),
            _photo_names(h.id, "after", entry.after_photos),
        ]

    def _check_row(self, check: CheckEntry) -> Row:
        return [
            texts.CHECK_KIND_NAMES.get(check.kind, check.kind),
            check.town,
            check.village,
            check.period,
            check.person,
            check.places_checked,
            _text(check.note),
            check.photo,
            _styled(self._local(check.logged_at), MOMENT_FORMAT),
            _styled(self._local(check.updated_at), MOMENT_FORMAT),
        ]

    def _feature(self, entry: LedgerEntry) -> dict[str, Any]:
        h = entry.hazard
        today = local_date(self._clock.now(), self._zone)
        reported = self._local(h.reported_at)
        return {
            "type": "Feature",
            "id": h.id,
            "geometry": {"type": "Point", "coordinates": [h.longitude, h.latitude]},
            "properties": {
                "id": h.id,
                "name": f"#{h.id} {h.place}",
                "town": h.town_name,
                "village": h.village_name,
                "place": h.place,
                "category": h.category,
                "severity": texts.SEVERITY_NAMES[h.severity],
                "status": texts.status_name(h),
                "description": h.description,
                "reported_at": reported.isoformat(timespec="minutes") if reported else None,
                "deadline": h.deadline.isoformat() if h.deadline else None,
                "owner": h.owner_name,
                "days_overdue": h.days_overdue(today),
            },
        }

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, time(), self._zone)


def _photo_names(hazard_id: int, stage: str, photos: list[str]) -> str | None:
    # Names in the photo archive, not the server's media paths: a cadre finds 隐患0012_整改前_1.jpg in the zip.
    names = [
        texts.photo_file_name(hazard_id, stage, position, PurePosixPath(photo).suffix.lstrip("."))
        for position, photo in enumerate(photos, start=1)
    ]
    return "; ".join(names) or None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _text(value: str | None) -> str | None:
    # Control characters typed in chat are not allowed in a worksheet.
    return None if value is None else ILLEGAL_CHARACTERS_RE.sub("", value)


def _styled(value: date | float | None, number_format: str) -> Styled | None:
    return None if value is None else Styled(value, number_format)


def _owner_row(owner: OwnerRow) -> Row:
    deadline = date.fromisoformat(owner.nearest_deadline) if owner.nearest_deadline else None
    return [
        owner.town,
        owner.village,
        owner.name,
        owner.phone,
        len(owner.places),
        _text(texts.owner_places(owner.places)) or None,
        owner.open_hazards,
        _styled(deadline, DAY_FORMAT),
    ]


def _stats_row(label: str, t: Tally) -> Row:
    return [
        label,
        t.reported,
        t.verified,
        t.invalid,
        t.duplicate,
        t.valid,
        _styled(t.rectification_rate, RATE_FORMAT),
        t.on_time,
        _styled(t.on_time_rate, RATE_FORMAT),
        t.overdue,
        t.village_weeks_done,
        t.village_weeks_expected,
        t.town_months_done,
        t.town_months_expected,
        _styled(t.check_rate, RATE_FORMAT),
        t.places_visited,
        t.places_due,
        _styled(t.coverage_rate, RATE_FORMAT),
    ]


@asynccontextmanager
async def _book(path: Path) -> AsyncIterator[_Book]:
    """A workbook made in a scratch folder beside `path` and moved onto it once complete; if it fails, nothing stays."""
    # XlsxWriter streams each sheet's rows to a file of its own (constant memory) and writes the package from them.
    with tempfile.TemporaryDirectory(prefix=".gridsafe-ledger-", dir=path.parent) as scratch:
        book = _Book(Path(scratch) / "ledger.xlsx", Path(scratch))
        try:
            yield book
            await asyncio.to_thread(book.close)
        except BaseException:
            await asyncio.to_thread(book.discard)
            raise
        os.chmod(book.path, FILE_MODE)  # names and owners' phone numbers: not for other accounts on the machine
        book.path.replace(path)


class _Book:
    """An .xlsx written with XlsxWriter, each sheet streamed row by row (constant memory, inline strings)."""

    def __init__(self, path: Path, scratch: Path) -> None:
        # Imported here: only an export needs it, and the bot starts without it.
        from xlsxwriter import Workbook

        # Every value is written by its type (strings never become formulas, links or numbers), but say so anyway.
        options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        self.path = path
        self._workbook = Workbook(str(path), {"constant_memory": True, "tmpdir": str(scratch), **options})
        self._formats: dict[str, Any] = {}
        self._bold = self._workbook.add_format({"bold": True})
        self._sheets: list[_Sheet] = []

    def sheet(self, title: str, headers: list[str]) -> _Sheet:
        """A new sheet with its bold header row frozen, columns as wide as their header (or WIDE_COLUMNS say)."""
        sheet = _Sheet(self._workbook.add_worksheet(title), len(headers), self._format)
        sheet.start(headers, self._bold)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Set each sheet's auto-filter over its rows and write the package."""
        for sheet in self._sheets:
            sheet.finish()
        self._workbook.close()

    def discard(self) -> None:
        """Let go of an unfinished workbook (XlsxWriter closes its sheets' files only as it writes the package)."""
        with suppress(Exception):
            self._workbook.close()

    def _format(self, number_format: str) -> Any:
        if number_format not in self._formats:
            self._formats[number_format] = self._workbook.add_format({"num_format": number_format})
        return self._formats[number_format]


class _Sheet:
    """One worksheet being streamed: rows go down in order; when finished, the auto-filter covers them all."""

    def __init__(self, worksheet: Any, columns: int, format_of: Callable[[str], Any]) -> None:
        self._worksheet = worksheet
        self._columns = columns
        self._format_of = format_of
        self._next = 0

    def start(self, headers: list[str], bold: Any) -> None:
        """The header row, frozen, with column widths (in characters)."""
        for column, header in enumerate(headers):
            width = texts.WIDE_COLUMNS.get(header, max(10, 2 * len(header) + 2))
            self._worksheet.set_column(column, column, width)
            self._worksheet.write_string(0, column, header, bold)
        self._worksheet.freeze_panes(1, 0)
        self._next = 1

    def finish(self) -> None:
        """The auto-filter over the header and every row."""
        self._worksheet.autofilter(0, 0, self._next - 1, self._columns - 1)

    def append(self, row: Row, pictures: Sequence[bytes | None] = ()) -> None:
        """Write one row below the last one: strings as text, numbers, styled values; pictures in the next columns."""
        worksheet, number = self._worksheet, self._next
        if any(pictures):
            worksheet.set_row(number, THUMBNAIL_ROW_POINTS)  # before the row's cells: constant memory writes in order
        for offset, picture in enumerate(pictures):
            if picture is not None:
                options = {"image_data": BytesIO(picture), "x_offset": 2, "y_offset": 2, "object_position": 1}
                worksheet.insert_image(number, len(row) + offset, f"r{number}c{offset}.jpg", options)
        for column, value in enumerate(row):
            if value is None:
                continue  # an empty cell is not written at all
            if isinstance(value, str):
                _write_text(worksheet, number, column, value)
            elif isinstance(value, Styled):
                cell_format = self._format_of(value.number_format)
                if isinstance(value.value, date):
                    worksheet.write_datetime(number, column, value.value, cell_format)
                else:
                    worksheet.write_number(number, column, value.value, cell_format)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                worksheet.write_number(number, column, value)
            else:
                raise TypeError(f"no way to write {value!r} in a ledger cell")
        self._next = number + 1


def _write_text(worksheet: Any, row: int, column: int, text: str) -> None:
    # In constant-memory mode XlsxWriter copies a string that looks like its own rich-text XML ("<r>...</r>") into the
    # sheet unescaped; such text, if anyone types it, goes in as three plain runs instead, escaped like any other.
    if text.startswith("<r>") and text.endswith("</r>"):
        worksheet.write_rich_string(row, column, text[:1], text[1:-1], text[-1:])
    else:
        worksheet.write_string(row, column, text)


def _review(place: PlaceRow) -> str:
    """已核实, 待核实 (added while reporting, not decided yet) or 已驳回."""
    if place.confirmed:
        return texts.PLACE_CONFIRMED
    return texts.PLACE_REJECTED if place.rejected else texts.PLACE_UNCONFIRMED
