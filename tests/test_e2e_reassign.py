"""End to end: 改派, another owner for an assigned hazard, with a reason on the timeline (issue 13, item 11)."""

from __future__ import annotations

import re
from datetime import timedelta

from bot import texts
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from sandbox.simusers import BotMessage, SimUser
from tests.flows import REPORTER, answer_to, assign, officer, rectify, reported, supervisor, wait_for
from tests.rig import Rig


async def person_id(rig: Rig, name: str) -> int:
    rows = await rig.rows("SELECT id FROM people WHERE name = ?", (name,))
    assert len(rows) == 1, rows
    return int(rows[0][0])


async def card_of(user: SimUser, number: int) -> BotMessage:
    await user.send(f"/hazard {number}")
    return await user.expect(f"隐患 #{number} ·")


async def test_supervisor_reassigns_to_another_owner_keeping_the_deadline(rig: Rig) -> None:
    boss = await supervisor(rig)
    old_owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    new_owner = await rig.join(Role.OWNER, village="新龙村", name="李老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板")
    old_card = await old_owner.expect("【整改通知】")
    stale_submit = old_card.button_data("提交整改")
    where = f"chat_id = {old_owner.chat_id} AND message_key = '{old_card.message_id}'"
    await wait_for(rig, f"SELECT has_buttons FROM card_messages WHERE {where}", [(1,)])
    await reporter.expect("已交办给 张老板")

    card = await card_of(boss, number)
    assert "改派" in card.buttons
    await boss.press("改派", message=card)
    question = await boss.expect(texts.ASK_REASSIGN_OWNER)
    assert "张老板" not in question.buttons and "李老板" in question.buttons  # the same way of picking an owner
    await boss.press("李老板", message=question)
    await boss.expect(texts.ASK_REASON[Move.REASSIGN])
    await boss.send("原责任人登记错误，场所实际经营者为李老板")
    deadline_question = await boss.expect("原整改期限：2026-11-30（还有 7 天）")
    await boss.press("保持原期限（11月30日）", message=deadline_question)
    await boss.expect(f"已将隐患 #{number} 改派给 李老板，期限 2026-11-30（周一，还有 7 天）")

    # The database: another owner, the same deadline and state, and an event naming both owners and the reason.
    old_id, new_id = await person_id(rig, "张老板"), await person_id(rig, "李老板")
    assert await rig.rows("SELECT status, owner_id, deadline FROM hazards WHERE id = ?", (number,)) == [
        ("assigned", new_id, "2026-11-30")
    ]
    event = await rig.rows(
        "SELECT e.kind, p.name, e.from_owner_id, e.to_owner_id, e.note, e.from_status, e.to_status"
        " FROM hazard_events e JOIN people p ON p.id = e.actor_id WHERE e.hazard_id = ? ORDER BY e.id DESC LIMIT 1",
        (number,),
    )
    assert event == [
        ("reassign", "肖浩", old_id, new_id, "原责任人登记错误，场所实际经营者为李老板", "assigned", "assigned")
    ]

    # Who is told: the new owner gets the owner card with 提交整改, the old owner that it is no longer theirs, the
    # reporter as for every move.
    new_card = await new_owner.expect("【改派·整改通知】")
    assert new_card.buttons == ["提交整改"] and "2026-11-30" in new_card.body
    told = await old_owner.expect("已由镇安监员改派给其他责任人")
    assert "李老板" not in told.body
    await reporter.expect(f"您上报的隐患 #{number}（幸福超市）已改派给 李老板，整改期限 2026-11-30")

    # The timeline shows who replaced whom, and why.
    timeline = (await card_of(boss, number)).body
    assert "肖浩 改派 张老板 → 李老板：原责任人登记错误" in timeline
    assert "责任人：李老板" in timeline

    # The old owner's card loses its 提交整改 (its text stays: nothing of who has it now is shown); the old button,
    # pressed anyway, answers plainly; the hazard is no longer in their 我的 nor shown to them.
    if old_card.buttons:
        await old_owner.next_edit(old_card)
    assert old_card.buttons == [] and "李老板" not in old_card.body and old_card.history[-1].body == old_card.body
    await old_owner.press_data(stale_submit, old_card)
    assert (await old_owner.next_callback_answer())["text"] == texts.no_longer_owner(number)
    await old_owner.send("/mine")
    await old_owner.expect(texts.MINE_EMPTY_OWNER)
    await old_owner.send(f"/hazard {number}")
    await old_owner.expect(texts.no_longer_owner(number))
    assert await rig.rows("SELECT COUNT(*) FROM hazard_conversations") == [(0,)]

    # The new owner rectifies as usual.
    await rectify(new_owner, number, card=new_card)
    assert await rig.rows("SELECT status FROM hazards WHERE id = ?", (number,)) == [("submitted",)]


