"""Scenario 9, places: `gridsafe places import` of a province's million places, then the coverage (村不漏户) of a
city's month, on the generated roster, and the place step of a report in villages across the province."""

from __future__ import annotations

import asyncio
import csv
import random
import resource
import sqlite3
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench import place_buttons
from bench.dbgen import Spec, prepared, working_copy
from bench.measure import Outcome
from bench.world import NOW
from bot.clock import FakeClock
from bot.services.container import Services
from bot.settings import load_settings

# (roster, places in the file, towns in the city). The roster is the province's (hazards play no part here).
SIZES: dict[str, tuple[Spec, int, int]] = {
    "tiny": (Spec(villages=100, hazards=100), 1_000, 5),
    "small": (Spec(villages=2_000, hazards=100), 50_000, 100),
    "full": (Spec(villages=100_000, hazards=100), 1_000_000, 100),
}
MONTH = (date(2026, 10, 1), date(2026, 11, 1))
TYPES = ["小商店", "小餐馆", "小生产加工企业", "小诊所", "沿街门店", "小美容院/洗浴", "自建房"]
GRADES = ["黄"] * 45 + ["蓝"] * 40 + ["橙"] * 12 + ["红"] * 3


def _places_file(database: Path, path: Path, count: int) -> None:
    """A places file spreading `count` places evenly over the roster's villages, each with an owner."""
    rng = random.Random(18)
    with sqlite3.connect(database) as conn:
        villages = conn.execute("SELECT t.name, v.name FROM villages v JOIN towns t ON t.id = v.town_id").fetchall()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["镇", "村", "名称", "类型", "地址", "责任人", "电话", "风险等级", "状态"])
        for n in range(count):
            town, village = villages[n % len(villages)]
            writer.writerow(
                [
                    town,
                    village,
                    f"{village}第{n // len(villages) + 1}号场所",
                    rng.choice(TYPES),
                    f"{town}{village}{rng.randint(1, 12)}组{rng.randint(1, 99)}号",
                    f"业主{n // len(villages) % 3 + 1}",
                    f"139{n % 10**8:08d}",
                    rng.choice(GRADES),
                    "在营",
                ]
            )


def _visits(database: Path, towns: int) -> int:
    """Visits of the city's places over the month and the weeks before it: most places visited as their grade asks."""
    rng = random.Random(8)
    start = datetime(2026, 9, 1, 1)
    rows = []
    with sqlite3.connect(database) as conn:
        places = conn.execute(
            "SELECT id, town_id, village_id, grade FROM places WHERE town_id <= ?", (towns,)
        ).fetchall()
        every = {"red": 7, "orange": 14, "yellow": 30, "blue": 90}
        for place_id, town_id, village_id, grade in places:
            day = rng.randrange(every[grade])
            while day < 61:
                if rng.random() < 0.8:
                    moment = start + timedelta(days=day, hours=rng.random() * 9)
                    rows.append((place_id, town_id, village_id, 1, moment.strftime("%Y-%m-%dT%H:%M:%S.000000Z")))
                day += every[grade]
        conn.executemany(
            "INSERT INTO place_visits (place_id, town_id, village_id, person_id, visited_at) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


async def run(size: str, folder: Path) -> Outcome:
    """Import the places file with the real command (its own process), then time the city's coverage figures."""
    spec, count, towns = SIZES[size]
    generated = await prepared(spec)
    database = working_copy(generated, folder)
    config = folder / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{database}"\nmedia_dir = "{folder / "media"}"\n', encoding="utf-8")
    places_csv = folder / "places.csv"
    await asyncio.to_thread(_places_file, database, places_csv, count)
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command,
        "-c",
        str(config),
        "places",
        "import",
        str(places_csv),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    import_seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"places import failed: {err.decode()[-2000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    visits = await asyncio.to_thread(_visits, database, towns)
    services = await Services.open(load_settings(config, {}), FakeClock(NOW))
    try:
        started = time.perf_counter()
        figures = await services.places.coverage(range(1, towns + 1), *MONTH)
        coverage_seconds = time.perf_counter() - started
        step = Outcome("places", size)
        await place_buttons.measure(services.db, step)
    finally:
        await services.close()
    visited = sum(c.visited for town in figures.values() for c in town.values())
    due = sum(c.due for town in figures.values() for c in town.values())
    outcome = Outcome("places", size)
    outcome.figures = {
        "places_imported": count,
        "file_mb": round(places_csv.stat().st_size / 1e6, 1),
        "import_seconds": round(import_seconds, 1),
        "import_places_per_second": round(count / import_seconds),
        "import_peak_rss_mb": round(peak_mb),
        "import_output": out.decode().strip(),
        "city_towns": towns,
        "city_villages": sum(len(town) for town in figures.values()),
        "city_visits": visits,
        "coverage_due": due,
        "coverage_visited": visited,
        "coverage_ms": round(coverage_seconds * 1000, 1),
    }
    outcome.at_most("import of the file", import_seconds, 300, "s")
    outcome.at_most("import peak RSS", peak_mb, 1500, "MB")
    outcome.at_most("coverage of the city's month", coverage_seconds * 1000, 2000, "ms")
    outcome.figures |= step.figures
    outcome.checks += step.checks
    return outcome
