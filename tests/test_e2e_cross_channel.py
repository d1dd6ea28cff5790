"""End to end across channels: the whole loop 上报 → 交办 → 整改 → 复核 with some people on WeCom and the others on
Telegram, each acting in their own app on what the outbox brought them; both chats and the database are checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.chat.actions import HazardPress, decode
from bot.clock import FakeClock
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from sandbox.wecom import WeComMember
from tests.flows import assign, officer, rectify, reported, supervisor
from tests.rig import png
from tests.wecom_rig import WeComRig, running_wecom_bot

LOOP = [
    ("reported", None, "reported"),
    ("assign", "reported", "assigned"),
    ("submit", "assigned", "submitted"),
    ("verify", "submitted", "closed"),
]


@pytest.fixture
async def world(tmp_path: Path, clock: FakeClock) -> AsyncIterator[WeComRig]:
    async with running_wecom_bot(tmp_path, clock) as running:
        yield running


async def report_on_wecom(officer: WeComMember) -> int:
    await officer.send_image(png(7))
    await officer.press("下一步", await officer.expect("已收到 1 张照片"))
    await officer.expect("请简要描述")
    await officer.send("超市后门消防通道堆放纸箱")
    await officer.expect("请选择隐患类别")
    await officer.press("消防")
    await officer.expect("请选择隐患等级")
    await officer.press("一般隐患")
    await officer.expect("场所")
    await officer.send("幸福超市")
    await officer.expect("发送当前位置")
    await officer.send("跳过")
    await officer.press("提交", await officer.expect("请核对隐患信息"))
    registered = await officer.expect("已登记")
    return int(registered.text.split("#")[1].split(" ")[0])


async def test_officer_and_owner_on_wecom_supervisor_on_telegram(world: WeComRig, tmp_path: Path) -> None:
    rig, wecom = world.rig, world.wecom
    await world.import_roster(
        tmp_path,
        [
            ["青龙镇", "新龙村", "曾英海", "信息员", "", "zengyinghai"],
            ["青龙镇", "新龙村", "王老板", "责任人", "", "wanglaoban"],
        ],
    )
    reporter, owner = world.member("zengyinghai"), world.member("wanglaoban")
    boss = await supervisor(rig)  # on Telegram

    number = await report_on_wecom(reporter)  # 上报 on WeCom
    card = await boss.expect(f"【新隐患·待交办】#{number}")  # the supervisor's card, on Telegram
    assert card.buttons == ["交办", "不属实", "重复"]
    await assign(boss, number, "王老板", card=card)  # 交办 on Telegram
    await reporter.expect(f"您上报的隐患 #{number}（幸福超市）已交办给 王老板")  # the officer hears on WeCom

    task = await owner.expect(f"【整改通知】隐患 #{number}")  # the owner's card, on WeCom
    assert task.msgtype == "template_card" and list(task.buttons) == ["提交整改"]
    assert decode(task.buttons["提交整改"]) == HazardPress(number, Move.SUBMIT)
    await owner.press("提交整改", task)  # 整改 on WeCom
    await owner.expect("请发送整改后的照片")
    await owner.send_image(png(90))
    await owner.press("下一步", await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("纸箱已清走，通道畅通")
    await owner.expect("整改已提交")

    review = await boss.expect("【整改待复核】")  # back on Telegram
    assert "整改说明：纸箱已清走，通道畅通" in review.body
    await boss.press("复核通过", message=review)  # 复核 on Telegram
    await boss.expect(f"隐患 #{number} 复核通过，已销号")
    await owner.expect("已复核通过，销号")
    await reporter.expect("已复核通过，销号")

    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]
    assert await rig.rows("SELECT kind, from_status, to_status FROM hazard_events ORDER BY id") == LOOP
    await rig.drain()  # the last notifications (销号) are confirmed
    channels = await rig.rows(
        "SELECT DISTINCT p.name, o.channel, o.status FROM outbox o JOIN people p ON p.id = o.person_id"
        " WHERE p.name IN ('曾英海', '王老板', '肖浩') ORDER BY p.name"
    )
    assert channels == [("曾英海", "wecom", "sent"), ("王老板", "wecom", "sent"), ("肖浩", "telegram", "sent")]
    assert wecom.dropped == []


async def test_officer_and_owner_on_telegram_supervisor_on_wecom(world: WeComRig, tmp_path: Path) -> None:
    rig, wecom = world.rig, world.wecom
    await world.import_roster(tmp_path, [["青龙镇", "", "肖浩", "镇安监员", "", "xiaohao"]])
    boss = world.member("xiaohao")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")  # on Telegram
    reporter = await officer(rig)  # on Telegram

    number = await reported(reporter)  # 上报 on Telegram
    new = await boss.expect(f"【新隐患·待交办】#{number}")  # on WeCom: the photo, the text, then the card
    assert new.msgtype == "text"
    triage = await boss.next_message()
    assert [decode(key) for key in triage.buttons.values()] == [
        HazardPress(number, move) for move in (Move.ASSIGN, Move.INVALID, Move.DUPLICATE)
    ]
    await boss.press("交办", triage)  # 交办 on WeCom
    await boss.press("张老板", await boss.expect("请选择责任人"))
    await boss.press("7天（默认）", await boss.expect("请选择整改期限"))
    done = await boss.expect(f"已将隐患 #{number} 交办给")
    assert "张老板" in done.text
    await reporter.expect("已交办给 张老板")  # the officer hears on Telegram

    await rectify(owner, number, card=await owner.expect("【整改通知】"))  # 整改 on Telegram

    review = await boss.expect("【整改待复核】")  # back on WeCom: the photos, the text, then the card
    assert "整改说明：纸箱已清走，通道畅通" in review.text
    verdict = await boss.next_message()
    assert [decode(key) for key in verdict.buttons.values()] == [
        HazardPress(number, Move.VERIFY),
        HazardPress(number, Move.REJECT),
    ]
    await boss.press("复核通过", verdict)  # 复核 on WeCom
    await boss.expect(f"隐患 #{number} 复核通过，已销号")
    await owner.expect("已复核通过，销号")
    await reporter.expect("已复核通过，销号")

    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]
    assert await rig.rows("SELECT kind, from_status, to_status FROM hazard_events ORDER BY id") == LOOP
    await rig.drain()  # the last notifications (销号) are confirmed
    channels = await rig.rows(
        "SELECT DISTINCT p.name, o.channel, o.status FROM outbox o JOIN people p ON p.id = o.person_id"
        " WHERE p.name IN ('曾英海', '张老板', '肖浩') ORDER BY p.name"
    )
    assert channels == [("张老板", "telegram", "sent"), ("曾英海", "telegram", "sent"), ("肖浩", "wecom", "sent")]
    assert wecom.dropped == []
