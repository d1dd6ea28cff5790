"""Delivery within Telegram's limits: a large fan-out, and a server that answers 429."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FakeClock
from bot.domain.notifications import Message, Notification
from bot.domain.people import Role
from sandbox.botapi import RateLimit
from sandbox.simusers import SimUser
from tests.rig import Rig, running_bot


async def _bound_owners(rig: Rig, count: int) -> list[tuple[int, SimUser]]:
    """`count` owners of 新龙村, each bound to a Telegram account the loopback server knows."""
    people = []
    for n in range(count):
        created = await rig.services.invites.create(Role.OWNER, village="新龙村", name=f"责任人{n:04d}")
        user = rig.server.user(700_000 + n, f"责任人{n:04d}")
        await rig.services.invites.redeem(created.code, user.id, user.id)
        people.append((created.person.id, user))
    return people


async def _queue_reminders(rig: Rig, people: list[tuple[int, SimUser]]) -> None:
    async with rig.services.db.transaction() as tx:
        for person_id, _ in people:
            notification = Notification(
                person_id=person_id, dedupe_key=f"fanout:{person_id}", message=Message(text=f"【整改提醒】{person_id}")
            )
            await rig.services.notifier.enqueue(tx, notification, rig.clock.now())


async def test_fan_out_of_500_reminders_within_telegrams_limits(tmp_path: Path, clock: FakeClock) -> None:
    limits = RateLimit(global_per_second=30, per_chat_per_second=1)
    async with running_bot(tmp_path, clock, rate_limit=limits) as rig:
        people = await _bound_owners(rig, 500)
        await _queue_reminders(rig, people)
        # The dispatcher's every-second job drains too, so either may send a message; each round must make progress
        # (a dispatcher that stops sending fails here instead of looping for ever).
        pending = 500
        while pending:
            await rig.drain()
            (left,) = (await rig.rows("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"))[0]
            assert left < pending, f"the dispatcher made no progress: {left} notifications still waiting"
            pending = left
        assert await rig.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status") == [("sent", 500)]
        delivered = [call for call in rig.server.calls_to("sendMessage") if call.status == 200]
        assert len(delivered) == 500  # what the outbox marks sent is what Telegram accepted
        assert all(len(user.inbox) == 1 for _, user in people)  # none lost, none twice
        assert rig.server.rejected_429 == 0  # paced below the limit, Telegram never had to say no


async def test_retry_after_is_honoured_and_nothing_is_lost(tmp_path: Path, clock: FakeClock) -> None:
    # The server allows only 10 messages a second, the dispatcher is configured for 25: Telegram answers 429.
    limits = RateLimit(global_per_second=10, per_chat_per_second=1)
    async with running_bot(tmp_path, clock, rate_limit=limits) as rig:
        people = await _bound_owners(rig, 40)
        await _queue_reminders(rig, people)
        while (await rig.rows("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"))[0][0]:
            await rig.drain()
        assert await rig.rows("SELECT status, COUNT(*) FROM outbox GROUP BY status") == [("sent", 40)]
        assert all(len(user.inbox) == 1 for _, user in people)
        assert rig.server.rejected_429 > 0
        # Each 429 pauses all sending for retry_after (1 s), so there are a few, not one per message or more.
        assert rig.server.rejected_429 <= 10
