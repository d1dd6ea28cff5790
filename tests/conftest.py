"""Shared fixtures: a fake clock, settings on a temporary folder, services over a real SQLite file, the e2e rig."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.logs import log_handler
from bot.services.container import Services
from bot.settings import Settings
from sandbox.apirules import ApiCall, Upload
from sandbox.botapi import BotApiServer
from tests.rig import EXAMPLE_ROSTER, START, Rig, import_example_roster, make_settings, running_bot

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
        assert_token_never_sent(running.server.calls)


def assert_token_never_sent(calls: list[ApiCall]) -> None:
    """Nothing the bot sent anyone (texts, captions, buttons, files such as the ledger) holds the bot token."""
    for call in calls:
        for value in call.params.values():
            if isinstance(value, Upload):
                assert TOKEN.encode() not in _unpacked(value.data), f"the token in a file sent by {call.method}"
            else:
                assert TOKEN not in json.dumps(value, ensure_ascii=False, default=str), f"the token in {call.method}"


def _unpacked(data: bytes) -> bytes:
    """A file's bytes, or for a zip (an .xlsx) the bytes of every member."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


TOKEN = BotApiServer().token
ROSTER_PHONES = frozenset(re.findall(r"\b1\d{10}\b", EXAMPLE_ROSTER.read_text(encoding="utf-8")))


@pytest.fixture(autouse=True)
def log_scan() -> Iterator[io.StringIO]:
    """Every test logs through GridSafe's own handler at INFO, as `gridsafe run` does; its output is then scanned.

    Whatever a test makes the bot do, no log line may contain the bot token or a phone number of the roster.
    """
    output = io.StringIO()
    handler = log_handler(TOKEN, "text", output)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(min(level, logging.INFO))
    try:
        yield output
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    text = output.getvalue()
    assert TOKEN not in text, "the bot token reached the log"
    leaked = sorted(phone for phone in ROSTER_PHONES if phone in text)
    assert not leaked, f"phone numbers reached the log: {leaked}"