async def test_admin_reassigns_an_overdue_hazard_to_a_new_owner_with_a_new_deadline(rig: Rig) -> None:
    boss = await supervisor(rig)
    admin = await rig.join(Role.ADMIN, name="值班员")
    old_owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板", days="3天")
    await old_owner.expect("【整改通知】")
    rig.clock.set(rig.clock.now() + timedelta(days=5))  # two days overdue

    card = await card_of(admin, number)
    assert "已逾期 2 天" in card.body
    await admin.press("改派", message=card)
    await admin.send("王五金 13800001111")  # typed, as in 交办
    await admin.expect("请说明改派的原因")
    await admin.send("张老板已搬离，场所由王五金经营")
    await admin.send("12月10日")
    await admin.press("确认", message=await admin.expect("期限：12月10日（周四）"))
    await admin.expect(f"已将隐患 #{number} 改派给 王五金，期限 2026-12-10")
    invite = await admin.expect("邀请链接")  # the new owner is not on Telegram yet
    assert re.search(r"start=[A-Za-z0-9_-]+", invite.body)

    new_id = await person_id(rig, "王五金")
    assert await rig.rows("SELECT status, owner_id, deadline FROM hazards WHERE id = ?", (number,)) == [
        ("assigned", new_id, "2026-12-10")
    ]
    assert await rig.rows("SELECT role, phone FROM people WHERE id = ?", (new_id,)) == [("owner", "13800001111")]
    proxy = await reporter.expect("【请代为转告整改】")  # until 王五金 binds, the officer passes it on
    assert "王五金（未使用 Telegram）" in proxy.body and proxy.buttons == ["代为提交整改"]
    await old_owner.expect("已由镇安监员改派给其他责任人")
    events = await rig.rows("SELECT kind, actor_id FROM hazard_events WHERE hazard_id = ? ORDER BY id", (number,))
    assert [kind for kind, _ in events] == ["reported", "assign", "reassign"]
    assert events[-1][1] == await person_id(rig, "值班员")


async def test_reassign_refuses_the_same_owner_and_forged_presses(rig: Rig) -> None:
    boss = await supervisor(rig)
    outsider = await rig.join(Role.SUPERVISOR, town="白石镇")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板")
    owner_card = await owner.expect("【整改通知】")
    before = await rig.rows("SELECT * FROM hazards"), await rig.rows("SELECT * FROM hazard_events")

    # An officer (the reporter) and the owner forging 改派 are refused; another town's supervisor learns nothing.
    assert await answer_to(reporter, f"hz:{number}:reassign", owner_card) == texts.NOT_ALLOWED
    assert await answer_to(owner, f"hz:{number}:reassign", owner_card) == texts.NOT_ALLOWED
    assert await answer_to(outsider, f"hz:{number}:reassign", owner_card) == texts.hazard_not_found(number)
    for user in (reporter, owner):
        assert "改派" not in (await card_of(user, number)).buttons

    # Typing the owner the hazard already has is answered, and the question stays.
    await boss.press("改派", message=await card_of(boss, number))
    await boss.expect(texts.ASK_REASSIGN_OWNER)
    await boss.send("张老板")
    await boss.expect(texts.SAME_OWNER)
    await boss.send("/cancel")
    await boss.expect(texts.ACTION_CANCELLED)
    assert (await rig.rows("SELECT * FROM hazards"), await rig.rows("SELECT * FROM hazard_events")) == before
    assert all(REPORTER not in m.body for m in owner.inbox)
