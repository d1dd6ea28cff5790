"""Statistics and the ranking on a hand-built dataset, checked against figures worked out by hand; periods; score."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import matplotlib
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot import texts
from bot.chart import (
    FLAGGED_COLOUR,
    MAX_BARS,
    MIN_BAR,
    OTHER_COLOUR,
    chart_bars,
    find_chinese_font,
    has_chinese_glyphs,
    ranking_chart,
)
from bot.clock import FakeClock
from bot.domain.errors import BadPeriod
from bot.domain.hazards import Hazard
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.domain.statistics import (
    AreaTally,
    PeriodKind,
    Ranking,
    Stats,
    Tally,
    Weights,
    month_period,
    rank,
    score,
    week_period,
)
from bot.services.container import Services
from tests.scenario import Cast, attempt, bind, report

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEIGHTS = Weights(check=0.3, rectification=0.4, on_time=0.3, overdue_penalty=2.0)


def at(clock: FakeClock, month: int, day: int, hour: int = 10) -> None:
    clock.set(datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI))


async def log_check(services: Services, kind: str, town: str, village: str | None, period: str) -> None:
    """A check as /check stores it (the checks table of migration 0004)."""
    async with services.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO checks (kind, town_id, village_id, period, person_id, places_checked, logged_at, updated_at)"
            " SELECT ?, t.id, v.id, ?, (SELECT MIN(id) FROM people), 3, '2026-11-01T00:00:00.000000Z',"
            " '2026-11-01T00:00:00.000000Z' FROM towns t LEFT JOIN villages v ON v.town_id = t.id AND v.name = ?"
            " WHERE t.name = ?",
            (kind, period, village, town),
        )


async def build_november(services: Services, clock: FakeClock) -> dict[str, Hazard]:
    """青龙镇 (新龙村, 牛冲村) and 白石镇 (民溪村) through November 2026; see the expectations below."""
    cast = await Cast.assemble(services)
    officer_b = await bind(services, Role.OFFICER, village="民溪村")
    owner_b = await bind(services, Role.OWNER, village="民溪村", name="王老板")
    h: dict[str, Hazard] = {}

    async def step(name: str, actor: object, move: Move, **kwargs: int) -> None:
        h[name] = (await attempt(services, actor, h[name].id, move, **kwargs)).hazard  # type: ignore[arg-type]

    at(clock, 10, 28)  # October: outside November's cohort, overdue since 11-04
    h["h7"] = await report(services, cast.officer)
    await step("h7", cast.supervisor, Move.ASSIGN)
    at(clock, 11, 2)  # verified on time: deadline 11-09, submitted 11-05
    h["h1"] = await report(services, cast.officer)
    await step("h1", cast.supervisor, Move.ASSIGN)
    at(clock, 11, 3)  # verified late: deadline 11-10, submitted 11-12
    h["h2"] = await report(services, cast.officer)
    await step("h2", cast.supervisor, Move.ASSIGN)
    at(clock, 11, 4)  # 白石镇: verified on time
    h["b1"] = await report(services, officer_b)
    await step("b1", cast.outsider, Move.ASSIGN)
    await step("b1", owner_b, Move.SUBMIT)
    await step("b1", cast.outsider, Move.VERIFY)
    at(clock, 11, 5)
    await step("h1", cast.owner, Move.SUBMIT)
    at(clock, 11, 6)
    await step("h1", cast.supervisor, Move.VERIFY)
    at(clock, 11, 10)  # 不属实 and 重复: not to be rectified
    h["h3"] = await report(services, cast.officer)
    await step("h3", cast.supervisor, Move.INVALID)
    h["h4"] = await report(services, cast.officer)
    await step("h4", cast.supervisor, Move.DUPLICATE, original=h["h1"].id)
    at(clock, 11, 12)
    await step("h2", cast.owner, Move.SUBMIT)
    await step("h2", cast.supervisor, Move.VERIFY)
    at(clock, 11, 16)  # deadline 11-23: overdue from 11-24
    h["h5"] = await report(services, cast.officer)
    await step("h5", cast.supervisor, Move.ASSIGN)
    at(clock, 11, 18)  # 牛冲村: not assigned yet
    h["h8"] = await report(services, cast.neighbour)
    at(clock, 11, 20)  # 即查即改, verified: no deadline, so on time
    h["h6"] = await report(services, cast.officer, fixed_on_spot=True)
    await step("h6", cast.supervisor, Move.VERIFY)
    at(clock, 12, 1)  # December: outside November's cohort
    h["d1"] = await report(services, cast.officer)
    for week in ("2026-W45", "2026-W46", "2026-W47"):
        await log_check(services, "village", "青龙镇", "新龙村", week)
    await log_check(services, "village", "青龙镇", "牛冲村", "2026-W45")
    await log_check(services, "village", "青龙镇", "牛冲村", "2026-W49")  # a December week
    await log_check(services, "town", "青龙镇", None, "2026-11")
    for week in ("2026-W45", "2026-W46", "2026-W47", "2026-W48"):
        await log_check(services, "village", "白石镇", "民溪村", week)
    at(clock, 12, 2, 9)
    return h


async def test_town_figures_by_village_match_the_hand_count(services: Services, clock: FakeClock) -> None:
    await build_november(services, clock)
    town_id = (await services.db.fetch_one("SELECT id FROM towns WHERE name = '青龙镇'"))[0]  # type: ignore[index]
    stats = await services.statistics.figures(town_id, month_period(date(2026, 11, 1), date(2026, 12, 2)))
    # Reported in November: h1 h2 h3 h4 h5 h6 (新龙村) and h8 (牛冲村); h7 is October's, d1 December's.
    # Verified h1 h2 h6; invalid h3; duplicate h4; on time h1 (11-05 ≤ 11-09) and h6 (no deadline), not h2.
    # Overdue now (12-02): h5 (deadline 11-23) and h7 (11-04), both reported before December.
    # Checks: 4 of 12 villages × 4 weeks (W45–W48; W49 is December's); the town's November check.
    assert stats.scope_name == "青龙镇"
    assert stats.total == Tally(
        reported=7,
        verified=3,
        invalid=1,
        duplicate=1,
        on_time=2,
        overdue=2,
        village_weeks_done=4,
        village_weeks_expected=48,
        town_months_done=1,
        town_months_expected=1,
    )
    assert stats.total.rectification_rate == pytest.approx(3 / 5)
    assert stats.total.on_time_rate == pytest.approx(2 / 3)
    assert stats.total.check_rate == pytest.approx((4 / 48 + 1) / 2)
    rows = {row.name: row.tally for row in stats.rows}
    assert len(rows) == 12
    assert rows["新龙村"] == Tally(
        reported=6,
        verified=3,
        invalid=1,
        duplicate=1,
        on_time=2,
        overdue=2,
        village_weeks_done=3,
        village_weeks_expected=4,
    )
    assert rows["新龙村"].rectification_rate == pytest.approx(3 / 4)
    assert rows["牛冲村"] == Tally(reported=1, village_weeks_done=1, village_weeks_expected=4)
    assert rows["牛冲村"].rectification_rate == 0 and rows["牛冲村"].on_time_rate is None
    assert rows["西庄村"] == Tally(village_weeks_expected=4)
    assert rows["西庄村"].rectification_rate is None


async def test_ranking_matches_the_hand_computed_scores(services: Services, clock: FakeClock) -> None:
    await build_november(services, clock)
    ranking = await services.statistics.ranking(date(2026, 11, 1))
    assert [t.place for t in ranking.towns] == [1, 2] + [3] * 13  # equal standing shares a place
    first, second = ranking.towns[0], ranking.towns[1]
    # 白石镇: checks (4/48 + 0/1) / 2; its one hazard verified on time; no overdue.
    assert first.town_name == "白石镇"
    assert first.score == pytest.approx(100 * (0.3 * (4 / 48) / 2 + 0.4 * 1 + 0.3 * 1), abs=0.05)
    # 青龙镇: checks (4/48 + 1) / 2; fell due: 3 verified and 2 overdue (整改 3/5), on time 2 of 3, 2 overdue × 2.
    assert second.town_name == "青龙镇"
    assert second.score == pytest.approx(100 * (0.3 * (4 / 48 + 1) / 2 + 0.4 * 3 / 5 + 0.3 * 2 / 3) - 4, abs=0.05)
    assert second.tally.overdue == 2 and second.tally.reported == 7
    # The other 13 towns: no hazards and no checks: 0, listed by name, all equally last, so all flagged (a name
    # never spares a town from 后三位).
    rest = ranking.towns[2:]
    assert all(t.score == 0 for t in rest)
    assert [t.town_name for t in rest] == sorted(t.town_name for t in rest)
    assert [t.flagged for t in ranking.towns] == [False] * 2 + [True] * 13
    city = await services.statistics.figures(None, ranking.period)
    assert city.total.reported == 8 and city.total.village_weeks_expected == 179 * 4
    assert city.total.town_months_expected == 15 and city.total.town_months_done == 1
    chart = ranking_chart(ranking)
    assert chart.startswith(b"\x89PNG\r\n\x1a\n") and len(chart) > 10_000


async def test_october_counts_its_own_cohort(services: Services, clock: FakeClock) -> None:
    await build_november(services, clock)
    october = await services.statistics.ranking(date(2026, 10, 1))
    qinglong = next(t for t in october.towns if t.town_name == "青龙镇")
    assert qinglong.tally.reported == 1 and qinglong.tally.overdue == 1 and qinglong.tally.verified == 0
    assert qinglong.tally.rectification_rate == 0


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        (Tally(), 100.0),  # nothing expected, nothing failed
        (Tally(village_weeks_expected=4), 0.0),  # no check, no hazard: nothing earned
        (Tally(reported=3, village_weeks_expected=4), 0.0),  # hazards within their deadline are not judged yet
        (Tally(village_weeks_done=4, village_weeks_expected=4, town_months_expected=1), 50.0),
        (Tally(village_weeks_done=1, village_weeks_expected=4, reported=2), 25.0),  # hazard points follow checks
        (Tally(reported=2, verified=2, on_time=1), 100 * (0.3 + 0.4 + 0.3 * 0.5)),
        (Tally(reported=4, verified=2, on_time=2, overdue=3, village_weeks_expected=4), 100 * (0.4 * 0.4 + 0.3) - 6),
        (Tally(reported=4, overdue=4, village_weeks_done=2, village_weeks_expected=4), 15.0),  # hazard part ≥ 0
    ],
)
def test_score_counts_checks_and_the_hazards_that_fell_due(tally: Tally, expected: float) -> None:
    assert score(tally, WEIGHTS) == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize(
    ("month", "today", "weeks", "months"),
    [
        (date(2026, 11, 1), date(2026, 12, 2), ("2026-W45", "2026-W46", "2026-W47", "2026-W48"), ("2026-11",)),
        (date(2026, 11, 1), date(2026, 11, 10), ("2026-W45", "2026-W46"), ("2026-11",)),  # weeks begun so far
        (
            date(2026, 10, 1),
            date(2026, 12, 2),
            ("2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"),
            ("2026-10",),
        ),
        (date(2027, 1, 1), date(2027, 1, 31), ("2027-W01", "2027-W02", "2027-W03", "2027-W04"), ("2027-01",)),
    ],
)
def test_a_month_counts_the_iso_weeks_whose_thursday_it_holds(
    month: date, today: date, weeks: tuple[str, ...], months: tuple[str, ...]
) -> None:
    period = month_period(month, today)
    assert period.kind is PeriodKind.MONTH and period.start == month
    assert (period.week_keys, period.month_keys) == (weeks, months)


def test_a_week_belongs_to_the_month_of_its_thursday() -> None:
    period = week_period(date(2026, 12, 1))  # Tuesday of the week 11-30 .. 12-06, Thursday 12-03
    assert (period.start, period.end) == (date(2026, 11, 30), date(2026, 12, 7))
    assert (period.week_keys, period.month_keys) == (("2026-W49",), ("2026-12",))


@pytest.mark.parametrize(
    ("words", "start", "kind"),
    [
        ([], date(2026, 11, 1), PeriodKind.MONTH),
        (["本月"], date(2026, 11, 1), PeriodKind.MONTH),
        (["本周"], date(2026, 11, 23), PeriodKind.WEEK),
        (["上月"], date(2026, 10, 1), PeriodKind.MONTH),
        (["2026-03"], date(2026, 3, 1), PeriodKind.MONTH),
        (["2025年12月"], date(2025, 12, 1), PeriodKind.MONTH),
    ],
)
async def test_period_words(services: Services, words: list[str], start: date, kind: PeriodKind) -> None:
    period = services.statistics.period(words, weeks=True)
    assert (period.start, period.kind) == (start, kind)


@pytest.mark.parametrize("words", [["2026-12"], ["下月"], ["2026-13"], ["本月", "上月"]])
async def test_bad_or_future_periods_are_refused(services: Services, words: list[str]) -> None:
    with pytest.raises(BadPeriod):
        services.statistics.period(words, weeks=True)
    with pytest.raises(BadPeriod):
        services.statistics.period(["本周"], weeks=False)


def test_the_chart_draws_with_a_font_that_has_chinese_glyphs() -> None:
    found = find_chinese_font()
    assert found is not None and has_chinese_glyphs(found)
    latin_only = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert not has_chinese_glyphs(latin_only)
    assert find_chinese_font(str(latin_only)) == found  # a configured font without Chinese glyphs is passed over


def test_a_chart_of_many_towns_shows_the_first_and_the_flagged_last() -> None:
    period = month_period(date(2026, 11, 1), date(2026, 12, 2))
    towns = [
        AreaTally(id=n, name=f"第{n}镇", tally=Tally(village_weeks_done=n, village_weeks_expected=80))
        for n in range(80)
    ]
    stats = Stats(
        period=period, as_of=datetime(2026, 12, 2, tzinfo=UTC), town_id=None, scope_name=None, total=Tally(), rows=towns
    )
    ranking = rank(stats, WEIGHTS, 3)
    assert [t.town_name for t in ranking.towns[:2]] == ["第79镇", "第78镇"] and ranking.towns[-1].flagged
    chart = ranking_chart(ranking)  # matplotlib's missing-glyph warning would fail this test (filterwarnings=error)
    assert chart.startswith(b"\x89PNG") and len(ranking.towns) > MAX_BARS


@pytest.mark.parametrize(
    ("scores", "places", "flagged"),
    [
        ([90, 80, 70, 60, 50], [1, 2, 3, 4, 5], [False, False, True, True, True]),
        ([90, 80, 80, 60, 60, 60], [1, 2, 2, 4, 4, 4], [False, False, False, True, True, True]),
        ([90, 70, 70, 70, 70], [1, 2, 2, 2, 2], [False, True, True, True, True]),  # a tie at the edge: all flagged
        ([90, 80, 70], [1, 2, 3], [False, False, False]),  # no more towns than the flagged places
    ],
)
def test_places_are_shared_on_equal_standing_and_the_bottom_is_flagged(
    scores: list[int], places: list[int], flagged: list[bool]
) -> None:
    period = month_period(date(2026, 11, 1), date(2026, 12, 2))
    towns = [
        AreaTally(id=n, name=f"镇{n}", tally=Tally(village_weeks_done=s, village_weeks_expected=100))
        for n, s in enumerate(scores)
    ]
    stats = Stats(
        period=period, as_of=datetime(2026, 12, 2, tzinfo=UTC), town_id=None, scope_name=None, total=Tally(), rows=towns
    )
    ranking = rank(stats, WEIGHTS, 3)
    assert [t.score for t in ranking.towns] == scores
    assert [t.place for t in ranking.towns] == places
    assert [t.flagged for t in ranking.towns] == flagged


# ---- the ranking rewards work, not silence ---------------------------------------------------------------------


async def test_a_town_that_also_reports_a_hazard_fixed_on_the_spot_does_not_lose_to_silence(
    services: Services, clock: FakeClock
) -> None:
    cast = await Cast.assemble(services)
    await bind(services, Role.OFFICER, village="民溪村")
    at(clock, 11, 10)
    fixed = await report(services, cast.officer, fixed_on_spot=True)  # 青龙镇; waits for 复核
    assert fixed.status.value == "submitted"
    for town, village in (("青龙镇", "新龙村"), ("白石镇", "民溪村")):  # identical checks
        for week in ("2026-W45", "2026-W46", "2026-W47", "2026-W48"):
            await log_check(services, "village", town, village, week)
        await log_check(services, "town", town, None, "2026-11")
    at(clock, 12, 2, 9)
    ranking = await services.statistics.ranking(date(2026, 11, 1))
    qinglong = next(t for t in ranking.towns if t.town_name == "青龙镇")
    baishi = next(t for t in ranking.towns if t.town_name == "白石镇")
    assert qinglong.score >= baishi.score and qinglong.place <= baishi.place
    assert qinglong.score > 0


async def test_with_no_hazards_and_no_checks_anywhere_nobody_is_flagged(services: Services, clock: FakeClock) -> None:
    at(clock, 12, 2, 9)
    ranking = await services.statistics.ranking(date(2026, 11, 1))
    assert len(ranking.towns) == 15 and {t.place for t in ranking.towns} == {1}
    assert not any(t.flagged for t in ranking.towns)
    text = texts.ranking_text(ranking, SHANGHAI)
    assert "后三位" not in text
    bars, _ = chart_bars(ranking)
    assert len(bars) == 15 and all(b.length >= MIN_BAR and b.colour == OTHER_COLOUR for b in bars)


def _tallies() -> st.SearchStrategy[Tally]:
    """Consistent tallies: closures within what was reported, on time within verified, done within expected."""

    @st.composite
    def build(draw: st.DrawFn) -> Tally:
        reported = draw(st.integers(0, 30))
        verified = draw(st.integers(0, reported))
        invalid = draw(st.integers(0, reported - verified))
        duplicate = draw(st.integers(0, reported - verified - invalid))
        weeks = draw(st.integers(0, 60))
        months = draw(st.integers(0, 1))
        return Tally(
            reported=reported,
            verified=verified,
            invalid=invalid,
            duplicate=duplicate,
            on_time=draw(st.integers(0, verified)),
            overdue=draw(st.integers(0, 20)),
            village_weeks_done=draw(st.integers(0, weeks)),
            village_weeks_expected=weeks,
            town_months_done=draw(st.integers(0, months)),
            town_months_expected=months,
        )

    return build()


_weights = st.builds(
    Weights,
    check=st.floats(0.05, 1),
    rectification=st.floats(0, 1),
    on_time=st.floats(0, 1),
    overdue_penalty=st.floats(0, 100),
)
PROPERTIES = settings(max_examples=300, derandomize=True, database=None)


def _ranking_of(tallies: list[Tally], weights: Weights = WEIGHTS, bottom: int = 3) -> Ranking:
    period = month_period(date(2026, 11, 1), date(2026, 12, 2))
    rows = [AreaTally(id=n, name=f"镇{n:02d}", tally=t) for n, t in enumerate(tallies)]
    stats = Stats(
        period=period, as_of=datetime(2026, 12, 2, tzinfo=UTC), town_id=None, scope_name=None, total=Tally(), rows=rows
    )
    return rank(stats, weights, bottom)


@PROPERTIES
@given(_tallies(), _weights)
def test_reporting_one_more_hazard_within_its_deadline_never_lowers_the_score(tally: Tally, weights: Weights) -> None:
    # Within its deadline, a new hazard is reported, assigned or submitted: only `reported` grows.
    more = tally.model_copy(update={"reported": tally.reported + 1})
    assert score(more, weights) >= score(tally, weights)


@PROPERTIES
@given(_tallies(), _weights)
def test_a_town_that_checks_and_reports_outranks_one_that_does_neither(active: Tally, weights: Weights) -> None:
    assume(active.reported > 0 and (active.village_weeks_done > 0 or active.town_months_done > 0))
    silent = Tally(
        village_weeks_expected=active.village_weeks_expected, town_months_expected=active.town_months_expected
    )
    ranking = _ranking_of([silent, active], weights, bottom=0)
    silent_entry, active_entry = ranking.place_of(0), ranking.place_of(1)
    assert silent_entry is not None and active_entry is not None
    assert active_entry.place < silent_entry.place


@PROPERTIES
@given(_tallies(), st.integers(1, 20), st.integers(0, 5))
def test_when_every_town_stands_equal_nobody_is_flagged(tally: Tally, towns: int, bottom: int) -> None:
    ranking = _ranking_of([tally] * towns, bottom=bottom)
    assert {t.place for t in ranking.towns} == {1}
    assert not any(t.flagged for t in ranking.towns)


@PROPERTIES
@given(st.lists(_tallies(), min_size=1, max_size=20), st.integers(0, 5))
def test_the_bottom_flag_names_only_the_towns_that_truly_stand_at_the_bottom(tallies: list[Tally], bottom: int) -> None:
    ranking = _ranking_of(tallies, bottom=bottom)
    flagged = [t for t in ranking.towns if t.flagged]
    spared = [t for t in ranking.towns if not t.flagged]
    if not flagged:
        return
    assert len(ranking.towns) > bottom and spared  # someone stands above them
    # Every flagged town stands below every town that is not flagged (standing: score, then fewer overdue).
    assert max(t.place for t in flagged) > max(t.place for t in spared)
    assert min(t.place for t in flagged) > max(t.place for t in spared)
    # Beyond `bottom` only through a tie at the edge: fewer than `bottom` towns stand below the best flagged place.
    edge = min(t.place for t in flagged)
    assert sum(t.place > edge for t in flagged) < bottom
    # The chart shows every town, the flagged ones in the bottom colour.
    bars, _ = chart_bars(ranking)
    assert all(b.length >= MIN_BAR for b in bars)
    assert [b.colour == FLAGGED_COLOUR for b in bars] == [t.flagged for t in ranking.towns]


def test_the_chart_draws_towns_at_zero_with_a_visible_bar_in_the_bottom_colour() -> None:
    busy = Tally(village_weeks_done=40, village_weeks_expected=48, town_months_done=1, town_months_expected=1)
    silent = Tally(village_weeks_expected=48, town_months_expected=1)
    ranking = _ranking_of([busy, busy, *[silent] * 13])
    bars, note = chart_bars(ranking)
    assert note == "" and len(bars) == 15
    assert [b.score for b in bars[2:]] == [0.0] * 13
    assert all(b.length == MIN_BAR and b.colour == FLAGGED_COLOUR for b in bars[2:])
    assert all(b.length == b.score and b.colour == OTHER_COLOUR for b in bars[:2])
    assert ranking_chart(ranking).startswith(b"\x89PNG")


COVERED = Weights(check=0.3, rectification=0.4, on_time=0.3, overdue_penalty=2.0, coverage=0.2)


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        # Without places due, coverage weighs nothing: the town scores as before places existed.
        (Tally(village_weeks_done=4, village_weeks_expected=4, town_months_expected=1), 50.0),
        (Tally(reported=2, verified=2, on_time=1), 100 * (0.3 + 0.4 + 0.3 * 0.5)),
        # With places due, coverage is a fourth weight in the sum: check 1, nothing fell due (hazard points follow
        # the checks), coverage 5 of 7.
        (
            Tally(village_weeks_done=4, village_weeks_expected=4, places_visited=5, places_due=7),
            100 * (0.3 + 0.2 * 5 / 7 + 0.4 + 0.3) / 1.2,
        ),
        (Tally(village_weeks_done=4, village_weeks_expected=4, places_due=7), 100 * (0.3 + 0.4 + 0.3) / 1.2),
        (Tally(places_visited=7, places_due=7), 100.0),  # nothing else expected, every visit made
    ],
)
def test_coverage_counts_only_for_towns_with_places_due(tally: Tally, expected: float) -> None:
    assert score(tally, COVERED) == pytest.approx(expected, abs=0.05)
    if not tally.places_due:
        assert score(tally, COVERED) == score(tally, WEIGHTS)
