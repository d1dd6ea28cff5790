"""The schedule as tables: rungs across week, month and year boundaries, deadlines, catch-up and quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.schedule import (
    Rules,
    Rung,
    deadline_rungs,
    latest_due,
    month_miss_list,
    month_rungs,
    ranking_rung,
    release_at,
    week_miss_list,
    week_rungs,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = Rules(zone=SHANGHAI)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def names(rungs: list[Rung]) -> list[tuple[str, str]]:
    return [(r.name, r.due.strftime("%Y-%m-%d %a %H:%M")) for r in rungs]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            date(2026, 11, 29),  # a Sunday: its own week, not the next
            [
                ("nudge", "2026-11-23 Mon 09:00"),
                ("reminder", "2026-11-26 Thu 09:00"),
                ("last_call", "2026-11-29 Sun 18:00"),
            ],
        ),
        (
            date(2026, 12, 31),  # across the new year
            [
                ("nudge", "2026-12-28 Mon 09:00"),
                ("reminder", "2026-12-31 Thu 09:00"),
                ("last_call", "2027-01-03 Sun 18:00"),
            ],
        ),
    ],
)
def test_week_rungs(day: date, expected: list[tuple[str, str]]) -> None:
    assert names(week_rungs(day, RULES)) == expected


def test_week_miss_list_goes_out_the_next_monday() -> None:
    assert names([week_miss_list(date(2026, 11, 26), RULES)]) == [("miss_list", "2026-11-30 Mon 09:00")]


@pytest.mark.parametrize(
    ("day", "last_call"),
    [
        (date(2026, 2, 3), "2026-02-28 Sat 18:00"),
        (date(2028, 2, 3), "2028-02-29 Tue 18:00"),
        (date(2026, 4, 30), "2026-04-30 Thu 18:00"),
        (date(2026, 12, 1), "2026-12-31 Thu 18:00"),
        (date(2026, 1, 15), "2026-01-31 Sat 18:00"),
    ],
)
def test_month_rungs_end_on_the_last_day(day: date, last_call: str) -> None:
    rungs = names(month_rungs(day, RULES))
    assert rungs[0] == ("nudge", day.strftime("%Y-%m-01 ") + date(day.year, day.month, 1).strftime("%a") + " 09:00")
    assert rungs[1][1].startswith(day.strftime("%Y-%m-20"))
    assert rungs[2] == ("last_call", last_call)


def test_month_miss_list_and_ranking_cross_the_year() -> None:
    assert names([month_miss_list(date(2026, 12, 9), RULES)]) == [("miss_list", "2027-01-01 Fri 09:00")]
    assert names([ranking_rung(date(2027, 1, 1), RULES)]) == [("ranking", "2027-01-01 Fri 09:30")]


def test_deadline_ladder_for_a_long_term_ending_on_a_saturday() -> None:
    rungs = deadline_rungs(date(2026, 12, 5), date(2026, 11, 23), date(2026, 12, 26), RULES)
    assert names(rungs) == [
        ("d-3", "2026-12-02 Wed 09:00"),
        ("d-1", "2026-12-04 Fri 09:00"),
        ("d-day", "2026-12-05 Sat 09:00"),  # deadlines on weekends are reminded on the day, like any other
        ("yellow", "2026-12-06 Sun 09:00"),
        ("red", "2026-12-12 Sat 09:00"),
        ("overdue+14", "2026-12-19 Sat 09:00"),
        ("overdue+21", "2026-12-26 Sat 09:00"),
    ]


def test_short_terms_have_no_three_day_warning() -> None:
    rungs = deadline_rungs(date(2026, 11, 26), date(2026, 11, 23), date(2026, 11, 26), RULES)
    assert [r.name for r in rungs] == ["d-1", "d-day", "yellow", "red"]


def test_rungs_are_stored_as_utc_moments_of_local_times() -> None:
    rung = week_rungs(date(2026, 11, 23), RULES)[0]
    assert rung.due.astimezone(UTC) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    urumqi = Rules(zone=ZoneInfo("Asia/Urumqi"))
    assert week_rungs(date(2026, 11, 23), urumqi)[0].due.astimezone(UTC) == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "at", "expected"),
    [
        ("2026-11-23 08:59", "2026-11-23 09:00", "nudge"),  # the minute it is due
        ("2026-11-23 09:00", "2026-11-23 09:01", None),  # already handled by the previous pass
        ("2026-11-23 08:00", "2026-11-27 10:00", "reminder"),  # a stop over Thursday: only the latest, once
        ("2026-11-20 08:00", "2026-11-30 10:00", "last_call"),  # the week is over: its last rung
        ("2026-11-24 10:00", "2026-11-25 10:00", None),
    ],
)
def test_latest_due_rung(after: str, at: str, expected: str | None) -> None:
    rungs = week_rungs(date(2026, 11, 23), RULES)
    rung = latest_due(rungs, local(after), local(at))
    assert (rung.name if rung else None) == expected


@pytest.mark.parametrize(
    ("now", "urgent", "released"),
    [
        ("2026-11-23 20:59", False, "2026-11-23 20:59"),
        ("2026-11-23 21:00", False, "2026-11-24 08:00"),
        ("2026-11-23 23:30", False, "2026-11-24 08:00"),
        ("2026-11-24 00:10", False, "2026-11-24 08:00"),
        ("2026-11-24 07:59", False, "2026-11-24 08:00"),
        ("2026-11-24 08:00", False, "2026-11-24 08:00"),
        ("2026-11-23 23:30", True, "2026-11-23 23:30"),  # major-hazard alerts ignore quiet hours
    ],
)
def test_quiet_hours_defer_to_their_end(now: str, urgent: bool, released: str) -> None:
    assert release_at(local(now), RULES, urgent=urgent) == local(released)


def test_quiet_hours_within_one_day() -> None:
    lunch = Rules(zone=SHANGHAI, quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert release_at(local("2026-11-23 12:15"), lunch, urgent=False) == local("2026-11-23 13:30")
    assert release_at(local("2026-11-23 13:30"), lunch, urgent=False) == local("2026-11-23 13:30")
    assert release_at(local("2026-11-23 11:00") + timedelta(minutes=1), lunch, urgent=False) == local(
        "2026-11-23 11:01"
    )
