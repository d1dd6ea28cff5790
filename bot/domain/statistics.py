"""Statistics and the monthly ranking: the one definition of every figure GridSafe reports.

Every hazard figure counts the cohort of the period, the hazards *reported* in it (by local date), in the state they
are in when the figures are made. Checks count the periods of the period: the ISO weeks of a month are those whose
Thursday falls in it (so each week belongs to exactly one month), counted once they have begun.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.periods import month_key, month_start, next_month_start, week_key, week_start


class PeriodKind(StrEnum):
    """A statistics period: one ISO week or one month."""

    WEEK = "week"
    MONTH = "month"


class Period(BaseModel):
    """Local days [start, end) and the check periods that fall in them."""

    model_config = ConfigDict(frozen=True)

    kind: PeriodKind
    start: date
    end: date  # the day after the last day
    week_keys: tuple[str, ...]  # village checks expected: ISO weeks of the period that have begun
    month_keys: tuple[str, ...]  # town checks expected

    @property
    def last_day(self) -> date:
        """The period's last day."""
        return self.end - timedelta(days=1)

    @property
    def key(self) -> str:
        """'2026-W48' or '2026-11'."""
        return week_key(self.start) if self.kind is PeriodKind.WEEK else month_key(self.start)


def week_period(day: date) -> Period:
    """The ISO week containing the day; its town check is that of the month holding the week's Thursday."""
    monday = week_start(day)
    return Period(
        kind=PeriodKind.WEEK,
        start=monday,
        end=monday + timedelta(days=7),
        week_keys=(week_key(monday),),
        month_keys=(month_key(monday + timedelta(days=3)),),
    )


def month_mondays(day: date) -> list[date]:
    """The Mondays of the ISO weeks that belong to the day's month (those whose Thursday falls in it)."""
    start, end = month_start(day), next_month_start(day)
    thursday = start + timedelta(days=(3 - start.weekday()) % 7)
    mondays = []
    while thursday < end:
        mondays.append(thursday - timedelta(days=3))
        thursday += timedelta(days=7)
    return mondays


def month_period(day: date, today: date) -> Period:
    """The month containing the day, with the checks expected of it by today (weeks that have begun)."""
    start = month_start(day)
    return Period(
        kind=PeriodKind.MONTH,
        start=start,
        end=next_month_start(day),
        week_keys=tuple(week_key(monday) for monday in month_mondays(day) if monday <= today),
        month_keys=(month_key(start),) if start <= today else (),
    )


def previous_month(today: date) -> Period:
    """Last month (what the ranking of the 1st is about)."""
    return month_period(month_start(today) - timedelta(days=1), today)


class Tally(BaseModel):
    """The counts of one area (a village, a town or the city) for one period, and the rates made from them."""

    model_config = ConfigDict(frozen=True)

    reported: int = 0
    verified: int = 0  # closed, rectification verified (销号)
    invalid: int = 0  # closed as 不属实
    duplicate: int = 0  # closed as 重复
    on_time: int = 0  # verified, and the (last) rectification was submitted by the deadline's local day
    overdue: int = 0  # reported before the period ended and overdue now
    village_weeks_done: int = 0
    village_weeks_expected: int = 0
    town_months_done: int = 0
    town_months_expected: int = 0
    places_visited: int = 0  # 村不漏户: visits made at places, one per place and window of its grade
    places_due: int = 0  # visits due in the period (windows closing in it that have begun)

    @property
    def valid(self) -> int:
        """Hazards that must be rectified: reported less 不属实 and 重复."""
        return self.reported - self.invalid - self.duplicate

    @property
    def rectification_rate(self) -> float | None:
        """整改率 = verified ÷ (reported − invalid − duplicate); None when nothing had to be rectified."""
        return _ratio(self.verified, self.valid)

    @property
    def due_rectification_rate(self) -> float | None:
        """到期整改率 = verified ÷ (verified + overdue): of the hazards that fell due, the share fixed; None if none did.

        Hazards still within their deadline (or waiting for 交办 or 复核) are not judged yet, so reporting one never
        counts against a town.
        """
        return _ratio(self.verified, self.verified + self.overdue)

    @property
    def on_time_rate(self) -> float | None:
        """按期整改率 = verified on time ÷ verified; None when nothing was verified."""
        return _ratio(self.on_time, self.verified)

    @property
    def village_check_rate(self) -> float | None:
        """Village weeks with a check ÷ village weeks expected."""
        return _ratio(self.village_weeks_done, self.village_weeks_expected)

    @property
    def town_check_rate(self) -> float | None:
        """Town months with a check ÷ town months expected."""
        return _ratio(self.town_months_done, self.town_months_expected)

    @property
    def check_rate(self) -> float | None:
        """排查完成率: the mean of the village and the town rate (each counts half), of those that apply."""
        rates = [r for r in (self.village_check_rate, self.town_check_rate) if r is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def coverage_rate(self) -> float | None:
        """村不漏户覆盖率 = visits made ÷ visits due; None where no place was due (a town without places)."""
        return _ratio(self.places_visited, self.places_due)

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in Tally.model_fields})


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole > 0 else None


