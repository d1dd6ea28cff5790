"""The ledger (隐患台账): a month's hazards, checks and statistics as a streamed .xlsx, and located hazards as GeoJSON."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot import texts
from bot.clock import Clock
from bot.domain.errors import NotAllowed
from bot.domain.people import Actor
from bot.domain.periods import month_key, week_key
from bot.domain.policy import Action, can
from bot.domain.statistics import Period, Tally, month_mondays
from bot.services.statistics import StatisticsService
from storage.ledger import CheckEntry, LedgerEntry, LedgerRepository

MOMENT_FORMAT = "yyyy-mm-dd hh:mm"
DAY_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0%"


@dataclass(frozen=True)
class LedgerFile:
    """A written ledger: where, what it covers and how many rows it has."""

    path: Path
    file_name: str
    scope_name: str | None
    period: Period
    hazards: int
    checks: int


class LedgerService:
    """Writes ledgers; the statistics sheet comes from the statistics' one definition."""

    def __init__(self, ledger: LedgerRepository, statistics: StatisticsService, clock: Clock, zone: tzinfo) -> None:
        self._ledger = ledger
        self._statistics = statistics
        self._clock = clock
        self._zone = zone

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
        workbook = Workbook(write_only=True)
        titles = (texts.SHEET_HAZARDS, texts.SHEET_CHECKS, texts.SHEET_STATS)
        headers = (texts.LEDGER_HEADERS, texts.CHECK_HEADERS, texts.STATS_HEADERS)
        sheets = [workbook.create_sheet(title) for title in titles]
        for sheet, header in zip(sheets, headers, strict=True):
            _start(sheet, header)
        # Rows are read in batches and written off the event loop (openpyxl is CPU-bound: a city's month takes
        # seconds), one batch at a time, so other chats are answered meanwhile and memory holds one batch.
        today = self._clock.now().astimezone(self._zone).date()
        hazards = checks = 0
        start, end = self._moment(period.start), self._moment(period.end)
        async for batch in self._ledger.hazards(town_id, start, end, _offset_minutes(start)):
            await asyncio.to_thread(self._write_hazards, sheets[0], batch, today)
            hazards += len(batch)
        # Every check logged for the month's weeks and the month itself, whether or not they were due yet.
        kinds = [("village", week_key(monday)) for monday in month_mondays(period.start)]
        kinds.append(("town", month_key(period.start)))
        async for check_batch in self._ledger.checks(town_id, kinds):
            await asyncio.to_thread(self._write_checks, sheets[1], check_batch)
            checks += len(check_batch)
        sheets[2].append(_stats_row(sheets[2], texts.stats_total_label(stats.scope_name), stats.total))
        for area in stats.rows:
            sheets[2].append(_stats_row(sheets[2], area.name, area.tally))
        for sheet, header, rows in zip(sheets, headers, (hazards, checks, len(stats.rows) + 1), strict=True):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
        await asyncio.to_thread(workbook.save, path)
        return LedgerFile(path, file_name, stats.scope_name, period, hazards, checks)

    async def write_geojson(self, town_id: int | None, period: Period, path: Path) -> int:
        """Write the period's hazards that have a location as a GeoJSON FeatureCollection; return how many."""
        start, end = self._moment(period.start), self._moment(period.end)
        count = 0
        with path.open("w", encoding="utf-8") as out:
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

    def _write_hazards(self, sheet: Any, batch: list[LedgerEntry], today: date) -> None:
        for entry in batch:
            sheet.append(self._hazard_row(sheet, entry, today))

    def _write_checks(self, sheet: Any, batch: list[CheckEntry]) -> None:
        for check in batch:
            sheet.append(self._check_row(sheet, check))

    def _hazard_row(self, sheet: Any, entry: LedgerEntry, today: date) -> list[Any]:
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
            _cell(sheet, self._local(h.reported_at), MOMENT_FORMAT),
            _cell(sheet, self._local(h.assigned_at), MOMENT_FORMAT),
            h.owner_name,
            entry.owner_phone,
            _cell(sheet, h.deadline, DAY_FORMAT),
            _cell(sheet, self._local(h.submitted_at), MOMENT_FORMAT),
            _text(entry.rectify_note),
            _cell(sheet, self._local(h.closed_at), MOMENT_FORMAT),
            texts.CLOSURE_NAMES[h.closure] if h.closure else None,
            _text(entry.closing_note),
            h.duplicate_of,
            h.days_overdue(today) or None,
            on_time,
            "; ".join(entry.before_photos) or None,
            "; ".join(entry.after_photos) or None,
        ]

    def _check_row(self, sheet: Any, check: CheckEntry) -> list[Any]:
        return [
            texts.CHECK_KIND_NAMES.get(check.kind, check.kind),
            check.town,
            check.village,
            check.period,
            check.person,
            check.places_checked,
            _text(check.note),
            check.photo,
            _cell(sheet, self._local(check.logged_at), MOMENT_FORMAT),
            _cell(sheet, self._local(check.updated_at), MOMENT_FORMAT),
        ]

    def _feature(self, entry: LedgerEntry) -> dict[str, Any]:
        h = entry.hazard
        today = self._clock.now().astimezone(self._zone).date()
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


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _text(value: str | None) -> str | None:
    # Control characters typed in chat are not allowed in a worksheet.
    return None if value is None else ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell(sheet: Any, value: date | datetime | None, number_format: str) -> WriteOnlyCell | None:
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _start(sheet: Any, headers: list[str]) -> None:
    """Column widths and the frozen header row must be set before the first row is streamed."""
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = texts.WIDE_COLUMNS.get(
            header, max(10, 2 * len(header) + 2)
        )
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def _stats_row(sheet: Any, label: str, t: Tally) -> list[Any]:
    def rate(value: float | None) -> WriteOnlyCell | None:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = RATE_FORMAT
        return cell

    return [
        label,
        t.reported,
        t.verified,
        t.invalid,
        t.duplicate,
        t.valid,
        rate(t.rectification_rate),
        t.on_time,
        rate(t.on_time_rate),
        t.overdue,
        t.village_weeks_done,
        t.village_weeks_expected,
        t.town_months_done,
        t.town_months_expected,
        rate(t.check_rate),
    ]
