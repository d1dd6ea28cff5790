"""End to end: one busy chat holds up no other chat, and urgent notifications overtake queued routine ones.

The loopback Bot API enforces Telegram's flood limits (1 message a second per chat) and records the order in which
requests arrive; the tests compare that order, never how long anything took.
"""

from __future__ import annotations

from pathlib import Path

from bot.clock import FakeClock
from bot.domain.notifications import Message, Notification
from bot.domain.people import Role
from sandbox.botapi import RateLimit
from sandbox.simusers import SimUser
from tests.flows import officer, submit, walk_to_summary
from tests.rig import Rig, png, running_bot

QUEUED = 60
TELEGRAM = RateLimit(global_per_second=30, per_chat_per_second=1)


async def queue_for(rig: Rig, user: SimUser, count: int) -> None:
    """`count` routine notifications for this person, queued in one go (as a busy scheduler pass would)."""
    actor = await rig.services.access.actor(user.id)
    assert actor is not None
    async with rig.services.db.transaction() as tx:
        for n in range(count):
            message = Message(text=f"【整改提醒】第{n + 1}条")
            notification = Notification(person_id=actor.id, dedupe_key=f"busy:{n}", message=message)
            await rig.services.notifier.enqueue(tx, notification, rig.clock.now())
    rig.app.bot_data.kick_outbox()


def arrival(rig: Rig, chat_id: int, fragment: str) -> int:
    """Where, in the order requests reached Telegram, the first message accepted for this chat with fragment came."""
    return next(
        n
        for n, call in enumerate(rig.server.calls)
        if call.status == 200 and call.params.get("chat_id") == chat_id and fragment in str(call.params.get("text"))
    )


def reminders_before(rig: Rig, chat_id: int, position: int) -> int:
    """How many of the queued reminders had reached this chat before that position."""
    return sum(
        1
        for call in rig.server.calls[:position]
        if call.status == 200
        and call.params.get("chat_id") == chat_id
        and "【整改提醒】" in str(call.params.get("text"))
    )


def refused_since(rig: Rig, position: int, *users: SimUser) -> int:
    """How many requests to these people Telegram refused with 429 from that position on.

    (Before the queue's first reminder, a reply such as the welcome may share the chat's second with it: replies are
    not paced by the outbox.)
    """
    chats = {user.id for user in users}
    return sum(1 for call in rig.server.calls[position:] if call.status == 429 and call.params.get("chat_id") in chats)


async def test_a_new_hazard_card_does_not_wait_for_another_chats_queue(tmp_path: Path, clock: FakeClock) -> None:
    async with running_bot(tmp_path, clock, rate_limit=TELEGRAM) as rig:
        admin = await rig.join(Role.ADMIN, name="杜浩")
        boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
        reporter = await officer(rig)
        await queue_for(rig, admin, QUEUED)
        await admin.expect("【整改提醒】第1条")  # the admin's queue is being sent, one a second
        number = await submit(reporter, await walk_to_summary(reporter, photo=png(3)))

        await boss.expect(f"【新隐患·待交办】#{number}", timeout=30)  # a bound for a loaded machine; 60 s fails
        card = arrival(rig, boss.id, "【新隐患·待交办】")
        assert reminders_before(rig, admin.id, card) < QUEUED  # the card did not wait for the admin's queue
        sent = [m.text for m in admin.inbox if m.text and "【整改提醒】" in m.text]
        assert sent == [f"【整改提醒】第{n + 1}条" for n in range(len(sent))]  # the admin's queue goes in order
        assert refused_since(rig, arrival(rig, admin.id, "第1条"), admin, boss) == 0  # within Telegram's limits


async def test_a_major_hazard_alert_overtakes_the_routine_notifications_queued_for_the_same_admin(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with running_bot(tmp_path, clock, rate_limit=TELEGRAM) as rig:
        admin = await rig.join(Role.ADMIN, name="杜浩")
        reporter = await officer(rig)
        await queue_for(rig, admin, QUEUED)
        await admin.expect("【整改提醒】第1条")
        summary = await walk_to_summary(reporter, photo=png(4), category="危险化学品", severity="重大隐患")
        number = await submit(reporter, summary)

        await admin.expect(f"【重大隐患报警】#{number}", timeout=30)
        alert = arrival(rig, admin.id, "【重大隐患报警】")
        # Queued after all of them, it went before those still waiting, which then follow in their order.
        assert reminders_before(rig, admin.id, alert) < QUEUED
        following = await admin.expect("【整改提醒】")
        assert following.text == f"【整改提醒】第{reminders_before(rig, admin.id, alert) + 1}条"
        assert refused_since(rig, arrival(rig, admin.id, "第1条"), admin) == 0
