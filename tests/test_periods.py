"""Check periods across year, week and month boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.periods import local_date, month_end, month_key, next_month_start, parse_month, week_key, week_start

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (datetime(2026, 12, 6, 15, 59, tzinfo=UTC), SHANGHAI, date(2026, 12, 6)),  # 23:59 local
        (datetime(2026, 12, 6, 16, 0, tzinfo=UTC), SHANGHAI, date(2026, 12, 7)),  # local midnight: the next day
        (datetime(2026, 12, 31, 16, 30, tzinfo=UTC), SHANGHAI, date(2027, 1, 1)),  # a new year locally only
        (datetime(2026, 12, 7, 3, 0, tzinfo=UTC), ZoneInfo("America/New_York"), date(2026, 12, 6)),
    ],
)
def test_local_date_is_the_day_in_the_deployments_zone(moment: datetime, zone: ZoneInfo, day: date) -> None:
    assert local_date(moment, zone) == day


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 11, 23), "2026-W48"),  # Monday
        (date(2026, 11, 29), "2026-W48"),  # Sunday
        (date(2026, 11, 30), "2026-W49"),
        (date(2027, 1, 1), "2026-W53"),  # ISO year 2026 has 53 weeks
        (date(2027, 1, 4), "2027-W01"),
    ],
)
def test_week_keys(day: date, week: str) -> None:
    assert week_key(day) == week
    assert week_start(day).weekday() == 0 and week_key(week_start(day)) == week


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 2, 10), date(2026, 2, 28)),
        (date(2028, 2, 10), date(2028, 2, 29)),
        (date(2026, 4, 30), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2026, 1, 31), date(2026, 1, 31)),
    ],
)
def test_month_ends(day: date, last: date) -> None:
    assert month_end(day) == last
    assert next_month_start(day) == date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    assert month_key(day) == f"{day.year}-{day.month:02d}"


def test_parse_month() -> None:
    assert parse_month("2026-11") == date(2026, 11, 1)
    assert parse_month("2026-13") is None
    assert parse_month("十一月") is None
