"""End to end: one chat flooding the bot never delays anyone else's answer, and is told once to slow down."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot import texts
from bot.chat_order import PerChatUpdateProcessor
from bot.domain.limits import CHAT_FLOOD_BACKLOG, FLOOD_QUIET_SECONDS
from bot.domain.people import Role
from sandbox.simusers import SimUser
from tests.rig import Rig

FLOOD = 1000  # ten getUpdates batches of 100: a forward of many messages, or a script


def _texts_to(rig: Rig, user: SimUser, since: int) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in rig.server.calls[since:]
        if call.method == "sendMessage" and int(call.params["chat_id"]) == user.id
    ]


async def _backlog_done(rig: Rig, chat_id: int) -> None:
    processor = rig.app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    async with asyncio.timeout(60):
        while processor.backlog(chat_id):
            await asyncio.sleep(0.01)


async def test_stranger_flooding_does_not_delay_another_persons_help(rig: Rig) -> None:
    officer = await rig.join(Role.OFFICER, village="新龙村")
    flooder = rig.stranger("刷屏者")
    start = len(rig.server.calls)
    for n in range(FLOOD):
        flooder.deliver(flooder.text_message(f"消息 {n}"))
    await officer.send("/help")  # queued on the Bot API after the whole flood

    help_answer = await officer.next_message(timeout=60)
    assert "帮助" in help_answer.body or "/report" in help_answer.body
    answered_at = next(
        i
        for i, call in enumerate(rig.server.calls[start:])
        if call.method == "sendMessage" and int(call.params["chat_id"]) == officer.id
    )
    handled_before_help = [
        str(call.params.get("text", ""))
        for call in rig.server.calls[start : start + answered_at]
        if call.method == "sendMessage" and int(call.params["chat_id"]) == flooder.id
    ]
    # Before the /help answer, only what the flooder's chat was allowed to hold was served (at 1,000 without a
    # limit, some 750 answers to the flood went first).
    assert handled_before_help.count(texts.UNBOUND) <= CHAT_FLOOD_BACKLOG

    # The rest of the flood is refused at the gate, silently after one notice; nothing of it is stored.
    await _backlog_done(rig, flooder.id)
    sent = _texts_to(rig, flooder, start)
    assert sent.count(texts.FLOOD_REFUSED) == 1
    assert 1 <= sent.count(texts.UNBOUND) <= CHAT_FLOOD_BACKLOG
    assert len(sent) == sent.count(texts.UNBOUND) + 1
    assert await rig.rows("SELECT COUNT(*) FROM telegram_bindings") == [(1,)]  # the officer's only

    # Once the chat has been quiet for a while, it is served again.
    rig.clock.advance(timedelta(seconds=FLOOD_QUIET_SECONDS))
    await flooder.send("你好")
    await flooder.wait_until(lambda: len(_texts_to(rig, flooder, start)) > len(sent), timeout=10)
    assert _texts_to(rig, flooder, start) == [*sent, texts.UNBOUND]
