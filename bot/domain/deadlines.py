"""Deadlines: reading a typed date the way people write it, and refusing the past."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import limits
from bot.domain.dates import read_date
from bot.domain.errors import DeadlineInPast, DeadlineTooFar


def parse_deadline(text: str, today: date) -> date:
    """A deadline as people type it (see bot.domain.dates: 2026-12-05, 12月5日, 下周五, 20号, 月底, 一周, 7天 …); today or later."""
    return check_deadline(read_date(text, today), today)


def check_deadline(candidate: date, today: date) -> date:
    """Refuse a deadline in the past or too far ahead."""
    if candidate < today:
        raise DeadlineInPast(candidate)
    if candidate > today + timedelta(days=limits.MAX_DEADLINE_DAYS):
        raise DeadlineTooFar(candidate)
    return candidate
