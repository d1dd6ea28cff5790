"""Shared fixtures: a fake clock, settings on a temporary folder, services over a real SQLite file, the e2e rig."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.services.container import Services
from bot.settings import Settings
from tests.rig import START, Rig, import_example_roster, make_settings, running_bot

# PTB 22 warns about RetryAfter.retry_after as int unless opted in to timedelta; GridSafe opts in (bot/cli.py).
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def services(settings: Settings, clock: FakeClock) -> AsyncIterator[Services]:
    opened = await Services.open(settings, clock)
    await import_example_roster(opened)
    yield opened
    await opened.close()


@pytest.fixture
async def rig(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Rig]:
    async with running_bot(tmp_path, clock) as running:
        yield running
