"""Which sent message shows which hazard to whom (card_messages): to edit cards that went stale, and to open the
hazard a person replies to. Channel-neutral: a message is named by its channel, chat and the channel's key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.notifications import SentKey
from storage.database import Database
from storage.timestamps import to_db

KEPT_PER_HAZARD = 5  # newest messages kept per chat and hazard: older ones are neither edited nor replied to


@dataclass(frozen=True)
class CardMessage:
    """A sent message that shows a hazard to a person; has_buttons: it still offers moves on it."""

    sent: SentKey
    hazard_id: int
    person_id: int
    has_buttons: bool


class CardMessageRepository:
    """SQL for card_messages."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, sent: SentKey, hazard_id: int, person_id: int, has_buttons: bool, now: datetime) -> None:
        """Remember a message about a hazard; the chat's older messages about it beyond the newest few are let go."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO card_messages"
                " (channel, chat_id, message_key, hazard_id, person_id, has_buttons, sent_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_id, message_key) DO UPDATE SET"
                " hazard_id = excluded.hazard_id, person_id = excluded.person_id, has_buttons = excluded.has_buttons",
                (sent.channel, sent.chat_id, sent.key, hazard_id, person_id, int(has_buttons), to_db(now)),
            )
            await tx.execute(
                "DELETE FROM card_messages WHERE channel = ? AND chat_id = ? AND hazard_id = ? AND rowid NOT IN"
                " (SELECT rowid FROM card_messages WHERE channel = ? AND chat_id = ? AND hazard_id = ?"
                " ORDER BY sent_at DESC, rowid DESC LIMIT ?)",
                (sent.channel, sent.chat_id, hazard_id, sent.channel, sent.chat_id, hazard_id, KEPT_PER_HAZARD),
            )

    async def shown_in(self, sent: SentKey) -> CardMessage | None:
        """The hazard a message shows, if it was recorded."""
        row = await self._db.fetch_one(
            "SELECT hazard_id, person_id, has_buttons FROM card_messages"
            " WHERE channel = ? AND chat_id = ? AND message_key = ?",
            (sent.channel, sent.chat_id, sent.key),
        )
        return None if row is None else CardMessage(sent, int(row[0]), int(row[1]), bool(row[2]))

    async def with_buttons(self, hazard_id: int) -> list[CardMessage]:
        """The messages about a hazard that still offer buttons, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT channel, chat_id, message_key, person_id FROM card_messages"
            " WHERE hazard_id = ? AND has_buttons = 1 ORDER BY sent_at, rowid",
            (hazard_id,),
        )
        return [
            CardMessage(SentKey(channel=str(r[0]), chat_id=int(r[1]), key=str(r[2])), hazard_id, int(r[3]), True)
            for r in rows
        ]

    async def buttons_changed(self, tx: aiosqlite.Connection, sent: SentKey, has_buttons: bool) -> None:
        """A message's buttons are being replaced (an edit is queued in the same transaction)."""
        await tx.execute(
            "UPDATE card_messages SET has_buttons = ? WHERE channel = ? AND chat_id = ? AND message_key = ?",
            (int(has_buttons), sent.channel, sent.chat_id, sent.key),
        )
