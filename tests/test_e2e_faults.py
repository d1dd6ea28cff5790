"""End to end under Telegram faults: 429 with retry_after, 5xx answers, slow answers, time-outs and dropped
connections, injected by the loopback Bot API (sandbox/faults.py). The bot keeps running, retries sensibly, and loses
no report and no notification; the only duplicates are the documented at-least-once case (a send that Telegram
carried out but whose answer never arrived)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.clock import FakeClock
from bot.domain.notifications import Message, Notification
from bot.domain.people import Role
from sandbox.apirules import ApiCall
from sandbox.faults import FaultPlan
from sandbox.simusers import BotMessage, SimUser
from tests.flows import officer, sha, submit, wait_for, walk_to_summary
from tests.rig import Rig, png, running_bot

VILLAGES = ["新龙村", "牛冲村", "西庄村", "松溪村", "李溪村", "湾河村", "梅家村", "沟湾村"]  # all in 青龙镇
# The bot gives up waiting for an answer after this many seconds; "slow beyond the timeout" faults wait longer.
READ_TIMEOUT = 1.0
BEYOND_TIMEOUT = 1.6


@pytest.fixture
async def rig(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Rig]:
    # Notifications to one chat are paced at 1 a second by default; faster here so that retries, not pacing, show.
    async with running_bot(
        tmp_path, clock, TELEGRAM__READ_TIMEOUT_SECONDS=str(READ_TIMEOUT), SCHEDULE__CHAT_RATE_PER_SECOND="20"
    ) as running:
        yield running


def to_chat(chat_id: int) -> Any:
    """A fault `match` predicate: requests addressed to this chat."""
    return lambda params: params.get("chat_id") == chat_id


def calls_to(rig: Rig, method: str, chat_id: int) -> list[ApiCall]:
    return [call for call in rig.server.calls_to(method) if call.params.get("chat_id") == chat_id]


def texts_of(user: SimUser, fragment: str) -> list[BotMessage]:
    return [m for m in user.inbox if fragment in (m.text or "")]


async def arrived(plan: FaultPlan, timeout: float = 10.0) -> None:
    await asyncio.wait_for(plan.arrived.wait(), timeout)


async def outbox_of(rig: Rig, name: str) -> list[tuple[Any, ...]]:
    return await rig.rows(
        "SELECT o.status, o.last_error FROM outbox o JOIN people p ON p.id = o.person_id WHERE p.name = ? ORDER BY o.id",
        (name,),
    )


async def queue(rig: Rig, user: SimUser, key: str, text: str, photos: list[str] | None = None) -> None:
    """A notification for this bound person, queued as the services queue them."""
    actor = await rig.services.access.actor(user.id)
    assert actor is not None
    notification = Notification(person_id=actor.id, dedupe_key=key, message=Message(text=text, photos=photos or []))
    async with rig.services.db.transaction() as tx:
        await rig.services.notifier.enqueue(tx, notification, rig.clock.now())


async def help_answer(rig: Rig, user: SimUser) -> BotMessage:
    await user.send("/help")
    return await user.expect("可用功能")


# ---- polling -----------------------------------------------------------------------------------------------


async def test_polling_survives_5xx_dropped_and_slow_getupdates(rig: Rig) -> None:
    user = await officer(rig)
    faults = rig.server.faults
    plans = [
        faults.add("getUpdates", "5xx", status=502),
        faults.add("getUpdates", "drop"),
        faults.add("getUpdates", "slow", delay=0.5),
    ]
    for plan in plans:  # each takes the next long poll, in this order
        await arrived(plan)
    await help_answer(rig, user)
    assert [p.hits for p in plans] == [1, 1, 1]
    assert rig.app.running and rig.app.updater is not None and rig.app.updater.running


async def test_updates_in_a_lost_getupdates_answer_are_fetched_again_and_handled_once(rig: Rig) -> None:
    user = await officer(rig)
    lost = rig.server.faults.add("getUpdates", "drop", after=True)
    await arrived(lost)
    await user.send("/help")  # answered to that long poll, whose answer never reaches the bot
    await user.expect("可用功能")
    await user.assert_silent(within=0.8)
    assert lost.calls[0].carried_out and not lost.calls[0].delivered
    assert len(texts_of(user, "可用功能")) == 1


# ---- photo downloads ---------------------------------------------------------------------------------------

# One officer per fault, all at once (each fault matches only that officer's photo).
TRANSIENT_DOWNLOAD_FAULTS: list[tuple[str, str, dict[str, Any]]] = [
    ("getFile", "5xx", {"status": 502}),
    ("getFile", "drop", {"times": 2}),
    ("file", "5xx", {"status": 500}),
    # HTTP clients resend a GET once by themselves when a reused connection drops: drop twice to reach the bot.
    ("file", "drop", {"times": 2}),
    ("file", "slow", {"delay": BEYOND_TIMEOUT}),  # beyond the bot's read timeout
    ("file", "429", {"retry_after": 1}),
]


def photo_request(rig: Rig, target: str, message: dict[str, Any]) -> Any:
    """A fault `match` predicate: getFile, or the download, of the largest size of this photo message."""
    stored = rig.server.files.by_id[message["photo"][-1]["file_id"]]
    if target == "file":
        return lambda params: params.get("file_path") == stored.file_path
    return lambda params: params.get("file_id") == stored.file_id


async def test_photo_download_faults_are_retried_and_every_photo_kept(rig: Rig) -> None:
    officers = [await officer(rig, village) for village in VILLAGES[: len(TRANSIENT_DOWNLOAD_FAULTS)]]
    for n, user in enumerate(officers):
        await user.send_photo(png(100 + n))
        await user.expect("已收到 1 张照片")
    plans, messages = [], []
    for n, (user, (target, kind, options)) in enumerate(zip(officers, TRANSIENT_DOWNLOAD_FAULTS, strict=True)):
        messages.append(message := user.photo_message(png(200 + n)))
        plans.append(rig.server.faults.add(target, kind, match=photo_request(rig, target, message), **options))
    for user, message in zip(officers, messages, strict=True):
        user.deliver(message)
    for n, (user, plan) in enumerate(zip(officers, plans, strict=True)):
        confirmation = await user.expect("张照片")
        assert "已收到 2 张照片" in (confirmation.text or "") and confirmation.buttons == ["下一步"], plan
        assert plan.hits >= 1 and not texts_of(user, texts.PHOTO_DOWNLOAD_FAILED), plan
        assert not texts_of(user, texts.INTERNAL_ERROR), plan
        draft = await rig.draft_of(user)
        assert draft is not None and [p.sha256 for p in draft.photos] == [sha(png(100 + n)), sha(png(200 + n))]
        stored = rig.settings.storage.media_dir / sha(png(200 + n))[:2] / f"{sha(png(200 + n))}.png"
        assert stored.read_bytes() == png(200 + n)


async def test_photo_that_cannot_be_downloaded_is_asked_for_again_and_nothing_else_is_lost(rig: Rig) -> None:
    officers = [await officer(rig, village) for village in VILLAGES[:2]]
    for n, user in enumerate(officers):
        await user.send_photo(png(300 + n))
        await user.expect("已收到 1 张照片")
    # Telegram's file service is down: getFile for one officer, the download for the other.
    messages = [user.photo_message(png(400 + n)) for n, user in enumerate(officers)]
    outages = [
        rig.server.faults.add(target, "5xx", status=502, times=100, match=photo_request(rig, target, message))
        for target, message in zip(("getFile", "file"), messages, strict=True)
    ]
    for user, message in zip(officers, messages, strict=True):
        user.deliver(message)
    for n, (user, outage) in enumerate(zip(officers, outages, strict=True)):
        await user.expect(texts.PHOTO_DOWNLOAD_FAILED)
        assert 2 <= outage.hits <= 4, outage  # retried a few times, not for ever
        await user.assert_silent(within=0.3)  # no confirmation, no error message
        draft = await rig.draft_of(user)
        assert draft is not None and [p.sha256 for p in draft.photos] == [sha(png(300 + n))]

    rig.server.faults.clear()  # back up: the officers send the photo again
    for n, user in enumerate(officers):
        await user.send_photo(png(400 + n))
        await user.expect("已收到 2 张照片")
        draft = await rig.draft_of(user)
        assert draft is not None and [p.sha256 for p in draft.photos] == [sha(png(300 + n)), sha(png(400 + n))]


async def test_report_with_faults_at_every_step_is_submitted_whole(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    faults = rig.server.faults
    faults.add("file", "5xx", status=503)
    faults.add("sendMessage", "5xx", status=502, match=to_chat(user.id))  # the photo confirmation
    faults.add("answerCallbackQuery", "drop")  # 下一步
    faults.add("editMessageReplyMarkup", "5xx", status=500)  # the pressed buttons taken away
    faults.add("getUpdates", "5xx", status=502)
    photo = png(51)
    number = await submit(user, await walk_to_summary(user, photo=photo))
    assert faults.pending == 0, [p for p in faults.plans if p.remaining()]
    assert not texts_of(user, texts.INTERNAL_ERROR)
    assert await rig.rows("SELECT id, status, place FROM hazards") == [(number, "reported", "幸福超市")]
    assert await rig.rows("SELECT sha256 FROM hazard_photos") == [(sha(photo),)]
    await supervisor.expect(f"【新隐患·待交办】#{number}")


# ---- outbox notifications ----------------------------------------------------------------------------------


async def test_new_hazard_card_under_429_and_5xx_is_delivered_once_after_retry_after(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    summary = await walk_to_summary(user, photo=png(61))
    limited = rig.server.faults.add("sendPhoto", "429", retry_after=1, match=to_chat(supervisor.id))
    broken = rig.server.faults.add("sendMessage", "5xx", status=502, times=2, match=to_chat(supervisor.id))
    number = await submit(user, summary)
    card = await supervisor.expect(f"【新隐患·待交办】#{number}")
    assert card.buttons == ["交办", "不属实", "重复"]
    await wait_for(rig, "SELECT status FROM outbox WHERE status != 'failed'", [("sent",)])
    assert (limited.hits, broken.hits) == (1, 2)
    photos = calls_to(rig, "sendPhoto", supervisor.id)
    assert [c.status for c in photos] == [429, 200]
    assert photos[1].arrived - photos[0].arrived >= 1.0  # retry_after honoured
    assert [c.status for c in calls_to(rig, "sendMessage", supervisor.id) if c.status != 200] == [502, 502]
    assert len([m for m in supervisor.inbox if m.method == "sendPhoto"]) == 1
    assert len(texts_of(supervisor, f"#{number}")) == 1
    assert await outbox_of(rig, "肖浩") == [("sent", None)]


# One officer per fault, all at once: (method, kind, options, copies of that call the officer ends up with).
DELIVERY_FAULTS: list[tuple[str, str, dict[str, Any], int]] = [
    ("sendMessage", "429", {"retry_after": 1}, 1),
    ("sendMessage", "5xx", {"status": 502, "times": 2}, 1),
    ("sendMessage", "drop", {"times": 2}, 1),  # dropped before Telegram acted
    ("sendMessage", "slow", {"delay": 0.5}, 1),
    ("sendPhoto", "5xx", {"status": 503}, 1),
    ("sendPhoto", "drop", {}, 1),
    # Telegram sent it but the answer was lost: sent again, the documented at-least-once duplicate.
    ("sendMessage", "timeout", {"delay": BEYOND_TIMEOUT}, 2),
    ("sendMessage", "drop", {"after": True}, 2),
]


async def test_notifications_under_faults_are_delivered_and_marked_sent(rig: Rig) -> None:
    officers = [await officer(rig, village) for village in VILLAGES[: len(DELIVERY_FAULTS)]]
    plans = []
    for n, (user, (method, kind, options, _)) in enumerate(zip(officers, DELIVERY_FAULTS, strict=True)):
        photo = rig.server.files.store_photo(png(500 + n), 800, 600)[-1]["file_id"]
        plans.append(rig.server.faults.add(method, kind, match=to_chat(user.id), **options))
        await queue(rig, user, f"fault-{n}", f"【整改提醒】第{n}条", photos=[photo])
    await rig.drain()
    await wait_for(rig, "SELECT DISTINCT status, last_error FROM outbox", [("sent", None)])
    for plan in plans:  # a call Telegram carried out after the bot stopped waiting lands late
        await asyncio.wait_for(_settled(plan), 5)
    await asyncio.sleep(0.3)  # time for a duplicate to show, if there were one
    for user, plan, (method, kind, _, copies) in zip(officers, plans, DELIVERY_FAULTS, strict=True):
        assert plan.hits == plan.times, plan
        reminders = texts_of(user, "【整改提醒】")
        photos = [m for m in user.inbox if m.method == "sendPhoto"]
        assert len(reminders) == (copies if method == "sendMessage" else 1), plan
        assert len(photos) == (copies if method == "sendPhoto" else 1), plan
        assert reminders[0].message_id > photos[-1].message_id, plan  # still the photo first, then the text
        if kind == "429":
            calls = calls_to(rig, method, user.id)
            first = next(n for n, call in enumerate(calls) if call.status == 429)
            rejected, retried = calls[first : first + 2]
            assert (rejected.status, retried.status) == (429, 200)
            assert retried.arrived - rejected.arrived >= 1.0  # retry_after honoured


async def _settled(plan: FaultPlan) -> None:
    while not all(call.carried_out or call.status is not None or plan.kind == "drop" for call in plan.calls):
        await asyncio.sleep(0.05)


async def test_reminder_through_a_long_outage_goes_back_to_the_queue_and_is_sent_later(
    rig: Rig, clock: FakeClock
) -> None:
    user = await officer(rig)
    outage = rig.server.faults.add("sendMessage", "5xx", status=502, times=4, match=to_chat(user.id))
    thursday = datetime(2026, 11, 26, 1, 5, tzinfo=UTC)  # Thursday 09:05 in Shanghai: the weekly check reminder
    await rig.tick(thursday, step=thursday - clock.now())
    await wait_for(rig, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'", [(0,)])
    assert outage.hits == 4
    assert await outbox_of(rig, "曾英海") == [("pending", "network errors")]
    assert not texts_of(user, "【排查提醒】")
    await rig.drain()  # not due yet: waits for its back-off
    assert not texts_of(user, "【排查提醒】")
    await rig.tick(thursday + timedelta(seconds=31), step=timedelta(seconds=31))
    await user.expect("【排查提醒】青龙镇新龙村本周")
    assert await outbox_of(rig, "曾英海") == [("sent", "network errors")]
    assert len(texts_of(user, "【排查提醒】")) == 1


async def test_notification_refused_for_an_unknown_reason_is_queued_again_not_stuck(rig: Rig, clock: FakeClock) -> None:
    user, other = await officer(rig), await officer(rig, "牛冲村")
    refused = rig.server.faults.add("sendMessage", "error", status=404, match=to_chat(user.id))
    await queue(rig, user, "refused", "【整改提醒】甲")
    await queue(rig, other, "fine", "【整改提醒】乙")
    await rig.drain()
    assert refused.hits == 1
    assert await outbox_of(rig, "曾英海") == [("pending", "Not Found")]
    await other.expect("【整改提醒】乙")  # the rest of the batch went out
    await rig.tick(clock.now() + timedelta(seconds=31), step=timedelta(seconds=31))
    await user.expect("【整改提醒】甲")
    assert await rig.rows("SELECT DISTINCT status FROM outbox") == [("sent",)]


# ---- direct replies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        pytest.param("5xx", {"status": 502}, id="502"),
        pytest.param("drop", {}, id="dropped"),
        pytest.param("429", {"retry_after": 1}, id="429"),
    ],
)
async def test_reply_that_fails_once_is_sent_again(rig: Rig, kind: str, options: dict[str, Any]) -> None:
    user = await officer(rig)
    plan = rig.server.faults.add("sendMessage", kind, match=to_chat(user.id), **options)
    await help_answer(rig, user)
    await user.assert_silent(within=0.5)
    assert plan.hits == 1 and len(texts_of(user, "可用功能")) == 1
    assert not texts_of(user, texts.INTERNAL_ERROR)


async def test_reply_that_fails_twice_gets_an_apology_and_the_bot_keeps_running(rig: Rig) -> None:
    user = await officer(rig)
    outage = rig.server.faults.add("sendMessage", "5xx", status=502, times=2, match=to_chat(user.id))
    await user.send("/help")
    await user.expect(texts.REPLY_NOT_DELIVERED)  # the reply failed twice: the person is told what to do
    assert outage.hits == 2 and not texts_of(user, "可用功能")
    await help_answer(rig, user)  # the next message is answered normally


async def test_reply_during_a_long_outage_is_dropped_quietly_and_the_bot_keeps_running(rig: Rig) -> None:
    user = await officer(rig)
    outage = rig.server.faults.add("sendMessage", "5xx", status=502, times=100, match=to_chat(user.id))
    await user.send("/help")
    await wait_for_hits(outage, 4)  # the reply and its one retry, the apology and its one retry
    await user.assert_silent(within=1.0)
    assert outage.hits == 4
    rig.server.faults.clear()
    await help_answer(rig, user)
    assert rig.app.running


async def wait_for_hits(plan: FaultPlan, hits: int, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while plan.hits < hits:
        assert asyncio.get_running_loop().time() < deadline, f"{plan}: expected {hits} hits"
        await asyncio.sleep(0.05)


async def test_button_press_whose_answers_fail_once_still_works(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(81))
    next_step = await user.expect("已收到 1 张照片")
    rig.server.faults.add("answerCallbackQuery", "5xx", status=502)
    rig.server.faults.add("sendMessage", "drop", match=to_chat(user.id))
    await user.press("下一步", message=next_step)
    await user.expect("请简要描述")
    assert not texts_of(user, texts.INTERNAL_ERROR)
    draft = await rig.draft_of(user)
    assert draft is not None and draft.step.value == "description"


async def test_submit_whose_confirmation_is_lost_keeps_the_hazard_once(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    summary = await walk_to_summary(user, photo=png(85))
    lost = rig.server.faults.add("sendMessage", "5xx", status=502, times=2, match=to_chat(user.id))
    await user.press("提交", message=summary)
    await user.expect(texts.REPLY_NOT_DELIVERED)  # not told to start over: the report is saved
    assert lost.hits == 2 and not texts_of(user, "已登记")
    assert await rig.rows("SELECT id, status FROM hazards") == [(1, "reported")]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
    await supervisor.expect("【新隐患·待交办】#1")
    assert summary.buttons == []  # taken away: it cannot be pressed a second time
    await user.send("/mine")
    await user.expect("#1")
    assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(1,)]


# ---- permanent failures ------------------------------------------------------------------------------------


async def test_submit_whose_supervisor_blocked_the_bot_keeps_the_hazard(rig: Rig) -> None:
    blocked = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    other = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    blocked.blocked = True
    seen_before = len(blocked.inbox)
    user = await officer(rig)
    photo = png(91)
    number = await submit(user, await walk_to_summary(user, photo=photo))
    assert await rig.rows("SELECT id, status FROM hazards") == [(number, "reported")]
    assert await rig.rows("SELECT sha256 FROM hazard_photos") == [(sha(photo),)]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
    await other.expect(f"【新隐患·待交办】#{number}")
    await other.expect("【无法送达】肖浩（镇安监员）")  # the town's other supervisor is told
    await wait_for(rig, "SELECT DISTINCT status FROM outbox ORDER BY status", [("failed",), ("sent",)])
    (status, error), *_ = await outbox_of(rig, "肖浩")
    assert status == "failed" and "blocked" in error
    assert len(blocked.inbox) == seen_before
    await user.send("/mine")
    await user.expect(f"#{number}")