class AreaTally(BaseModel):
    """A named area and its tally."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    tally: Tally


class Stats(BaseModel):
    """Figures for a scope and period: the total and one row per town (city) or per village (town)."""

    model_config = ConfigDict(frozen=True)

    period: Period
    as_of: datetime  # the figures show the cohort's state at this moment
    town_id: int | None  # the town, None for the whole city
    scope_name: str | None  # the town's name, None for the whole city
    total: Tally
    rows: list[AreaTally]


class Weights(BaseModel):
    """The ranking's score formula (config.toml [ranking])."""

    model_config = ConfigDict(frozen=True)

    check: float
    rectification: float
    on_time: float
    overdue_penalty: float
    coverage: float = 0.0  # 村不漏户: counts only for a town with places due


def score(tally: Tally, weights: Weights) -> float:
    """Check points plus hazard points (never below 0) on a scale of 100, to one decimal.

    check points  = 100 × check_weight × 排查完成率 ÷ W   (W: the sum of the weights that apply)
    hazard points = 100 × (rectification_weight × 到期整改率 + on_time_weight × 按期整改率) ÷ W − penalty × 逾期
    coverage points = 100 × coverage_weight × 村不漏户覆盖率 ÷ W, added (with its weight in W) only for a town
    with places due: a town without places is scored on the other three alone, as before places existed.
    A rate that cannot be computed is not left out (that made silence win): with no hazard fallen due the town earns
    its hazard points in proportion to its checks (nothing found counts only as far as the town looked), and with
    none verified 按期整改率 follows 到期整改率. So a hazard still within its deadline changes nothing, a town that
    neither checks nor reports scores 0, and one that checks scores above 0 whatever its hazards.
    """
    looked = tally.check_rate if tally.check_rate is not None else 1.0
    fixed = tally.due_rectification_rate
    fixed = looked if fixed is None else fixed
    on_time = tally.on_time_rate
    on_time = fixed if on_time is None else on_time
    covered = tally.coverage_rate
    coverage_weight = 0.0 if covered is None else weights.coverage
    total = weights.check + weights.rectification + weights.on_time + coverage_weight
    checks = 100 * (weights.check * looked + coverage_weight * (covered or 0.0)) / total
    hazards = 100 * (weights.rectification * fixed + weights.on_time * on_time) / total
    return round(checks + max(0.0, hazards - weights.overdue_penalty * tally.overdue), 1)


class RankedTown(BaseModel):
    """One town's place in the ranking."""

    model_config = ConfigDict(frozen=True)

    place: int
    town_id: int
    town_name: str
    tally: Tally
    score: float
    flagged: bool  # among the bottom places (后三位)


class Ranking(BaseModel):
    """Towns ranked for a month by score (ties: fewer overdue, then name)."""

    model_config = ConfigDict(frozen=True)

    period: Period
    as_of: datetime
    weights: Weights
    towns: list[RankedTown]

    def place_of(self, town_id: int) -> RankedTown | None:
        """A town's entry."""
        return next((t for t in self.towns if t.town_id == town_id), None)


def rank(stats: Stats, weights: Weights, bottom: int) -> Ranking:
    """Rank the towns of city-wide figures: equal standing shares a place; the last `bottom` places are flagged."""
    # Standing is the score, then fewer overdue; towns of equal standing share a place (并列) and are listed by name.
    # A town is flagged (后三位) when fewer than `bottom` towns stand below it and at least one stands above it, so a
    # tie at the edge spares nobody by their name, and towns that all stand equal are not flagged at all; nothing is
    # flagged when there are no more towns than that.
    scored = [(score(t.tally, weights), -t.tally.overdue, t) for t in stats.rows]
    scored.sort(key=lambda s: (-s[0], -s[1], s[2].name))
    standings = sorted((value, overdue) for value, overdue, _ in scored)
    towns = []
    for value, overdue, town in scored:
        below = bisect_left(standings, (value, overdue))
        above = len(standings) - bisect_right(standings, (value, overdue))
        towns.append(
            RankedTown(
                place=above + 1,
                town_id=town.id,
                town_name=town.name,
                tally=town.tally,
                score=value,
                flagged=len(scored) > bottom and below < bottom and above > 0,
            )
        )
    return Ranking(period=stats.period, as_of=stats.as_of, weights=weights, towns=towns)
