"""End to end: a photo sent "as a file" (a JPG/PNG document) is shown as a photo wherever GridSafe shows it again.

Telegram refuses a document's file_id in sendPhoto (`Can't use file of type document as photo`), and so does the
loopback Bot API: every place that re-sends a stored photo is driven here and must show the very bytes received.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.domain.people import Role
from sandbox.apirules import ApiCall, Upload
from sandbox.botapi import BotApiServer
from sandbox.simusers import BotMessage, SimUser
from storage.database import Database
from storage.migrations import available, migrate
from tests.flows import assign, new_report_photos, officer, sha, submit, wait_for
from tests.rig import JPEG, Rig, png


async def report_with_file(user: SimUser, data: bytes, file_name: str, *, severity: str = "一般隐患") -> int:
    """An officer sends the photo as a file (to keep its full quality), then answers every question."""
    await user.send_document(
        data, file_name=file_name, mime_type="image/jpeg" if file_name.endswith("jpg") else "image/png"
    )
    await user.press("下一步", message=await new_report_photos(user, "已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("配电箱门损坏，线路裸露")
    await user.press("用电用气", message=await user.expect("请选择隐患类别"))
    await user.press(severity, message=await user.expect("请选择隐患等级"))
    await user.expect("场所")
    await user.send("村口小卖部")
    await user.expect("发送当前位置")
    await user.send("跳过")
    await user.expect("已跳过位置")
    return await submit(user, await user.expect("请核对隐患信息"))


def photos_shown(rig: Rig, user: SimUser, since: int = 0) -> list[bytes]:
    """The bytes of every photo the bot showed this person (single photos and album items), in order."""
    return [rig.server.file_bytes(m.photo[-1]) for m in user.inbox[since:] if m.photo]


def uploads(calls: list[ApiCall]) -> int:
    """How many files the bot uploaded (rather than naming a file_id) in these calls."""
    return sum(isinstance(value, Upload) for call in calls for value in call.params.values())


async def show(user: SimUser, number: int) -> BotMessage:
    """/hazard N, and the card it answers with (the photos come before it)."""
    seen = len(user.inbox)
    await user.send(f"/hazard {number}")
    await user.wait_until(lambda: any(m.text for m in user.inbox[seen:]), what="the answer to /hazard")
    return next(m for m in user.inbox[seen:] if m.text)


async def test_photo_sent_as_a_file_reaches_every_card_alert_album_and_detail(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    admin = await rig.join(Role.ADMIN, name="杜浩")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await report_with_file(reporter, JPEG, "现场.jpg", severity="重大隐患")

    card = await boss.expect(f"【新隐患·待交办】#{number}")  # the supervisors' card, with 交办
    assert card.buttons == ["交办", "不属实", "重复"]
    assert photos_shown(rig, boss) == [JPEG]
    await admin.expect(f"【重大隐患报警】#{number}")  # the admins' alert
    assert photos_shown(rig, admin) == [JPEG]

    await assign(boss, number, "张老板", days="30天", card=card)
    owner_card = await owner.expect("【整改通知】")  # the owner's card
    assert photos_shown(rig, owner) == [JPEG]

    after = png(77)
    await owner.press("提交整改", message=owner_card)
    await owner.expect("请发送整改后的照片")
    await owner.send_document(after, file_name="整改后.png", mime_type="image/png")  # the after-photo as a file too
    await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("已更换配电箱门")
    await owner.expect("整改已提交")
    seen = len(boss.inbox)
    await boss.expect("【整改待复核】")  # the review album: before and after
    assert photos_shown(rig, boss, seen) == [JPEG, after]

    for user in (boss, admin, owner, reporter):  # /hazard N, for everyone who may see it
        seen = len(user.inbox)
        detail = await show(user, number)
        assert detail.body.startswith(f"隐患 #{number}")
        assert photos_shown(rig, user, seen) == [JPEG, after]

    # Everything went out; the only failure is the supervisor who has not joined.
    await wait_for(
        rig,
        "SELECT DISTINCT p.name, o.status FROM outbox o JOIN people p ON p.id = o.person_id"
        " WHERE o.status != 'sent' ORDER BY p.name",
        [("吕丽霞", "failed")],
    )
    # Each file was uploaded once: Telegram's photo file_id is kept and reused from then on.
    assert uploads(rig.server.calls_to("sendPhoto") + rig.server.calls_to("sendMediaGroup")) == 2
    assert await rig.rows("SELECT sha256 FROM telegram_photo_ids ORDER BY sha256") == sorted(
        [(sha(JPEG),), (sha(after),)]
    )


async def test_view_button_of_a_reminder_shows_a_photo_sent_as_a_file(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    reporter = await officer(rig)
    photo = png(78)
    number = await report_with_file(reporter, photo, "现场.png")
    card = await boss.expect(f"#{number}")
    await assign(boss, number, "王五金", days="3天", named="new", card=card)
    await rig.tick(rig.clock.now() + timedelta(days=5), step=timedelta(hours=6))  # a day past the deadline
    yellow = await boss.expect("【黄牌·已逾期】")
    seen = len(boss.inbox)
    await boss.press("查看详情", message=yellow)
    await boss.expect(f"隐患 #{number}")
    assert photos_shown(rig, boss, seen) == [photo]


async def test_a_stored_photo_whose_kept_file_id_telegram_no_longer_knows_is_uploaded_again(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    reporter = await officer(rig)
    photo = png(79)
    await reporter.send_photo(photo)  # sent as a photo: its file_id is kept
    await reporter.press("下一步", message=await reporter.expect("已收到 1 张照片"))
    await reporter.send("配电箱门损坏")
    await reporter.press("用电用气", message=await reporter.expect("请选择隐患类别"))
    await reporter.press("一般隐患", message=await reporter.expect("请选择隐患等级"))
    await reporter.expect("场所")
    await reporter.send("村口小卖部")
    await reporter.send("跳过")
    number = await submit(reporter, await reporter.expect("请核对隐患信息"))
    await boss.expect(f"#{number}")
    rig.server.files.by_id.clear()  # e.g. the bot's token was replaced: Telegram knows none of the old file_ids
    seen = len(boss.inbox)
    await show(boss, number)
    assert photos_shown(rig, boss, seen) == [photo]


async def test_a_permanent_failure_that_is_not_a_blocked_bot_is_an_error_and_the_admins_hear_of_it(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    admin = await rig.join(Role.ADMIN, name="杜浩")
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    refused = rig.server.faults.add(
        "sendMessage", "error", status=400, times=2, match=lambda params: params.get("chat_id") == boss.id
    )
    reporter = await officer(rig)
    with caplog.at_level(logging.ERROR):
        first = await report_with_file(reporter, JPEG, "现场.jpg")
        alert = await admin.expect("【通知发送失败】")
        second = await report_with_file(reporter, png(80), "二.png")
        await wait_for(
            rig,
            "SELECT COUNT(*) FROM outbox o JOIN people p ON p.id = o.person_id"
            " WHERE p.name = '肖浩' AND o.status = 'failed'",
            [(2,)],
        )
    assert refused.hits == 2
    assert "肖浩" in alert.body and "Injected fault" in alert.body
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and "failed for good" in r.getMessage()]
    assert len(failures) == 2
    # The same failure again the same day is in the log, not another message to every admin.
    await rig.drain()
    assert len([m for m in admin.inbox if "【通知发送失败】" in (m.text or "")]) == 1
    assert first != second


async def test_the_loopback_bot_api_refuses_a_documents_file_id_as_a_photo_as_telegram_does() -> None:
    async with BotApiServer() as server:
        user = server.user(1001, "信息员")
        sent = await user.send_document(JPEG, file_name="现场.jpg", mime_type="image/jpeg")
        async with Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url) as bot:
            with pytest.raises(BadRequest, match="Can't use file of type document as photo"):
                await bot.send_photo(user.id, sent["document"]["file_id"])
            uploaded = await bot.send_photo(user.id, JPEG)  # the bytes themselves are a photo
            again = await bot.send_photo(user.id, uploaded.photo[-1].file_id)
        assert server.file_bytes(again.photo[-1].file_id) == JPEG


async def test_upgrade_keeps_photo_file_ids_and_points_waiting_notifications_at_stored_photos(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "g.db")
    try:
        ours = next(m.version for m in available() if m.name == "delivery")
        await migrate(db, [m for m in available() if m.version < ours])
        async with db.transaction() as tx:
            for statement in (
                "INSERT INTO towns VALUES (1, '青龙镇')",
                "INSERT INTO villages VALUES (1, 1, '新龙村')",
                "INSERT INTO people (id, name, role, town_id, village_id, phone, created_at, updated_at)"
                " VALUES (1, '曾英海', 'officer', 1, 1, NULL, 't', 't')",
                "INSERT INTO hazards (id, town_id, village_id, reporter_id, description, category, severity, place,"
                " status, reported_at, updated_at) VALUES (1, 1, 1, 1, 'd', '消防', 'general', 'p', 'reported', 't', 't')",
                "INSERT INTO hazard_photos (hazard_id, stage, position, sha256, extension, file_id, file_unique_id,"
                f" width, height, size, added_at) VALUES (1, 'before', 1, '{'a' * 64}', 'jpg', 'PHO1', 'u1', 800, 600,"
                f" 9, 't'), (1, 'before', 2, '{'b' * 64}', 'png', 'DOC2', 'u2', 0, 0, 9, 't')",
            ):
                await tx.execute(statement)
            payload = json.dumps({"text": "【新隐患·待交办】#1", "photos": ["PHO1", "DOC2", "OTHER"]})
            await tx.execute(
                "INSERT INTO outbox (dedupe_key, person_id, payload, not_before, created_at) VALUES ('k', 1, ?, 't', 't')",
                (payload,),
            )
        await migrate(db)
        ids = await db.fetch_all("SELECT sha256, file_id FROM telegram_photo_ids")
        assert [tuple(row) for row in ids] == [("a" * 64, "PHO1")]  # the file's document id is no photo id
        row = await db.fetch_one("SELECT payload FROM outbox")
        assert row is not None
        assert json.loads(row[0])["photos"] == [f"{'a' * 64}.jpg", f"{'b' * 64}.png", "OTHER"]
    finally:
        await db.close()
