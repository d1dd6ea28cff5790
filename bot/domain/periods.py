"""Local days and check periods: the ISO week of a village check and the month of a town check, in local dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The day a moment falls on in the deployment's time zone (deadlines, checks and periods are local days)."""
    return moment.astimezone(zone).date()


def week_key(day: date) -> str:
    """'2026-W48': the ISO week containing the day (weeks start on Monday)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: date) -> str:
    """'2026-11': the month containing the day."""
    return f"{day.year}-{day.month:02d}"


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    """The first of the day's month."""
    return day.replace(day=1)


def next_month_start(day: date) -> date:
    """The first of the month after the day's."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    """The last day of the day's month (28 to 31)."""
    return next_month_start(day) - timedelta(days=1)


def parse_month(text: str) -> date | None:
    """The first day of a month written YYYY-MM, None when it is not one."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        return None
