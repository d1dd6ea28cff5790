"""The benchmark keeps working: every scenario runs at its tiny size and prints a well-formed result (no timings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.scenarios import SCENARIOS, run_scenario


def _sane(result: dict[str, Any]) -> dict[str, Any]:
    assert "error" not in result, result.get("error")
    assert set(result) >= {"scenario", "size", "pass", "targets", "figures", "machine", "seconds"}
    assert isinstance(result["pass"], bool)
    assert result["targets"]
    for check in result["targets"].values():
        assert set(check) == {"value", "target", "pass"}
    machine = result["machine"]
    assert machine["cores"] >= 1 and machine["cpu"] and machine["python"]
    assert machine["python_telegram_bot"] and machine["sqlite"]
    figures: dict[str, Any] = result["figures"]
    return figures


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_CACHE", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_scenario_runs_at_tiny_size(name: str, tmp_path: Path) -> None:
    figures = _sane(await run_scenario(name, "tiny", tmp_path / name))
    if name == "burst":
        assert figures["hazards_persisted"] == figures["officers"]
        assert figures["photos_persisted"] == 3 * figures["officers"]
        assert figures["errors"] == 0
        assert figures["echo_bot_answer_latency"]["n"] == 7 * figures["officers"]
        assert figures["answer_p95_over_echo_bot"] > 0
    elif name == "queries":
        assert figures["requests"] > 0 and figures["errors"] == 0
        assert figures["echo_bot_updates_per_second"] > 0
    elif name == "fanout":
        assert figures["delivered"] == figures["reminders_due"]
        assert figures["lost"] == 0 and figures["delivered_twice"] == 0
    elif name == "schedpass":
        due = {size["reminders_queued"] for size in figures["by_hazards"].values()}
        assert len(due) == 1 and due.pop() > 0
    elif name == "export":
        assert figures["rows_written"] == figures["hazards_in_month"] > 0
    elif name == "webchat":
        assert figures["page_load"]["n"] == figures["round_trip"]["n"] > 0
    elif name == "places":
        assert figures["places_imported"] == 1_000 and "新增 1000 个场所" in figures["import_output"]
        assert 0 < figures["coverage_visited"] < figures["coverage_due"]
        step = figures["place_step"]
        assert step["buttons_offered"] > 0 and step["buttons"]["n"] == step["search"]["n"] == step["villages_asked"]
        assert "SEARCH places USING INDEX places_village_use" in step["buttons_plan"], step["buttons_plan"]
    elif name == "wecom":
        assert figures["delivered"] == figures["messages"] and figures["dropped"] == 0
        assert figures["callbacks_handled"] > 0 and figures["callback_errors"] == 0
    elif name == "startup":
        assert figures["errors"] == 0 and figures["startup_seconds"]
