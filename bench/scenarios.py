"""The scenarios of the benchmark, by name, and how one is run into its JSON object."""

from __future__ import annotations

import shutil
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench import burst, export, fanout, places, queryload, schedpass, startup, webchat, wecom
from bench.measure import Outcome

SIZES = ("tiny", "small", "full")
SCENARIOS: dict[str, Callable[[str, Path], Awaitable[Outcome]]] = {
    "burst": burst.run,
    "queries": queryload.run,
    "fanout": fanout.run,
    "schedpass": schedpass.run,
    "export": export.run,
    "startup": startup.run,
    "webchat": webchat.run,
    "places": places.run,
    "wecom": wecom.run,
}


async def run_scenario(name: str, size: str, folder: Path, *, keep: bool = False) -> dict[str, Any]:
    """Run one scenario in `folder` and return its JSON object (a crash is reported as a failed scenario)."""
    started = time.perf_counter()
    try:
        outcome = await SCENARIOS[name](size, folder)
        result = outcome.as_dict()
    except Exception as exc:
        result = Outcome(name, size).as_dict() | {
            "pass": False,
            "error": "".join(traceback.format_exception(exc))[-4000:],
        }
    result["seconds"] = round(time.perf_counter() - started, 1)
    if keep:
        result["folder"] = str(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return result
