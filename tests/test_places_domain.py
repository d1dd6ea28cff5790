"""Places in the domain: cadence windows, what is due in a period, and coverage, across week, month and quarter ends."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.places import DEFAULT_CADENCES, Cadence, Coverage, Grade, Window, coverage, due_in, is_due, window

D = date


@pytest.mark.parametrize(
    ("cadence", "day", "start", "end"),
    [
        (Cadence.WEEK, D(2026, 11, 30), D(2026, 11, 30), D(2026, 12, 7)),  # a Monday opens its week
        (Cadence.WEEK, D(2026, 12, 6), D(2026, 11, 30), D(2026, 12, 7)),  # a Sunday closes it, across the month end
        (Cadence.WEEK, D(2027, 1, 1), D(2026, 12, 28), D(2027, 1, 4)),  # across the year end
        (Cadence.FORTNIGHT, D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 15)),
        (Cadence.FORTNIGHT, D(2024, 1, 14), D(2024, 1, 1), D(2024, 1, 15)),
        (Cadence.FORTNIGHT, D(2024, 1, 15), D(2024, 1, 15), D(2024, 1, 29)),
        (Cadence.FORTNIGHT, D(2023, 12, 31), D(2023, 12, 18), D(2024, 1, 1)),  # before the epoch too
        (Cadence.MONTH, D(2026, 2, 28), D(2026, 2, 1), D(2026, 3, 1)),
        (Cadence.MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2027, 1, 1)),
        (Cadence.QUARTER, D(2026, 3, 31), D(2026, 1, 1), D(2026, 4, 1)),
        (Cadence.QUARTER, D(2026, 4, 1), D(2026, 4, 1), D(2026, 7, 1)),
        (Cadence.QUARTER, D(2026, 11, 15), D(2026, 10, 1), D(2027, 1, 1)),
    ],
)
def test_window_of_a_day(cadence: Cadence, day: date, start: date, end: date) -> None:
    assert window(cadence, day) == Window(start, end)
    assert day in window(cadence, day)


def test_default_cadences_follow_the_grade() -> None:
    assert DEFAULT_CADENCES == {
        Grade.RED: Cadence.WEEK,
        Grade.ORANGE: Cadence.FORTNIGHT,
        Grade.YELLOW: Cadence.MONTH,
        Grade.BLUE: Cadence.QUARTER,
    }


NOVEMBER = (D(2026, 11, 1), D(2026, 12, 1))
DECEMBER = (D(2026, 12, 1), D(2027, 1, 1))


@pytest.mark.parametrize(
    ("cadence", "period", "owed"),
    [
        # November 2026 starts on a Sunday: the week of Oct 26 - Nov 1 closes in it, that of Nov 30 - Dec 6 does not.
        (Cadence.WEEK, NOVEMBER, 5),
        (Cadence.WEEK, DECEMBER, 4),  # Dec 28 - Jan 3 closes in January
        # Fortnights from 2024-01-01: Oct 19 - Nov 1, Nov 2 - 15, Nov 16 - 29 close in November.
        (Cadence.FORTNIGHT, NOVEMBER, 3),
        (Cadence.MONTH, NOVEMBER, 1),
        (Cadence.MONTH, (D(2026, 2, 1), D(2026, 3, 1)), 1),
        (Cadence.QUARTER, NOVEMBER, 0),  # the quarter closes in December
        (Cadence.QUARTER, DECEMBER, 1),
        (Cadence.QUARTER, (D(2026, 3, 31), D(2026, 4, 1)), 1),  # a one-day period on a quarter's last day
        (Cadence.QUARTER, (D(2026, 1, 1), D(2027, 1, 1)), 4),
    ],
)
def test_visits_owed_in_a_period(cadence: Cadence, period: tuple[date, date], owed: int) -> None:
    windows = due_in(cadence, *period)
    assert all(period[0] < w.end <= period[1] for w in windows)
    assert len(windows) == owed


def test_weeks_owed_in_november_2026() -> None:
    assert [w.end for w in due_in(Cadence.WEEK, *NOVEMBER)] == [D(2026, 11, d) for d in (2, 9, 16, 23, 30)]


@pytest.mark.parametrize(
    ("cadence", "last_visit", "today", "due"),
    [
        (Cadence.WEEK, None, D(2026, 12, 2), True),
        (Cadence.WEEK, D(2026, 11, 30), D(2026, 12, 6), False),  # visited this week (Monday)
        (Cadence.WEEK, D(2026, 11, 29), D(2026, 11, 30), True),  # last week's Sunday does not count on Monday
        (Cadence.MONTH, D(2026, 11, 30), D(2026, 12, 1), True),  # a new month
        (Cadence.MONTH, D(2026, 12, 1), D(2026, 12, 31), False),
        (Cadence.QUARTER, D(2026, 10, 1), D(2026, 12, 31), False),
        (Cadence.QUARTER, D(2026, 9, 30), D(2026, 10, 1), True),
        (Cadence.FORTNIGHT, D(2026, 11, 30), D(2026, 12, 13), False),  # the fortnight Nov 30 - Dec 13
        (Cadence.FORTNIGHT, D(2026, 11, 29), D(2026, 11, 30), True),
    ],
)
def test_is_due(cadence: Cadence, last_visit: date | None, today: date, due: bool) -> None:
    assert is_due(cadence, last_visit, today) is due


def test_coverage_counts_each_window_owed_once() -> None:
    places = [(1, Cadence.WEEK), (2, Cadence.MONTH), (3, Cadence.QUARTER), (4, Cadence.FORTNIGHT)]
    visits = {
        # Four of the five weeks closing in November (two visits in the week of Nov 9 count once); Nov 2-8 missed.
        1: [D(2026, 11, 1), D(2026, 11, 9), D(2026, 11, 10), D(2026, 11, 17), D(2026, 11, 24)],
        2: [D(2026, 10, 31)],  # October's visit does not count for November
        3: [D(2026, 10, 2)],  # not owed in November at all
        4: [D(2026, 10, 27)],  # counts for Oct 19 - Nov 1; Nov 2 - 15 and Nov 16 - 29 missed
    }
    assert coverage(places, visits, *NOVEMBER) == Coverage(visited=5, due=9)
    assert coverage(places, visits, *NOVEMBER).rate == pytest.approx(5 / 9)
    assert coverage([], {}, *NOVEMBER).rate is None


def test_quarter_end_month_counts_the_quarter() -> None:
    visits = {3: [D(2026, 10, 2)]}
    assert coverage([(3, Cadence.QUARTER)], visits, *DECEMBER) == Coverage(visited=1, due=1)
    assert coverage([(3, Cadence.QUARTER)], {}, *DECEMBER) == Coverage(visited=0, due=1)


def test_a_running_period_owes_only_the_windows_begun() -> None:
    december = (date(2026, 12, 1), date(2027, 1, 1))
    # On 10 December a red place owes the weeks of 30 Nov and 7 Dec (begun), not those of 14 and 21 Dec.
    running = coverage([(1, Cadence.WEEK)], {1: [date(2026, 12, 1)]}, *december, begun_by=date(2026, 12, 10))
    assert (running.visited, running.due) == (1, 2)
    whole = coverage([(1, Cadence.WEEK)], {1: [date(2026, 12, 1)]}, *december)
    assert (whole.visited, whole.due) == (1, 4)
