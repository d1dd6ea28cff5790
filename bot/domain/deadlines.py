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


REWORK_MIN_DAYS = 3  # the least time a rejected fix is given again: a new attempt needs a few days


def may_keep(deadline: date | None, today: date) -> bool:
    """Whether 保持原期限 can be offered at 不通过: the old deadline is still in the future."""
    return deadline is not None and deadline > today


def rework_days(deadline: date | None, term_days: int | None, default_days: int, today: date) -> int | None:
    """The term proposed when a fix is rejected (不通过), from the time left; None: keep the old deadline.

    The old deadline is proposed while at least REWORK_MIN_DAYS remain; once it is nearer (or passed) the owner
    gets half of the last term again, rounded up, but at least REWORK_MIN_DAYS (the severity's default term stands
    in for a term that is not known).
    """
    if deadline is not None and (deadline - today).days >= REWORK_MIN_DAYS:
        return None
    term = term_days if term_days is not None and term_days > 0 else default_days
    return max(REWORK_MIN_DAYS, -(-term // 2))
