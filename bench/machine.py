"""What the figures were measured on: cores, CPU model, memory and the versions that matter."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path
from typing import Any


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def describe() -> dict[str, Any]:
    """The machine and the software versions, for every figure printed."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_mb": _memory_mb(),
        "load_average_1m": round(load[0], 2) if load else None,
        "python": platform.python_version(),
        "python_telegram_bot": _version("python-telegram-bot"),
        "aiosqlite": _version("aiosqlite"),
        "sqlite": sqlite3.sqlite_version,
        "pydantic": _version("pydantic"),
        "openpyxl": _version("openpyxl"),
        "xlsxwriter": _version("xlsxwriter"),
        "platform": platform.platform(),
    }
