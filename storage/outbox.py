"""The durable outbox: notifications written with the change they report, drained by the dispatcher."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.notifications import Message, Notification
from storage.database import Database
from storage.timestamps import to_db

_INSERT = (
    "INSERT INTO outbox (dedupe_key, person_id, payload, urgent, priority, subject, not_before, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING"
)
# A chat's lane key, as Outgoing.lane computes it.
_LANE = "COALESCE(b.chat_id, -o.id)"


@dataclass(frozen=True)
class Outgoing:
    """A claimed notification and where to send it (chat_id None: the person is not bound)."""

    id: int
    person_id: int
    chat_id: int | None
    message: Message
    attempts: int

    @property
    def lane(self) -> int:
        """What is sent one at a time, in order: the chat (each unbound person's row is its own lane)."""
        return self.chat_id if self.chat_id is not None else -self.id


class OutboxRepository:
    """SQL for the outbox table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(
        self, tx: aiosqlite.Connection, notification: Notification, now: datetime, not_before: datetime
    ) -> bool:
        """Add a notification unless its dedupe key was used before; True if added."""
        cursor = await tx.execute(
            _INSERT,
            (
                notification.dedupe_key,
                notification.person_id,
                notification.message.model_dump_json(),
                int(notification.urgent),
                int(notification.rank),
                notification.subject,
                to_db(not_before),
                to_db(now),
            ),
        )
        return cursor.rowcount == 1

    async def enqueue_many(
        self, tx: aiosqlite.Connection, queued: list[tuple[Notification, datetime]], now: datetime
    ) -> None:
        """Add (notification, not before) pairs in one statement, skipping dedupe keys used before."""
        await tx.executemany(
            _INSERT,
            [
                (
                    n.dedupe_key,
                    n.person_id,
                    n.message.model_dump_json(),
                    int(n.urgent),
                    int(n.rank),
                    n.subject,
                    to_db(not_before),
                    to_db(now),
                )
                for n, not_before in queued
            ],
        )

    async def cancel_subject(self, tx: aiosqlite.Connection, subject: str) -> int:
        """Cancel reminders about something that has just been done, if they have not gone out yet."""
        cursor = await tx.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE subject = ? AND status = 'pending'", (subject,)
        )
        return cursor.rowcount

    async def person_label(self, person_id: int) -> tuple[str, str | None, int | None]:
        """(name, role, town id) of a notification's recipient, for telling others they cannot be reached."""
        row = await self._db.fetch_one("SELECT name, role, town_id FROM people WHERE id = ?", (person_id,))
        assert row is not None
        return str(row[0]), row[1], row[2]

    async def claim_due(self, now: datetime, limit: int, busy: list[int]) -> list[Outgoing]:
        """Mark due notifications as being sent: the next one of up to `limit` chats not in `busy` (lanes).

        A chat's next is its most urgent, then its oldest; the chats whose next is most urgent, then oldest, go first.
        """
        async with self._db.transaction() as tx:
            rows = await tx.execute_fetchall(
                "SELECT id, person_id, chat_id, payload, attempts FROM ("
                f" SELECT o.id, o.person_id, b.chat_id, o.payload, o.attempts, o.priority, ROW_NUMBER() OVER"
                f" (PARTITION BY {_LANE} ORDER BY o.priority DESC, o.id) AS place FROM outbox o"
                " LEFT JOIN telegram_bindings b ON b.person_id = o.person_id AND b.ended_at IS NULL"
                f" WHERE o.status = 'pending' AND o.not_before <= ? AND {_LANE} NOT IN (SELECT value FROM json_each(?))"
                ") WHERE place = 1 ORDER BY priority DESC, id LIMIT ?",
                (to_db(now), json.dumps(busy), limit),
            )
            claimed = [
                Outgoing(
                    id=row[0],
                    person_id=row[1],
                    chat_id=row[2],
                    message=Message.model_validate_json(row[3]),
                    attempts=row[4],
                )
                for row in rows
            ]
            await tx.executemany(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
                [(item.id,) for item in claimed],
            )
        return claimed

    async def mark_sent(self, outbox_id: int, now: datetime) -> None:
        """The notification reached Telegram."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE outbox SET status = 'sent', sent_at = ? WHERE id = ?", (to_db(now), outbox_id))

    async def mark_failed(self, outbox_id: int, reason: str) -> None:
        """The notification can never be delivered (blocked bot, unknown chat, unbound person)."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?", (reason, outbox_id))

    async def retry_at(self, outbox_id: int, moment: datetime, reason: str) -> None:
        """Put the notification back, to be tried again no earlier than `moment`."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ? WHERE id = ?",
                (to_db(moment), reason, outbox_id),
            )

    async def requeue_interrupted(self) -> int:
        """Put back notifications claimed by a process that stopped before confirming them."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
            return cursor.rowcount
