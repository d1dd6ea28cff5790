"""Statistics and the monthly ranking: one definition (bot.domain.statistics) used by /stats, /rank, the ledger and
the monthly send."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from bot.clock import Clock
from bot.domain import vocabulary
from bot.domain.errors import BadPeriod, NotAllowed
from bot.domain.people import Actor
from bot.domain.periods import local_date, parse_month
from bot.domain.places import Coverage
from bot.domain.policy import Action, can
from bot.domain.statistics import (
    AreaTally,
    Period,
    Ranking,
    Stats,
    Tally,
    Weights,
    month_period,
    previous_month,
    rank,
    week_period,
)
from storage.statistics import Grouping, StatisticsRepository

# Coverage (村不漏户) of towns over local days [start, end), windows begun by a day: {town: {village: coverage}}.
CoverageSource = Callable[[Iterable[int], date, date, date | None], Awaitable[dict[int, dict[int, Coverage]]]]


@dataclass(frozen=True)
class RankingView:
    """/rank: the ranking, and for a supervisor their town's villages for the same month."""

    ranking: Ranking
    own_town: Stats | None


class StatisticsService:
    """Figures for a scope and period, and towns ranked for a month."""

    def __init__(
        self,
        statistics: StatisticsRepository,
        clock: Clock,
        zone: tzinfo,
        weights: Weights,
        bottom_flagged: int,
        coverage: CoverageSource,
    ) -> None:
        self._statistics = statistics
        self._coverage = coverage
        self._clock = clock
        self._zone = zone
        self.weights = weights
        self._bottom = bottom_flagged

    def today(self) -> date:
        """Today in the deployment's time zone."""
        return local_date(self._clock.now(), self._zone)

    # ---- periods ----

    def period(self, words: list[str], *, weeks: bool, default_last_month: bool = False) -> Period:
        """本周 (when weeks are allowed), 本月, 上月 or a month (YYYY-MM or 2026年11月); raises BadPeriod."""
        today = self.today()
        if not words:
            return previous_month(today) if default_last_month else month_period(today, today)
        if len(words) > 1:
            raise BadPeriod(words)
        word = words[0]
        if word == vocabulary.PERIOD_THIS_WEEK and weeks:
            return week_period(today)
        if word == vocabulary.PERIOD_THIS_MONTH:
            return month_period(today, today)
        if word == vocabulary.PERIOD_LAST_MONTH:
            return previous_month(today)
        chinese = vocabulary.YEAR_MONTH.match(word)
        first = parse_month(f"{chinese.group(1)}-{chinese.group(2)}" if chinese else word)
        if first is None or first > today:
            raise BadPeriod(word)
        return month_period(first, today)

    # ---- the one definition ----

    async def figures(self, town_id: int | None, period: Period) -> Stats:
        """The figures of a town (one row per village) or of the city (one row per town) for a period."""
        grouping = Grouping.TOWN if town_id is None else Grouping.VILLAGE
        start, end = self._moment(period.start), self._moment(period.end)
        offset = start.utcoffset()
        offset_minutes = int(offset.total_seconds() // 60) if offset else 0
        repo = self._statistics
        cohort = await repo.cohort(grouping, town_id, start, end, offset_minutes)
        overdue = await repo.overdue(grouping, town_id, self.today(), end)
        village_checks = await repo.checks_done("village", grouping, town_id, period.week_keys)
        town_checks = await repo.checks_done("town", Grouping.TOWN, town_id, period.month_keys)
        villages = await repo.villages_per_town(town_id)
        weeks, months = len(period.week_keys), len(period.month_keys)
        areas = await repo.areas(grouping, town_id)
        towns = [area_id for area_id, _ in areas] if town_id is None else [town_id]
        covered = await self._coverage(towns, period.start, period.end, self.today())
        if town_id is None:
            cover = {town: sum(villages.values(), Coverage(0, 0)) for town, villages in covered.items()}
        else:
            cover = covered.get(town_id, {})
        rows = []
        for area_id, name in areas:
            counts = cohort.get(area_id)
            city = grouping is Grouping.TOWN
            coverage = cover.get(area_id, Coverage(0, 0))
            tally = Tally(
                reported=counts.reported if counts else 0,
                verified=counts.verified if counts else 0,
                invalid=counts.invalid if counts else 0,
                duplicate=counts.duplicate if counts else 0,
                on_time=counts.on_time if counts else 0,
                overdue=overdue.get(area_id, 0),
                village_weeks_done=village_checks.get(area_id, 0),
                village_weeks_expected=weeks * (villages.get(area_id, 0) if city else 1),
                town_months_done=town_checks.get(area_id, 0) if city else 0,
                town_months_expected=months if city else 0,
                places_visited=coverage.visited,
                places_due=coverage.due,
            )
            rows.append(AreaTally(id=area_id, name=name, tally=tally))
        total = sum((row.tally for row in rows), Tally())
        scope_name = None
        if town_id is not None:
            total += Tally(town_months_done=town_checks.get(town_id, 0), town_months_expected=months)
            scope_name = await repo.town_name(town_id)
        return Stats(
            period=period,
            as_of=self._clock.now(),
            town_id=town_id,
            scope_name=scope_name,
            total=total,
            rows=rows,
        )

    async def ranking(self, month: date) -> Ranking:
        """Towns ranked for the month containing `month` (the scheduler sends last month's on the 1st)."""
        return rank(await self.figures(None, month_period(month, self.today())), self.weights, self._bottom)

    # ---- for people ----

    async def stats(self, actor: Actor, words: list[str]) -> Stats:
        """/stats [本周|本月|上月|YYYY-MM]: a supervisor's town by village, an admin's city by town."""
        self._allowed(actor)
        return await self.figures(actor.town_id, self.period(words, weeks=True))

    async def ranking_view(self, actor: Actor, words: list[str]) -> RankingView:
        """/rank [本月|上月|YYYY-MM] (default last month): the ranking; a supervisor also gets their villages."""
        self._allowed(actor)
        period = self.period(words, weeks=False, default_last_month=True)
        ranking = rank(await self.figures(None, period), self.weights, self._bottom)
        own = await self.figures(actor.town_id, period) if actor.town_id is not None else None
        return RankingView(ranking=ranking, own_town=own)

    def _allowed(self, actor: Actor) -> None:
        if not can(actor, Action.VIEW_STATS):
            raise NotAllowed(Action.VIEW_STATS)

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, time(), self._zone)
