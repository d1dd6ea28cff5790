"""Queueing notifications: quiet hours decide when they may go out; finishing something cancels its reminders."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.notifications import Notification
from bot.domain.schedule import Rules, release_at
from storage.outbox import OutboxRepository


class Notifier:
    """The one way notifications enter the outbox."""

    def __init__(self, outbox: OutboxRepository, rules: Rules) -> None:
        self._outbox = outbox
        self._rules = rules

    async def enqueue(self, tx: aiosqlite.Connection, notification: Notification, now: datetime) -> bool:
        """Queue a notification (once per dedupe key), deferred past quiet hours unless urgent."""
        not_before = release_at(now, self._rules, urgent=notification.urgent)
        return await self._outbox.enqueue(tx, notification, now, not_before)

    async def enqueue_many(self, tx: aiosqlite.Connection, notifications: list[Notification], now: datetime) -> None:
        """Queue many notifications at once (a scheduler pass), each as `enqueue` would."""
        queued = [(n, release_at(now, self._rules, urgent=n.urgent)) for n in notifications]
        await self._outbox.enqueue_many(tx, queued, now)

    async def enqueue_edit(self, tx: aiosqlite.Connection, notification: Notification, now: datetime) -> bool:
        """Queue the edit of an earlier message: edits make no sound, so quiet hours do not hold them back."""
        return await self._outbox.enqueue(tx, notification, now, now)

    async def settle(self, tx: aiosqlite.Connection, subject: str) -> int:
        """The subject was just done: reminders about it that are still waiting are cancelled."""
        return await self._outbox.cancel_subject(tx, subject)
