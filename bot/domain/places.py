"""Places (底数清单): their risk grades and statuses, how often each is due a visit, and coverage (村不漏户)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.periods import month_start, next_month_start, week_start


class Grade(StrEnum):
    """The four-colour risk grade (四色分级), highest risk first."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"


class PlaceStatus(StrEnum):
    """Whether the place operates; a closed place is no longer due any visit."""

    OPEN = "open"
    SUSPENDED = "suspended"  # 停业整顿: still visited, to see that it stays shut until allowed to reopen
    CLOSED = "closed"


class Cadence(StrEnum):
    """How often a place is due a visit: once in each calendar window of this length."""

    WEEK = "week"
    FORTNIGHT = "fortnight"
    MONTH = "month"
    QUARTER = "quarter"


DEFAULT_CADENCES: Mapping[Grade, Cadence] = {
    Grade.RED: Cadence.WEEK,
    Grade.ORANGE: Cadence.FORTNIGHT,
    Grade.YELLOW: Cadence.MONTH,
    Grade.BLUE: Cadence.QUARTER,
}

# Fortnights are pairs of ISO weeks counted from this Monday, so every deployment cuts them the same way.
_FORTNIGHT_EPOCH = date(2024, 1, 1)


@dataclass(frozen=True, order=True)
class Window:
    """One calendar window of a cadence: [start, end) in local dates; a place is due one visit in it."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end


def window(cadence: Cadence, day: date) -> Window:
    """The window of the cadence that contains the day."""
    if cadence is Cadence.WEEK:
        start = week_start(day)
        return Window(start, start + timedelta(days=7))
    if cadence is Cadence.FORTNIGHT:
        start = _FORTNIGHT_EPOCH + timedelta(days=(day - _FORTNIGHT_EPOCH).days // 14 * 14)
        return Window(start, start + timedelta(days=14))
    if cadence is Cadence.MONTH:
        return Window(month_start(day), next_month_start(day))
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Window(first, next_month_start(next_month_start(next_month_start(first))))


def due_in(cadence: Cadence, start: date, end: date) -> list[Window]:
    """The windows of the cadence that close within [start, end): the visits a place owes for that period.

    A monthly report counts a red place's weeks that end in the month, and a blue place only in a quarter's last month.
    """
    windows = []
    current = window(cadence, end - timedelta(days=1))
    while current.end > start:
        if current.end <= end:
            windows.append(current)
        current = window(cadence, current.start - timedelta(days=1))
    return sorted(windows)


def is_due(cadence: Cadence, last_visit: date | None, today: date) -> bool:
    """Whether a place is still due a visit in the window containing today (not visited since it opened)."""
    return last_visit is None or last_visit < window(cadence, today).start


@dataclass(frozen=True)
class Coverage:
    """村不漏户: visits made ÷ visits due, counted per place and window."""

    visited: int
    due: int

    @property
    def rate(self) -> float | None:
        """visited ÷ due; None when nothing was due."""
        return self.visited / self.due if self.due else None

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.visited + other.visited, self.due + other.due)


def coverage(
    places: Iterable[tuple[int, Cadence]],
    visits: Mapping[int, Sequence[date]],
    start: date,
    end: date,
    begun_by: date | None = None,
) -> Coverage:
    """Coverage of places (id, cadence) over [start, end), given each place's visit days (from the first window's
    start on): each window closing in the period is one visit due, visited if any visit falls in it.

    begun_by (today, for a period still running): only windows that have begun by then are due, as checks count
    the weeks that have begun; a window still open counts, and is covered as soon as it is visited.
    """
    visited = due = 0
    owed_by: dict[Cadence, list[Window]] = {}  # the same few windows for every place of a cadence
    for place_id, cadence in places:
        days = visits.get(place_id, ())
        if cadence not in owed_by:
            windows = due_in(cadence, start, end)
            owed_by[cadence] = [w for w in windows if begun_by is None or w.start <= begun_by]
        for owed in owed_by[cadence]:
            due += 1
            visited += any(day in owed for day in days)
    return Coverage(visited, due)


def first_window_start(cadences: Iterable[Cadence], start: date, end: date) -> date:
    """The earliest day a visit can count for the period (a window closing in it may open before it)."""
    return min((due_in(cadence, start, end) or [Window(start, end)])[0].start for cadence in cadences)
