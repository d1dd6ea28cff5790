"""Scenario 4, the scheduler pass: its time at 10k, 100k and 1M hazards with the same reminders due, as it runs."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.dbgen import MIXED_DUE_OFFSETS, Spec, prepared, province, working_copy
from bench.measure import Outcome
from bench.world import PASS_AT
from bot.clock import FakeClock
from bot.services.container import Services
from bot.settings import load_settings
from storage.schedule import ScheduleRepository

DUE = 100  # deadline reminders due at PASS_AT in every database, of every kind of rung
SIZES: dict[str, tuple[int, list[int]]] = {  # villages, hazards of each database
    "tiny": (200, [1_000, 4_000]),
    "small": (5_000, [10_000, 50_000]),
    "full": (100_000, [10_000, 100_000, 1_000_000]),
}
IDLE_PASSES = 20
PLANS = 10


def spec(villages: int, hazards: int) -> Spec:
    """The province (or a smaller world): the same roster and the same reminders due, only the history differs."""
    return Spec(villages=villages, hazards=hazards, due=DUE, bound=province().bound)


async def _measure(database: Path, folder: Path) -> dict[str, Any]:
    settings = load_settings(
        None, {"GRIDSAFE_STORAGE__DATABASE": str(database), "GRIDSAFE_STORAGE__MEDIA_DIR": str(folder / "media")}
    )
    clock = FakeClock(PASS_AT)
    opened = time.perf_counter()
    services = await Services.open(settings, clock)
    open_ms = (time.perf_counter() - opened) * 1000
    reminders = services.reminders
    interval = timedelta(seconds=settings.schedule.pass_interval_seconds)
    try:
        since = PASS_AT - interval
        plans = []
        for _ in range(PLANS):
            started = time.perf_counter()
            planned = await reminders.plan(since, PASS_AT)
            plans.append((time.perf_counter() - started) * 1000)
        async with services.db.transaction() as tx:  # the last pass ran a minute ago, as every minute
            await ScheduleRepository(services.db).set_last_pass(tx, since)
        started = time.perf_counter()
        due_pass = await reminders.run_pass(PASS_AT)
        due_ms = (time.perf_counter() - started) * 1000
        idle = []
        for k in range(1, IDLE_PASSES + 1):
            clock.set(PASS_AT + k * interval)  # a real pass runs at the clock's now, never ahead of it
            started = time.perf_counter()
            result = await reminders.run_pass()
            idle.append((time.perf_counter() - started) * 1000)
            assert not result.notifications
        started = time.perf_counter()
        catch_up = await reminders.plan(PASS_AT - timedelta(days=1), PASS_AT)
        catch_up_ms = (time.perf_counter() - started) * 1000
    finally:
        await services.close()
    return {
        "open_ms": round(open_ms, 1),
        "due_pass_ms": round(due_ms, 1),
        "due_plan_ms_median": round(statistics.median(plans), 1),
        "reminders_queued": len(due_pass.notifications),
        "planned": len(planned),
        "idle_pass_ms_median": round(statistics.median(idle), 2),
        "idle_pass_ms_max": round(max(idle), 2),
        "catch_up_1_day_plan_ms": round(catch_up_ms, 1),
        "catch_up_1_day_reminders": len(catch_up),
    }


async def run(size: str, folder: Path) -> Outcome:
    """One database per table size, each with the same DUE hazards due at PASS_AT; time the passes on each."""
    villages, sizes = SIZES[size]
    outcome = Outcome("schedpass", size)
    by_size: dict[str, Any] = {}
    for hazards in sizes:
        generated = await prepared(spec(villages, hazards))
        database = working_copy(generated, folder / str(hazards))
        figures = await _measure(database, folder / str(hazards))
        figures["database"] = {"generated_seconds": round(generated.seconds, 1), "cached": generated.cached}
        by_size[f"{hazards}"] = figures
        database.unlink()
    outcome.figures = {
        "villages": villages,
        "due_hazards": DUE,
        "due_rungs": [f"deadline {-o:+d} days" for o in MIXED_DUE_OFFSETS],
        "by_hazards": by_size,
    }
    smallest, largest = by_size[str(sizes[0])], by_size[str(sizes[-1])]
    worst = max(largest["due_pass_ms"], largest["idle_pass_ms_max"])
    # Growth is judged on the median of repeated plans (the part that reads the table): one pass is too noisy a sample.
    growth = largest["due_plan_ms_median"] / max(smallest["due_plan_ms_median"], 0.001)
    outcome.figures["due_plan_growth"] = round(growth, 2)
    outcome.figures["table_growth"] = sizes[-1] // sizes[0]
    outcome.at_most("pass_ms_at_largest", worst, 100, "ms")
    # A pass that read the whole table would grow with it (100× from 10k to 1M hazards); a bounded one stays flat.
    outcome.at_most("due_plan_growth_largest_over_smallest", round(growth, 2), 2.0, "×")
    same = {figures["reminders_queued"] for figures in by_size.values()}
    outcome.at_most("different_numbers_due", len(same) - 1, 0)
    return outcome
