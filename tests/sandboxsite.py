"""A running sandbox (the World and its page) for the page's tests, on a free loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.domain.people import Person
from bot.settings import load_settings
from sandbox.web import SandboxSite
from sandbox.world import World
from tests.rig import START


@asynccontextmanager
async def running_sandbox(tmp_path: Path, start: datetime = START) -> AsyncIterator[SandboxSite]:
    """The sandbox as `gridsafe sandbox` runs it, its data in tmp_path and its clock at start."""
    settings = load_settings(
        None,
        {
            "GRIDSAFE_STORAGE__DATABASE": str(tmp_path / "real" / "gridsafe.db"),
            "GRIDSAFE_STORAGE__MEDIA_DIR": str(tmp_path / "real" / "media"),
            "GRIDSAFE_SANDBOX__DATA_DIR": str(tmp_path / "sandbox"),
            "GRIDSAFE_REPORTING__PHOTO_BATCH_SECONDS": "0.4",
        },
    )
    site = await SandboxSite.open(World(settings, start=start), port=0)
    try:
        yield site
    finally:
        await site.close()


async def person_named(site: SandboxSite, name: str) -> Person:
    """The roster entry with this name."""
    matches = [person for person, _ in await site.world.directory() if person.name == name]
    assert len(matches) == 1, f"{name}: {matches}"
    return matches[0]
