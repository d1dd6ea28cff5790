"""Dates as people type them in chat: numeric forms, Chinese numerals, weekdays and relative terms."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta

from bot.domain import vocabulary
from bot.domain.errors import DeadlineUnreadable

# The words are input grammar, so the patterns live in bot.domain.vocabulary; here is only how they are read.


def read_date(text: str, today: date) -> date:
    """The date meant by `text` typed on `today`; DeadlineUnreadable if it is none (past dates are returned)."""
    cleaned = _normalize(text)
    for reader in _READERS:
        found = reader(cleaned, today)
        if found is not None:
            return found
    raise DeadlineUnreadable(text)


def chinese_number(numeral: str) -> int:
    """二十 → 20, 廿五 → 25, 三十一 → 31, 两 → 2, 二〇二六 → 2026 (digit by digit when there is no 十)."""
    values = [_numeral_value(ch) for ch in numeral]
    tens = [i for i, value in enumerate(values) if value >= 10]
    if not tens:
        return int("".join(str(value) for value in values))
    at = tens[0]
    before, after = values[:at], values[at + 1 :]
    if len(tens) > 1 or len(before) > 1 or len(after) > 1 or (before and values[at] != 10):
        raise DeadlineUnreadable(numeral)
    return values[at] * (before[0] if before else 1) + (after[0] if after else 0)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day so many months later, kept inside the month (1月31日 + 1个月 = 2月28/29日)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---- inside ----


def _numeral_value(ch: str) -> int:
    value = unicodedata.numeric(ch, None)
    return 2 if value is None else int(value)  # 两, the only numeral of the pattern without a Unicode value


def _normalize(text: str) -> str:
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))  # NFKC: full-width digits and brackets
    cleaned = vocabulary.DATE_AROUND.sub("", compact)
    return vocabulary.CHINESE_NUMBER.sub(lambda m: str(chinese_number(m.group())), cleaned)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DeadlineUnreadable(f"{year}-{month}-{day}") from exc


def _date_or_none(year: int, month: int, day: int, today: date) -> date | None:
    """The date if it exists and is not past."""
    if day > calendar.monthrange(year, month)[1] or date(year, month, day) < today:
        return None
    return date(year, month, day)


def _nearest_year(month: int, day: int, today: date) -> int:
    # "1月5日" typed in late November means next January, not a date ten months ago.
    if not 1 <= month <= 12:
        raise DeadlineUnreadable(f"{month}-{day}")
    this_year = date(today.year, month, min(day, calendar.monthrange(today.year, month)[1]))
    return today.year + 1 if this_year < today - timedelta(days=183) else today.year


def _numeric(text: str, today: date) -> date | None:
    """2026-12-05, 2026年12月5日, 12月5日, 12-05, 12月底, 1月中."""
    if match := vocabulary.FULL_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day)
    if match := vocabulary.MONTH_DAY.match(text):
        month, day = (int(g) for g in match.groups())
        return _date(_nearest_year(month, day, today), month, day)
    if match := vocabulary.MONTH_PART.match(text):
        month = int(match.group(1))
        year = _nearest_year(month, 15, today)
        return date(year, month, 15) if match.group(2) else month_end(year, month)
    return None


def _month_relative(text: str, today: date) -> date | None:
    """20号, 下个月5号, 月底, 下月底, 月中: a day of this month (or the next once it has passed)."""
    day: int | None
    if match := vocabulary.DAY_OF_MONTH.match(text):
        this, following, day = match.group(1), match.group(2), int(match.group(3))
    elif match := vocabulary.MONTH_PART_RELATIVE.match(text):
        this, following = match.group(1), match.group(2)
        day = 15 if match.group(3) else None  # None: the month's last day
    else:
        return None
    first = add_months(today.replace(day=1), 1) if following else today.replace(day=1)
    if day is None:
        return month_end(first.year, first.month)
    # "20号" typed on the 25th (or "31号" in November) means next month's.
    if not (this or following) and day > 0 and not _date_or_none(first.year, first.month, day, today):
        first = add_months(first, 1)
    return _date(first.year, first.month, day)


def _weekday(text: str, today: date) -> date | None:
    """周五 (the next one, today included), 本周五/这周五 (this week's), 下周五 (next week's), 本周/下周 (its Sunday)."""
    if match := vocabulary.WEEKDAY_FORM.match(text):
        weekday = int(match.group(4)) - 1 if match.group(4) else 6
    elif match := vocabulary.WEEK_END.match(text):
        weekday = 6
    else:
        return None
    this, after_next, following = match.group(1), match.group(2), match.group(3)
    if not (this or after_next or following):
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=2 if after_next else 1 if following else 0, days=weekday)


def _relative(text: str, today: date) -> date | None:
    """今天, 明天, 后天, 大后天, 7天, 一周, 两个星期, 半个月, 一个月, 年底."""
    if match := vocabulary.NAMED_DAY.match(text):
        return today + timedelta(days=(match.lastindex or 1) - 1)
    if vocabulary.YEAR_END.match(text):
        return date(today.year, 12, 31)
    if match := vocabulary.DAYS.match(text):
        return today + timedelta(days=int(match.group(1)))
    if match := vocabulary.WEEKS.match(text):
        return today + timedelta(weeks=int(match.group(1)))
    if vocabulary.HALF_MONTH.match(text):
        return today + timedelta(days=15)
    if match := vocabulary.MONTHS.match(text):
        return add_months(today, int(match.group(1)))
    return None


_READERS: tuple[Callable[[str, date], date | None], ...] = (_numeric, _month_relative, _weekday, _relative)
