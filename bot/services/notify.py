"""Queueing notifications: the routing rule picks their channels, quiet hours decide when they may go out;
finishing something cancels its reminders."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain import routing
from bot.domain.notifications import Notification
from bot.domain.people import Channel
from bot.domain.schedule import Rules, release_at
from storage.database import Database
from storage.outbox import OutboxRepository


class Notifier:
    """The one way notifications enter the outbox."""

    def __init__(self, db: Database, outbox: OutboxRepository, rules: Rules, *, wecom: bool = False) -> None:
        self._db = db
        self._outbox = outbox
        self._rules = rules
        self._wecom = wecom  # whether this deployment serves WeCom: a WeCom account counts only then

    async def enqueue(self, tx: aiosqlite.Connection, notification: Notification, now: datetime) -> bool:
        """Queue a notification (once per dedupe key) on the person's channels, deferred past quiet hours unless
        urgent."""
        reach = await self._reach(tx, [notification.person_id])
        channels = _channels(notification, reach)
        not_before = release_at(now, self._rules, urgent=notification.urgent)
        return await self._outbox.enqueue(tx, notification, channels, now, not_before)

    async def enqueue_many(self, tx: aiosqlite.Connection, notifications: list[Notification], now: datetime) -> None:
        """Queue many notifications at once (a scheduler pass), each as `enqueue` would."""
        reach = await self._reach(tx, [n.person_id for n in notifications])
        queued = [(n, _channels(n, reach), release_at(now, self._rules, urgent=n.urgent)) for n in notifications]
        await self._outbox.enqueue_many(tx, queued, now)

    async def enqueue_edit(
        self, tx: aiosqlite.Connection, notification: Notification, channel: Channel, now: datetime
    ) -> bool:
        """Queue the edit of an earlier message on the channel that holds it: edits make no sound, so quiet hours
        do not hold them back."""
        return await self._outbox.enqueue(tx, notification, [channel], now, now)

    async def fall_back(self, outbox_id: int, person_id: int, failed: Channel) -> int:
        """A channel cannot reach the person: the notification goes to their other channels (how many copies)."""
        async with self._db.transaction() as tx:
            reach = await self._reach(tx, [person_id])
            person = reach.get(person_id)
            channels = routing.fallback(person, failed) if person is not None else []
            return await self._outbox.copy_to(tx, outbox_id, channels) if channels else 0

    async def _reach(self, tx: aiosqlite.Connection, person_ids: list[int]) -> dict[int, routing.Reach]:
        if not self._wecom:  # Telegram only: every notification goes there (unbound: a row that fails), no query
            return {}
        return await self._outbox.reach(tx, person_ids)

    async def settle(self, tx: aiosqlite.Connection, subject: str) -> int:
        """The subject was just done: reminders about it that are still waiting are cancelled."""
        return await self._outbox.cancel_subject(tx, subject)


def _channels(notification: Notification, reach: dict[int, routing.Reach]) -> list[Channel]:
    """The routing rule for one notification (a person not in the roster is reached on no channel)."""
    person = reach.get(notification.person_id, routing.Reach(telegram=False, wecom=False))
    return routing.channels(person, must_not_miss=notification.must_not_miss)
