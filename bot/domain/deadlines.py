"""Deadlines: reading a typed date the way people write it, and refusing the past."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import limits, vocabulary
from bot.domain.errors import DeadlineInPast, DeadlineTooFar, DeadlineUnreadable


def parse_deadline(text: str, today: date) -> date:
    """A deadline from `2026-12-05`, `2026/12/5`, `2026年12月5日`, `12月5日` or `12-05`; today or later."""
    cleaned = text.strip()
    if match := vocabulary.FULL_DATE.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
        candidate = _date(year, month, day)
    elif match := vocabulary.MONTH_DAY.match(cleaned):
        month, day = (int(g) for g in match.groups())
        candidate = _date(today.year, month, day)
        # "1月5日" typed in late November means next January, not a date ten months ago.
        if candidate < today - timedelta(days=183):
            candidate = _date(today.year + 1, month, day)
    else:
        raise DeadlineUnreadable(text)
    return check_deadline(candidate, today)


def check_deadline(candidate: date, today: date) -> date:
    """Refuse a deadline in the past or too far ahead."""
    if candidate < today:
        raise DeadlineInPast(candidate)
    if candidate > today + timedelta(days=limits.MAX_DEADLINE_DAYS):
        raise DeadlineTooFar(candidate)
    return candidate


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DeadlineUnreadable(f"{year}-{month}-{day}") from exc
