"""The stage a scenario plays on: the loopback Bot API, the people bound to Telegram, the photos it serves, the bot."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.bots import START_ENV, BotProcess
from bench.dbgen import PHOTO_FILE_IDS, Generated, bound_people, photo_file_id, working_copy
from bench.world import NOW
from sandbox.botapi import BotApiServer, RateLimit
from sandbox.simusers import SimUser

# Calls that answer a person: what they see change in their chat (an upload indicator or a download is not one).
ANSWERS = frozenset(
    {"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "sendLocation", "answerCallbackQuery"}
    | {"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "deleteMessage"}
)


def jpeg(seed: int, size: int) -> bytes:
    """Bytes a phone camera might send: a JPEG signature, then `size` bytes that do not compress."""
    return b"\xff\xd8\xff\xe0" + random.Random(seed).randbytes(size)


@dataclass
class Person:
    """A generated person bound to Telegram, and the simulated user behind the account."""

    user: SimUser
    role: str
    town_id: int | None
    village_id: int | None


@dataclass
class Stage:
    """A running loopback Bot API, the bound people as its users, and a working copy of the database."""

    server: BotApiServer
    folder: Path
    database: Path
    people: list[Person]
    bots: list[BotProcess] = field(default_factory=list)

    def bot(self, kind: str = "gridsafe", start: datetime = NOW, **settings: str) -> BotProcess:
        """A bot process on this stage (started by `async with`); settings as GRIDSAFE_ keys, e.g. SCHEDULE__…"""
        env = {
            "GRIDSAFE_STORAGE__DATABASE": str(self.database),
            "GRIDSAFE_STORAGE__MEDIA_DIR": str(self.folder / "media"),
            START_ENV: start.isoformat(),
        }
        env.update({f"GRIDSAFE_{key.upper()}": value for key, value in settings.items()})
        bot = BotProcess(kind, self.server, env, self.folder / f"{kind}-{len(self.bots)}.log")
        self.bots.append(bot)
        return bot

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows from the working database, read as the bot runs (WAL lets a reader in beside it)."""
        conn = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True)
        try:
            return [tuple(row) for row in conn.execute(sql, tuple(params)).fetchall()]
        finally:
            conn.close()

    def failed_calls(self) -> list[str]:
        """Requests the server refused (other than long polls a newer poll ended)."""
        return [
            f"{call.method} {call.status}: {call.response.get('description')}"
            for call in self.server.calls
            if call.status >= 400 and not (call.method == "getUpdates" and call.status == 409)
        ]

    def reaction_seconds(
        self, steps: list[tuple[int, float]], queries: dict[str, int], methods: frozenset[str] = ANSWERS
    ) -> list[float]:
        """For each (chat, moment an update was queued): how long until the first answer arrived in that chat.

        `queries` names the chat of each callback query the people sent (an answerCallbackQuery names no chat);
        `methods` are the calls that count as an answer.
        """
        by_chat: dict[int, list[float]] = {}
        for call in self.server.calls:
            if call.method not in methods or call.status != 200:
                continue
            chat = call.params.get("chat_id", queries.get(str(call.params.get("callback_query_id"))))
            if isinstance(chat, int):
                by_chat.setdefault(chat, []).append(call.at)
        out = []
        for chat, sent in steps:
            later = [at for at in by_chat.get(chat, []) if at >= sent]
            out.append(min(later) - sent if later else float("nan"))
        return out


@asynccontextmanager
async def stage(generated: Generated, folder: Path, *, rate_limit: RateLimit | None = None) -> AsyncIterator[Stage]:
    """Start the loopback Bot API on a working copy of a generated database, with its bound people as users."""
    database = working_copy(generated, folder)
    async with BotApiServer(rate_limit=rate_limit) as server:
        for n in range(PHOTO_FILE_IDS):
            _serve_photo(server, n)
        people = [
            Person(server.user(user_id, f"{role}{user_id}"), role, town, village)
            for user_id, role, town, village in bound_people(database)
        ]
        scene = Stage(server, folder, database, people)
        try:
            yield scene
        finally:
            for bot in scene.bots:
                await bot.stop()


def _serve_photo(server: BotApiServer, n: int) -> None:
    """Make the file id of generated photo n known to the server, as Telegram knows every photo it delivered."""
    sizes = server.files.store_photo(jpeg(n, 2_000), 1280, 960)
    original = server.files.by_id[sizes[-1]["file_id"]]
    alias = dataclasses.replace(original, file_id=photo_file_id(n))
    server.files.by_id[alias.file_id] = alias
