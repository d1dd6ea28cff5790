"""Figures: percentiles, memory of a process, and a scenario's result as one JSON-ready dict."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import machine


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def spread(seconds: Sequence[float]) -> dict[str, float | int]:
    """Count, p50, p95, p99 and max of durations, in milliseconds."""
    return {
        "n": len(seconds),
        "p50_ms": _ms(percentile(seconds, 50)),
        "p95_ms": _ms(percentile(seconds, 95)),
        "p99_ms": _ms(percentile(seconds, 99)),
        "max_ms": _ms(max(seconds) if seconds else math.nan),
    }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def process_memory_mb(pid: int) -> dict[str, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of a running process, in MB."""
    found: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found["peak_rss_mb" if key == "VmHWM" else "rss_mb"] = round(int(value.split()[0]) / 1024, 1)
    return found


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Check:
    """One figure held against its target."""

    name: str
    value: float
    limit: float
    at_most: bool  # True: value <= limit passes; False: value >= limit passes
    unit: str

    @property
    def passed(self) -> bool:
        """Whether the figure reaches its target (a NaN never does)."""
        if math.isnan(self.value):
            return False
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def as_dict(self) -> dict[str, Any]:
        """The check for the JSON output."""
        sign = "<=" if self.at_most else ">="
        return {"value": self.value, "target": f"{sign} {self.limit:g} {self.unit}".strip(), "pass": self.passed}


@dataclass
class Outcome:
    """What a scenario measured and how it compares with its targets."""

    scenario: str
    size: str
    figures: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    def at_most(self, name: str, value: float, limit: float, unit: str = "") -> None:
        """Hold a figure against an upper bound."""
        self.checks.append(Check(name, value, limit, True, unit))

    def at_least(self, name: str, value: float, limit: float, unit: str = "") -> None:
        """Hold a figure against a lower bound."""
        self.checks.append(Check(name, value, limit, False, unit))

    def as_dict(self) -> dict[str, Any]:
        """The one JSON object printed for the scenario."""
        return {
            "scenario": self.scenario,
            "size": self.size,
            "pass": all(check.passed for check in self.checks),
            "targets": {check.name: check.as_dict() for check in self.checks},
            "figures": self.figures,
            "machine": machine.describe(),
        }
