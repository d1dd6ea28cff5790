"""Shared fixtures: a fake clock, settings on a temporary folder, services over a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain.roster import validate
from bot.roster_file import read_roster
from bot.services.container import Services
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ROSTER = ROOT / "examples" / "roster.csv"
# Monday 23 November 2026, 09:00 in Shanghai.
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def make_settings(tmp_path: Path, **env: str) -> Settings:
    """Settings for a test: data in tmp_path, anything else from GRIDSAFE_ variables given as keywords."""
    environ = {
        "GRIDSAFE_STORAGE__DATABASE": str(tmp_path / "data" / "gridsafe.db"),
        "GRIDSAFE_STORAGE__MEDIA_DIR": str(tmp_path / "data" / "media"),
    }
    environ.update({f"GRIDSAFE_{key.upper()}": value for key, value in env.items()})
    return load_settings(None, environ)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


async def import_example_roster(services: Services) -> None:
    """Load examples/roster.csv, as the quick start does."""
    await services.roster.import_entries(validate(read_roster(EXAMPLE_ROSTER)))


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    opened = await Services.open(settings, clock)
    await import_example_roster(opened)
    yield opened
    await opened.close()
