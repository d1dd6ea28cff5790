"""The natural-date parser as a table: one typed text, one fixed today, one expected date (or refusal)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot import texts
from bot.domain.dates import chinese_number
from bot.domain.deadlines import may_keep, parse_deadline, rework_days
from bot.domain.errors import DeadlineInPast, DeadlineTooFar, DeadlineUnreadable
from bot.domain.hazards import Hazard, Severity, Status

MON = date(2026, 11, 23)  # a Monday in the middle of a month
YEAR_END = date(2026, 12, 30)  # a Wednesday two days before the new year
LEAP = date(2028, 2, 28)  # a Monday, the day before a 29 February
MONTH_END = date(2026, 1, 31)  # a Saturday on the last day of a 31-day month


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        # numeric forms (accepted before)
        ("2026-12-05", MON, date(2026, 12, 5)),
        ("2026/12/5", MON, date(2026, 12, 5)),
        ("2026年12月5日", MON, date(2026, 12, 5)),
        ("12月5号", MON, date(2026, 12, 5)),
        ("12-05", MON, date(2026, 12, 5)),
        ("２０２６－１２－０５", MON, date(2026, 12, 5)),  # full-width, as some phone keyboards type
        ("1月5日", MON, date(2027, 1, 5)),
        # Chinese numerals and 前/截止
        ("十二月五日", MON, date(2026, 12, 5)),
        ("二〇二六年十二月二十日", MON, date(2026, 12, 20)),
        ("12月20日前", MON, date(2026, 12, 20)),
        ("12月20号之前", MON, date(2026, 12, 20)),
        ("截止到12月20日", MON, date(2026, 12, 20)),
        ("12月底", MON, date(2026, 12, 31)),
        ("1月中", MON, date(2027, 1, 15)),
        # weekdays: 周五 is the next Friday (today included), 本周五 this week's, 下周五 next week's
        ("周五", MON, date(2026, 11, 27)),
        ("星期五", MON, date(2026, 11, 27)),
        ("礼拜五", MON, date(2026, 11, 27)),
        ("本周五", MON, date(2026, 11, 27)),
        ("这周五", MON, date(2026, 11, 27)),
        ("下周五", MON, date(2026, 12, 4)),
        ("下个星期五", MON, date(2026, 12, 4)),
        ("下周五前", MON, date(2026, 12, 4)),
        ("下下周一", MON, date(2026, 12, 7)),
        ("周一", MON, MON),
        ("周日", MON, date(2026, 11, 29)),
        ("星期天", MON, date(2026, 11, 29)),
        ("本周内", MON, date(2026, 11, 29)),
        ("下周", MON, date(2026, 12, 6)),
        # days of this month, or the next once passed
        ("25号", MON, date(2026, 11, 25)),
        ("20号", MON, date(2026, 12, 20)),
        ("20日", MON, date(2026, 12, 20)),
        ("二十号", MON, date(2026, 12, 20)),
        ("廿五号", MON, date(2026, 11, 25)),
        ("三十一号", MON, date(2026, 12, 31)),  # November has no 31st
        ("下个月5号", MON, date(2026, 12, 5)),
        ("下月五日", MON, date(2026, 12, 5)),
        ("月底", MON, date(2026, 11, 30)),
        ("本月底", MON, date(2026, 11, 30)),
        ("下月底", MON, date(2026, 12, 31)),
        ("下个月底", MON, date(2026, 12, 31)),
        ("月中", MON, date(2026, 12, 15)),  # the 15th has passed
        ("年底前", MON, date(2026, 12, 31)),
        # relative terms
        ("今天", MON, MON),
        ("明天", MON, date(2026, 11, 24)),
        ("后天", MON, date(2026, 11, 25)),
        ("大后天", MON, date(2026, 11, 26)),
        ("一周", MON, date(2026, 11, 30)),
        ("两周", MON, date(2026, 12, 7)),
        ("一个星期", MON, date(2026, 11, 30)),
        ("两个礼拜内", MON, date(2026, 12, 7)),
        ("十天", MON, date(2026, 12, 3)),
        ("7天", MON, date(2026, 11, 30)),
        ("7天（默认）", MON, date(2026, 11, 30)),  # a day button's label typed as text
        ("3天", MON, date(2026, 11, 26)),  # every day button's label
        ("15天", MON, date(2026, 12, 8)),
        ("30天（默认）", MON, date(2026, 12, 23)),
        ("12月18日（周五）", MON, date(2026, 12, 18)),  # the echo copied back
        ("期限：12月18日（周五）", MON, date(2026, 12, 18)),
        ("2027年1月8日（周五）", YEAR_END, date(2027, 1, 8)),
        ("7天后", MON, date(2026, 11, 30)),
        ("3天内", MON, date(2026, 11, 26)),
        ("半个月", MON, date(2026, 12, 8)),
        ("一个月", MON, date(2026, 12, 23)),
        # across the year end
        ("明天", YEAR_END, date(2026, 12, 31)),
        ("后天", YEAR_END, date(2027, 1, 1)),
        ("月底", YEAR_END, date(2026, 12, 31)),
        ("下月底", YEAR_END, date(2027, 1, 31)),
        ("周五", YEAR_END, date(2027, 1, 1)),
        ("本周五", YEAR_END, date(2027, 1, 1)),
        ("下周五", YEAR_END, date(2027, 1, 8)),
        ("20号", YEAR_END, date(2027, 1, 20)),
        ("下个月5号", YEAR_END, date(2027, 1, 5)),
        ("1月5日", YEAR_END, date(2027, 1, 5)),
        ("一周", YEAR_END, date(2027, 1, 6)),
        ("十天", YEAR_END, date(2027, 1, 9)),
        ("7天", YEAR_END, date(2027, 1, 6)),
        ("12月31日前", YEAR_END, date(2026, 12, 31)),
        ("月底", MONTH_END, MONTH_END),
        ("后天", MONTH_END, date(2026, 2, 2)),
        ("20号", MONTH_END, date(2026, 2, 20)),
        ("半个月", YEAR_END, date(2027, 1, 14)),
        ("一个月", YEAR_END, date(2027, 1, 30)),
        ("月中", YEAR_END, date(2027, 1, 15)),
        # a leap February
        ("明天", LEAP, date(2028, 2, 29)),
        ("月底", LEAP, date(2028, 2, 29)),
        ("后天", LEAP, date(2028, 3, 1)),
        ("29号", LEAP, date(2028, 2, 29)),
        ("30号", LEAP, date(2028, 3, 30)),
        ("下月底", LEAP, date(2028, 3, 31)),
        ("一个月", LEAP, date(2028, 3, 28)),
        ("本周日", LEAP, date(2028, 3, 5)),
        # a month's last day
        ("一个月", MONTH_END, date(2026, 2, 28)),
        ("两个月", MONTH_END, date(2026, 3, 31)),
        ("下月底", MONTH_END, date(2026, 2, 28)),
        ("周五", MONTH_END, date(2026, 2, 6)),
        ("周六", MONTH_END, MONTH_END),
        ("下周五", MONTH_END, date(2026, 2, 6)),
    ],
)
def test_dates_are_read_as_people_type_them(typed: str, today: date, expected: date) -> None:
    assert parse_deadline(typed, today) == expected


@pytest.mark.parametrize(
    ("typed", "today", "error"),
    [
        ("好的", MON, DeadlineUnreadable),
        ("元旦前", MON, DeadlineUnreadable),  # holidays are not read (see README: dates people type)
        ("下周八", MON, DeadlineUnreadable),
        ("十一十", MON, DeadlineUnreadable),
        ("昨天", MON, DeadlineUnreadable),
        ("0号", MON, DeadlineUnreadable),
        ("32号", MON, DeadlineUnreadable),
        ("13月底", MON, DeadlineUnreadable),
        ("下个月30号", MONTH_END, DeadlineUnreadable),  # February has no 30th
        ("2026-02-30", MON, DeadlineUnreadable),
        ("13-01", MON, DeadlineUnreadable),
        ("7", MON, DeadlineUnreadable),  # a bare number is neither days nor a date
        ("2026-11-22", MON, DeadlineInPast),
        ("11-20", MON, DeadlineInPast),
        ("本周五", MONTH_END, DeadlineInPast),  # this week's Friday was yesterday
        ("12月20日", YEAR_END, DeadlineInPast),
        ("2028-01-01", MON, DeadlineTooFar),
        ("13个月", MON, DeadlineTooFar),
        ("400天", MON, DeadlineTooFar),
    ],
)
def test_what_is_not_a_deadline_is_refused(typed: str, today: date, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_deadline(typed, today)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("廿", 20),
        ("廿五", 25),
        ("三十一", 31),
        ("卅", 30),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


def test_the_understood_date_is_echoed_with_its_weekday() -> None:
    assert texts.deadline_echo(date(2026, 12, 18), date(2026, 12, 6)) == "期限：12月18日（周五）"
    assert texts.deadline_echo(date(2027, 1, 8), YEAR_END) == "期限：2027年1月8日（周五）"
    assigned = _assigned(date(2026, 12, 18))
    assert texts.deadline_label(assigned, date(2026, 12, 6), weekday=True) == "2026-12-18（周五，还有 12 天）"
    assert texts.deadline_label(assigned, date(2026, 12, 20), weekday=True) == "2026-12-18（周五，已逾期 2 天）"


def _assigned(deadline: date) -> Hazard:
    """An assigned hazard with this deadline (the label follows the domain's overdue)."""
    return Hazard(
        id=1,
        town_id=1,
        town_name="青龙镇",
        village_id=2,
        village_name="新龙村",
        reporter_id=3,
        reporter_name="李四",
        description="通道堵塞",
        category="消防",
        severity=Severity.GENERAL,
        place="幸福超市",
        latitude=None,
        longitude=None,
        status=Status.ASSIGNED,
        closure=None,
        fixed_on_spot=False,
        reported_at=datetime(2026, 12, 1, tzinfo=UTC),
        deadline=deadline,
    )


@pytest.mark.parametrize(
    ("deadline", "term", "today", "proposed"),
    [
        (date(2026, 11, 30), 7, MON, None),  # 7 days left: keep the deadline
        (date(2026, 11, 26), 7, MON, None),  # 3 days left: still keep
        (date(2026, 11, 25), 7, MON, 4),  # 2 days left: half of 7, rounded up
        (date(2026, 11, 24), 30, MON, 15),  # a major hazard's month, a day left: half of it
        (MON, 30, MON, 15),  # due today
        (date(2026, 11, 20), 4, MON, 3),  # passed, a short term: never less than 3 days
        (date(2026, 11, 20), 1, MON, 3),
        (date(2026, 11, 20), None, MON, 4),  # the term unknown: half of the severity's default (7)
        (None, None, MON, 4),
        (date(2026, 12, 31), 7, YEAR_END, 4),  # across the year end: a day left
        (date(2027, 1, 2), 15, YEAR_END, None),  # three days left, in the new year
    ],
)
def test_a_rejected_fix_is_proposed_a_term_from_the_time_left(
    deadline: date | None, term: int | None, today: date, proposed: int | None
) -> None:
    assert rework_days(deadline, term, 7, today) == proposed
    assert may_keep(deadline, today) == (deadline is not None and deadline > today)
