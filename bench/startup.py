"""Scenario 6, start-up: from starting the process to its first getUpdates, on the province's database."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.dbgen import Spec, prepared, province
from bench.measure import Outcome
from bench.stage import stage
from bench.world import NOW

SPECS = {
    "tiny": Spec(villages=100, hazards=1_000, due=10, bound={"admin": 3, "supervisor": 5, "officer": 10}),
    "small": Spec(villages=2_000, hazards=20_000, due=100, bound={"admin": 3, "supervisor": 20, "officer": 40}),
    "full": province(),
}
STARTS = {"tiny": 1, "small": 2, "full": 3}


async def run(size: str, folder: Path) -> Outcome:
    """Start GridSafe a few times on the same database (as after deployments), and a bare PTB bot as a baseline."""
    spec = SPECS[size]
    generated = await prepared(spec)
    outcome = Outcome("startup", size)
    async with stage(generated, folder) as scene:
        gridsafe, echo = [], []
        for _ in range(STARTS[size]):
            async with scene.bot(start=NOW) as bot:
                pass
            gridsafe.append(bot.startup_seconds)
            errors = bot.errors()
            async with scene.bot(kind="echo") as baseline:
                pass
            echo.append(baseline.startup_seconds)
        outcome.figures = {
            "hazards": spec.hazards,
            "villages": spec.villages,
            "database_mb": round(scene.database.stat().st_size / 1e6),
            "startup_seconds": [round(s, 3) for s in gridsafe],
            "startup_seconds_median": round(statistics.median(gridsafe), 3),
            "echo_bot_startup_seconds_median": round(statistics.median(echo), 3),
            "note": "from spawning the process (interpreter, imports, migrations check, menus, recovery, the first "
            "scheduler pass) to the first getUpdates reaching the server",
            "errors": len(errors),
            "database": {"generated_seconds": round(generated.seconds, 1), "cached": generated.cached},
        }
    outcome.at_most("startup_seconds_max", round(max(gridsafe), 3), 2.0, "s")
    outcome.at_most("errors", len(errors), 0)
    return outcome
