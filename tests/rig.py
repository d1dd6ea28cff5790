"""The end-to-end rig: the real Application, long-polling the loopback Bot API, on a real SQLite file."""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import struct
import sys
import zlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.domain.people import Role
from bot.domain.report import ReportDraft
from bot.domain.roster import validate
from bot.roster_file import read_roster
from bot.services.container import Services
from bot.settings import Settings, load_settings
from handlers.context import GridApplication
from sandbox.botapi import BotApiServer, RateLimit
from sandbox.simusers import SimUser
from sandbox.world import start_application, stop_application

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ROSTER = ROOT / "examples" / "roster.csv"
# Monday 23 November 2026, 10:00 in Shanghai: an hour after the week's first reminders, so nothing is due at start.
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def make_settings(tmp_path: Path, **env: str) -> Settings:
    """Settings for a test: data in tmp_path, anything else from GRIDSAFE_ variables given as keywords."""
    environ = {
        "GRIDSAFE_STORAGE__DATABASE": str(tmp_path / "data" / "gridsafe.db"),
        "GRIDSAFE_STORAGE__MEDIA_DIR": str(tmp_path / "data" / "media"),
    }
    environ.update({f"GRIDSAFE_{key.upper()}": value for key, value in env.items()})
    return load_settings(None, environ)


async def import_example_roster(services: Services) -> None:
    """Load examples/roster.csv, as the quick start does."""
    await services.roster.import_entries(validate(read_roster(EXAMPLE_ROSTER)))


@dataclass
class Rig:
    """A running GridSafe and the Bot API it talks to, as seen by the people using it."""

    server: BotApiServer
    app: GridApplication
    settings: Settings
    clock: FakeClock
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10_001))

    @property
    def services(self) -> Services:
        """The bot's own services (to arrange data and to check the database)."""
        services = self.app.bot_data.services
        assert services is not None
        return services

    def stranger(self, first_name: str = "路人") -> SimUser:
        """A Telegram user who has never been invited."""
        return self.server.user(next(self._ids), first_name)

    async def invite(
        self,
        role: Role,
        *,
        town: str | None = None,
        village: str | None = None,
        name: str | None = None,
        reason: str | None = None,
    ) -> str:
        """A fresh invite code, as `gridsafe invite` would print it."""
        created = await self.services.invites.create(role, town=town, village=village, name=name, reason=reason)
        return created.code

    async def join(
        self, role: Role, *, town: str | None = None, village: str | None = None, name: str | None = None
    ) -> SimUser:
        """A person who followed their invite link and is bound (the welcome message is consumed)."""
        code = await self.invite(role, town=town, village=village, name=name)
        user = self.stranger(name or role.value)
        await user.send(f"/start {code}")
        await user.expect("绑定成功")
        return user

    async def draft_of(self, user: SimUser) -> ReportDraft | None:
        """The report this user has in progress, as stored."""
        actor = await self.services.access.actor(user.id)
        assert actor is not None
        return await self.services.reporting.draft(actor)

    async def drain(self) -> int:
        """Let the dispatcher send what is due now (as its every-second job would)."""
        dispatcher = self.app.bot_data.dispatcher
        assert dispatcher is not None
        return await dispatcher.drain()

    async def tick(self, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
        """Let time pass up to `until`: a scheduler pass and a drain at every step, as the jobs would run them."""
        while self.clock.now() < until:
            self.clock.set(min(self.clock.now() + step, until))
            await self.services.reminders.run_pass()
            await self.drain()

    async def restart(self) -> None:
        """Stop GridSafe and start it again on the same database, as after a crash or a deployment."""
        await stop_application(self.app)
        self.app = await start_application(self.settings, self.clock)

    async def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows from the bot's database."""
        return [tuple(row) for row in await self.services.db.fetch_all(sql, params)]


@asynccontextmanager
async def running_bot(
    tmp_path: Path, clock: FakeClock, *, rate_limit: RateLimit | None = None, **env: str
) -> AsyncIterator[Rig]:
    """Start the loopback Bot API (with Telegram's flood limits if given) and GridSafe on it, example roster loaded."""
    async with BotApiServer(rate_limit=rate_limit) as server:
        settings = make_settings(
            tmp_path,
            TELEGRAM__TOKEN=server.token,
            TELEGRAM__BASE_URL=server.base_url,
            TELEGRAM__BASE_FILE_URL=server.base_file_url,
            **{"REPORTING__PHOTO_BATCH_SECONDS": "0.4", **env},
        )
        rig = Rig(server=server, app=await start_application(settings, clock), settings=settings, clock=clock)
        await import_example_roster(rig.services)
        try:
            yield rig
        finally:
            await stop_application(rig.app)


async def gridsafe(settings: Settings, *args: str, **env: str) -> tuple[int, str, str]:
    """Run the real command line in its own process against the settings' database and media folder (and any other
    GRIDSAFE_ variables given as keywords)."""
    config = settings.storage.database.parent.parent / "empty.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "GRIDSAFE_STORAGE__DATABASE": str(settings.storage.database),
        "GRIDSAFE_STORAGE__MEDIA_DIR": str(settings.storage.media_dir),
        **{f"GRIDSAFE_{key.upper()}": value for key, value in env.items()},
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "-c",
        str(config),
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def png(seed: int, size: int = 4) -> bytes:
    """A real PNG image, different for every seed."""
    raw = b"".join(b"\x00" + bytes((seed * 37 + x * 11 + y) % 256 for x in range(size * 3)) for y in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# A 1x1 JPEG.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////"
    "////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
)
