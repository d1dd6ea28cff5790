"""Part of scenario 9 (places): on the province's imported places, the place step of a report as villages across the
province ask it: whether the village has places, its first page of buttons, and a typed search."""

from __future__ import annotations

import random
import time
from typing import Any

from bench.measure import Outcome, percentile, spread
from bot.services.report_places import PAGE_SIZE
from storage.database import Database
from storage.place_choices import PAGE_SQL, PlaceChoiceRepository

VILLAGES = 500  # villages asked, at random across the province


async def measure(db: Database, outcome: Outcome) -> None:
    """Time the place step's reads in VILLAGES villages; their figures, the buttons' plan and targets into outcome."""
    rows = await db.fetch_all("SELECT max(id) FROM villages")
    last = int(rows[0][0])
    rng = random.Random(18)
    repo = PlaceChoiceRepository(db)
    buttons: list[float] = []
    searches: list[float] = []
    offered = 0
    for village in (rng.randint(1, last) for _ in range(VILLAGES)):
        started = time.perf_counter()
        if await repo.any_in(village):
            offered += len(await repo.page(village, PAGE_SIZE + 1, 0))
        buttons.append(time.perf_counter() - started)
        started = time.perf_counter()
        await repo.search(village, f"第{rng.randint(1, 12)}号", PAGE_SIZE + 1)
        searches.append(time.perf_counter() - started)
    plan = await db.fetch_all(f"EXPLAIN QUERY PLAN {PAGE_SQL}", (1, PAGE_SIZE + 1, 0))
    figures: dict[str, Any] = {
        "villages_asked": VILLAGES,
        "buttons_offered": offered,
        "buttons": spread(buttons),
        "search": spread(searches),
        "buttons_plan": "; ".join(str(row["detail"]) for row in plan),
    }
    outcome.figures["place_step"] = figures
    outcome.at_most("a village's place buttons (p95)", percentile(buttons, 95) * 1000, 20, "ms")
    outcome.at_most("a typed place search (p95)", percentile(searches, 95) * 1000, 50, "ms")
