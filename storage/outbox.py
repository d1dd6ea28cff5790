"""The durable outbox: notifications written with the change they report, drained by the dispatcher.

A row is one notification on one channel (Telegram or WeCom): the channels are chosen when it is queued
(bot/domain/routing.py), and each channel's row is sent, retried and failed on its own. A dedupe key is queued once:
once any row holds it, queueing it again adds nothing, on any channel, even if the person's channels changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.notifications import Message, Notification
from bot.domain.people import Channel
from bot.domain.routing import Reach
from storage.database import Database
from storage.timestamps import to_db

# One row per channel (a JSON list), none if the dedupe key was queued before on any channel. SQLite reads the
# SELECT in full before inserting (it reads the table it inserts into), so the rows of one call do not shut out
# each other.
_INSERT = (
    "INSERT INTO outbox (dedupe_key, channel, person_id, payload, urgent, priority, subject, not_before, created_at)"
    " SELECT ?1, c.value, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM json_each(?9) c"
    " WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE dedupe_key = ?1)"
)
# A row's address on its channel (NULL: the person is not on it), and its lane key, as Outgoing.lane computes it.
_ADDRESS = "CASE o.channel WHEN 'wecom' THEN w.wecom_userid ELSE b.chat_id END"
_LANE = f"o.channel || ':' || COALESCE({_ADDRESS}, '#' || o.id)"


@dataclass(frozen=True)
class Outgoing:
    """A claimed notification, its channel and where to send it there (address None: the person is not on it)."""

    id: int
    person_id: int
    channel: Channel
    address: int | str | None  # a Telegram chat id, a WeCom userid
    message: Message
    attempts: int

    @property
    def lane(self) -> str:
        """What is sent one at a time, in order: a chat of a channel (an unbound person's row is its own lane)."""
        return f"{self.channel.value}:{self.address if self.address is not None else f'#{self.id}'}"


def _row(n: Notification, channels: list[Channel], not_before: datetime, now: datetime) -> tuple[object, ...]:
    return (
        n.dedupe_key,
        n.person_id,
        n.message.model_dump_json(),
        int(n.urgent),
        int(n.rank),
        n.subject,
        to_db(not_before),
        to_db(now),
        json.dumps([channel.value for channel in channels]),
    )


class OutboxRepository:
    """SQL for the outbox table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def reach(self, tx: aiosqlite.Connection, person_ids: list[int]) -> dict[int, Reach]:
        """The channels each of these people can be reached on now, and the one they last wrote from."""
        rows = await tx.execute_fetchall(
            "SELECT p.id, EXISTS (SELECT 1 FROM telegram_bindings b WHERE b.person_id = p.id AND b.ended_at IS NULL),"
            " p.wecom_userid IS NOT NULL AND p.deactivated_at IS NULL, p.last_channel"
            " FROM people p WHERE p.id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(person_ids))),),
        )
        return {int(row[0]): Reach(bool(row[1]), bool(row[2]), Channel(row[3]) if row[3] else None) for row in rows}

    async def enqueue(
        self,
        tx: aiosqlite.Connection,
        notification: Notification,
        channels: list[Channel],
        now: datetime,
        not_before: datetime,
    ) -> bool:
        """Add a notification on these channels unless its dedupe key was used before; True if added."""
        cursor = await tx.execute(_INSERT, _row(notification, channels, not_before, now))
        return cursor.rowcount > 0

    async def enqueue_many(
        self, tx: aiosqlite.Connection, queued: list[tuple[Notification, list[Channel], datetime]], now: datetime
    ) -> None:
        """Add (notification, channels, not before) triples in one statement, skipping dedupe keys used before."""
        await tx.executemany(_INSERT, [_row(n, channels, not_before, now) for n, channels, not_before in queued])

    async def copy_to(self, tx: aiosqlite.Connection, outbox_id: int, channels: list[Channel]) -> int:
        """Queue a notification's row again on other channels (those it is not on yet), due now; how many added."""
        cursor = await tx.execute(
            "INSERT INTO outbox (dedupe_key, channel, person_id, payload, urgent, priority, subject, not_before,"
            " created_at) SELECT o.dedupe_key, c.value, o.person_id, o.payload, o.urgent, o.priority, o.subject,"
            " o.not_before, o.created_at FROM outbox o, json_each(?) c WHERE o.id = ?"
            " ON CONFLICT (dedupe_key, channel) DO NOTHING",
            (json.dumps([channel.value for channel in channels]), outbox_id),
        )
        return cursor.rowcount

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

    async def claim_due(self, now: datetime, limit: int, busy: list[str], channel: Channel) -> list[Outgoing]:
        """Mark due notifications of one channel as being sent: the next one of up to `limit` chats not in `busy`.

        A chat's next is its most urgent, then its oldest; the chats whose next is most urgent, then oldest, go first.
        """
        async with self._db.transaction() as tx:
            rows = await tx.execute_fetchall(
                "SELECT id, person_id, address, payload, attempts FROM ("
                f" SELECT o.id, o.person_id, {_ADDRESS} AS address, o.payload, o.attempts, o.priority,"
                f" ROW_NUMBER() OVER (PARTITION BY {_LANE} ORDER BY o.priority DESC, o.id) AS place FROM outbox o"
                " LEFT JOIN telegram_bindings b ON o.channel = 'telegram' AND b.person_id = o.person_id"
                " AND b.ended_at IS NULL"
                " LEFT JOIN people w ON o.channel = 'wecom' AND w.id = o.person_id AND w.deactivated_at IS NULL"
                " WHERE o.status = 'pending' AND o.channel = ? AND o.not_before <= ?"
                f" AND {_LANE} NOT IN (SELECT value FROM json_each(?))"
                ") WHERE place = 1 ORDER BY priority DESC, id LIMIT ?",
                (channel.value, to_db(now), json.dumps(busy), limit),
            )
            claimed = [
                Outgoing(
                    id=row[0],
                    person_id=row[1],
                    channel=channel,
                    address=row[2],
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
        """The notification reached its channel."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE outbox SET status = 'sent', sent_at = ? WHERE id = ?", (to_db(now), outbox_id))

    async def mark_failed(self, outbox_id: int, reason: str) -> None:
        """The notification can never be delivered on its channel (blocked bot, unknown chat, unbound person)."""
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
