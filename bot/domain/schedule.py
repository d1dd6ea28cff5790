"""The schedule, as pure functions: which reminder rungs exist for a subject, which is due, and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.domain.periods import month_end, next_month_start, week_start


@dataclass(frozen=True)
class Rules:
    """Every time and offset of DESIGN.md section 3 (built from the settings)."""

    zone: tzinfo
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    village_nudge: tuple[int, time] = (0, time(9, 0))  # (weekday, time): Monday 09:00
    village_reminder: tuple[int, time] = (3, time(9, 0))  # Thursday 09:00
    village_last_call: tuple[int, time] = (6, time(18, 0))  # Sunday 18:00
    village_miss_list: tuple[int, time] = (0, time(9, 0))  # the next Monday 09:00, about the week before
    town_nudge: tuple[int, time] = (1, time(9, 0))  # (day of month, time)
    town_reminder: tuple[int, time] = (20, time(9, 0))
    town_last_call: time = time(18, 0)  # on the month's last day
    town_miss_list: tuple[int, time] = (1, time(9, 0))  # of the next month, about the month before
    deadline_time: time = time(9, 0)
    long_term_days: int = 7  # D-3 only for terms of at least this many days
    yellow_after_days: int = 1
    red_after_days: int = 7
    repeat_every_days: int = 7
    triage_hours: int = 24
    review_hours: int = 48
    ranking: tuple[int, time] = (1, time(9, 30))
    catch_up_days: int = 31  # a pass after a longer stop looks back this far at most

    def at(self, day: date, moment: time) -> datetime:
        """A local day and time as an aware moment."""
        return datetime.combine(day, moment, tzinfo=self.zone)


class RungKind(StrEnum):
    """The kinds of reminder; the values are stored in dedupe keys, so they never change."""

    NUDGE = "nudge"  # check cycles: the period begins
    REMINDER = "reminder"
    LAST_CALL = "last_call"
    MISS_LIST = "miss_list"  # who missed the period before
    RANKING = "ranking"
    D3 = "d-3"  # the deadline ladder
    D1 = "d-1"
    D_DAY = "d-day"
    YELLOW = "yellow"
    RED = "red"
    OVERDUE = "overdue"  # weekly after the red card, named with its day offset


@dataclass(frozen=True, order=True)
class Rung:
    """One reminder of a subject's ladder: when it is due, its kind and (weekly overdue) its day offset."""

    due: datetime
    kind: RungKind
    overdue_days: int = 0

    @property
    def name(self) -> str:
        """Its stable name, part of the dedupe key: the kind, or 'overdue+N' for the weekly overdue reminders."""
        return f"{self.kind.value}+{self.overdue_days}" if self.kind is RungKind.OVERDUE else self.kind.value


def latest_due(rungs: list[Rung], after: datetime, at: datetime) -> Rung | None:
    """The last rung due in (after, at]: after downtime only the latest missed rung is sent, once."""
    due = [r for r in rungs if after < r.due <= at]
    return max(due) if due else None


def week_rungs(day: date, rules: Rules) -> list[Rung]:
    """The village-check reminders of the week containing `day` (nudge, reminder, last call)."""
    monday = week_start(day)
    named = [
        (RungKind.NUDGE, rules.village_nudge),
        (RungKind.REMINDER, rules.village_reminder),
        (RungKind.LAST_CALL, rules.village_last_call),
    ]
    return [Rung(rules.at(monday + timedelta(days=weekday), moment), kind) for kind, (weekday, moment) in named]


def week_miss_list(day: date, rules: Rules) -> Rung:
    """When the list of villages that missed the week containing `day` goes out (the next week)."""
    weekday, moment = rules.village_miss_list
    return Rung(rules.at(week_start(day) + timedelta(days=7 + weekday), moment), RungKind.MISS_LIST)


def month_rungs(day: date, rules: Rules) -> list[Rung]:
    """The town-check reminders of the month containing `day` (nudge, reminder, last call on the last day)."""
    first = day.replace(day=1)
    return [
        Rung(rules.at(first.replace(day=rules.town_nudge[0]), rules.town_nudge[1]), RungKind.NUDGE),
        Rung(rules.at(first.replace(day=rules.town_reminder[0]), rules.town_reminder[1]), RungKind.REMINDER),
        Rung(rules.at(month_end(day), rules.town_last_call), RungKind.LAST_CALL),
    ]


def month_miss_list(day: date, rules: Rules) -> Rung:
    """When the list of towns that missed the month containing `day` goes out (the next month)."""
    first_next = next_month_start(day)
    return Rung(rules.at(first_next.replace(day=rules.town_miss_list[0]), rules.town_miss_list[1]), RungKind.MISS_LIST)


def ranking_rung(day: date, rules: Rules) -> Rung:
    """When the ranking of the month before `day`'s month is published."""
    return Rung(rules.at(day.replace(day=rules.ranking[0]), rules.ranking[1]), RungKind.RANKING)


def deadline_rungs(deadline: date, assigned_on: date, until: date, rules: Rules) -> list[Rung]:
    """The deadline ladder up to `until`: D-3 (long terms), D-1, D-day, +1 yellow card, +7 red card, then weekly."""
    offsets: list[tuple[int, RungKind]] = []
    if (deadline - assigned_on).days >= rules.long_term_days:
        offsets.append((-3, RungKind.D3))
    offsets += [
        (-1, RungKind.D1),
        (0, RungKind.D_DAY),
        (rules.yellow_after_days, RungKind.YELLOW),
        (rules.red_after_days, RungKind.RED),
    ]
    rungs = [Rung(rules.at(deadline + timedelta(days=o), rules.deadline_time), kind) for o, kind in offsets]
    overdue = rules.red_after_days + rules.repeat_every_days
    while deadline + timedelta(days=overdue) <= until:
        moment = rules.at(deadline + timedelta(days=overdue), rules.deadline_time)
        rungs.append(Rung(moment, RungKind.OVERDUE, overdue))
        overdue += rules.repeat_every_days
    return rungs


def rung_offsets(until_days: int, rules: Rules) -> list[int]:
    """Every day offset from a deadline at which a rung may fall, up to `until_days` after it."""
    offsets = [-3, -1, 0, rules.yellow_after_days, rules.red_after_days]
    overdue = rules.red_after_days + rules.repeat_every_days
    while overdue <= until_days:
        offsets.append(overdue)
        overdue += rules.repeat_every_days
    return offsets


def release_at(now: datetime, rules: Rules, *, urgent: bool) -> datetime:
    """When a notification may go out: at once, or at the end of quiet hours (urgent ones ignore them)."""
    if urgent:
        return now
    local = now.astimezone(rules.zone)
    start, end = rules.quiet_start, rules.quiet_end
    clock = local.timetz().replace(tzinfo=None)
    quiet = clock >= start or clock < end if start > end else start <= clock < end
    if not quiet:
        return now
    release_day = local.date() + timedelta(days=1) if start > end and clock >= start else local.date()
    return rules.at(release_day, end)
