"""End to end: what a move tells people (issue 16): the deadline of a rejected fix, the reasons, who may do what."""

from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.domain.people import Role
from sandbox.simusers import BotMessage, SimUser
from tests.flows import assign, officer, rectify, reported, submit, supervisor, walk_to_summary
from tests.rig import Rig, png


async def _reject(boss: SimUser, reason: str) -> BotMessage:
    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因（将转告责任人）")
    await boss.send(reason)
    return await boss.expect("原整改期限：")


async def test_a_rejected_fix_keeps_its_deadline_or_gets_a_term_from_the_time_left(rig: Rig) -> None:
    """不通过 offers 保持原期限 while the deadline is ahead, and proposes half the last term (at least 3 days) once it
    is near or passed, instead of the severity's term every time."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(await officer(rig))
    await assign(boss, number, "张老板")  # Monday 23 November, 7 days: 30 November
    await rectify(owner, number, seed=91)

    question = await _reject(boss, "通道仍有杂物")
    assert question.text == (
        "原整改期限：2026-11-30（还有 7 天）。建议点击「保持原期限」；如需调整，请选择整改期限，或直接输入日期，"
        "如 12月5日、20号、下周五、月底 或 一周："
    )
    assert question.buttons == ["保持原期限（11月30日）", "3天", "7天", "15天", "30天"]
    await boss.send("保持原期限（11月30日）")  # the button's label typed acts as the button (its date was explicit)
    await boss.expect(f"隐患 #{number} 复核不通过，已退回责任人，新期限 2026-11-30（周一，还有 7 天）。")
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-11-30")]

    rig.clock.set(rig.clock.now() + timedelta(days=6))  # Sunday 29 November: one day left of a 7-day term
    await rectify(owner, number, seed=92, card=await owner.expect("【整改复核未通过，请重新整改】"))
    question = await _reject(boss, "灭火器仍未更换")
    assert question.body.startswith("原整改期限：2026-11-30（还有 1 天）。请选择整改期限（建议 4 天）")
    assert question.buttons == ["保持原期限（11月30日）", "3天", "4天（默认）", "7天", "15天", "30天"]
    await boss.press("4天（默认）", message=question)
    await boss.expect("新期限 2026-12-03（周四，还有 4 天）")
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-12-03")]

    rig.clock.set(rig.clock.now() + timedelta(days=6))  # Saturday 5 December: the deadline has passed
    await rectify(owner, number, seed=93, card=await owner.expect("整改期限：2026-12-03"))
    question = await _reject(boss, "照片看不清")
    assert question.body.startswith("原整改期限：2026-12-03（已过期限 2 天）。请选择整改期限（建议 3 天）")
    assert question.buttons == ["3天（默认）", "7天", "15天", "30天"]  # nothing to keep
    await boss.press("3天（默认）", message=question)
    await boss.expect("新期限 2026-12-08")
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-12-08")]
    notes = await rig.rows("SELECT note FROM hazard_events WHERE kind = 'reject' ORDER BY id")
    assert notes == [("通道仍有杂物",), ("灭火器仍未更换",), ("照片看不清",)]


async def test_the_reason_a_supervisor_types_reaches_the_owner_and_the_reporter(rig: Rig) -> None:
    """不通过's reason ("将转告责任人") is in the owner's 【整改复核未通过】, the reporter's news, the owner's timeline and
    /mine, which never say who wrote it; 不属实 closes the officer's report with its reason."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板")
    await rectify(owner, number, seed=91)
    await boss.press("保持原期限（11月30日）", message=await _reject(boss, "消防通道仍堆有纸箱"))

    again = await owner.expect("【整改复核未通过，请重新整改】")
    assert again.body.split("\n")[4:6] == ["复核不通过原因：消防通道仍堆有纸箱", "整改期限：2026-11-30（还有 7 天）"]
    news = await reporter.expect("整改复核未通过")
    assert news.body == (
        f"您上报的隐患 #{number}（幸福超市）整改复核未通过，已退回整改，新期限 2026-11-30（还有 7 天）。\n"
        "复核不通过原因：消防通道仍堆有纸箱"
    )
    await owner.send(f"/hazard {number}")
    card = await owner.expect(f"隐患 #{number} ·")
    assert "复核不通过：消防通道仍堆有纸箱" in card.body and "提交整改：纸箱已清走，通道畅通" in card.body
    await owner.send("/mine")
    mine = await owner.expect("需要我整改的隐患")
    assert "\n　复核不通过原因：消防通道仍堆有纸箱" in mine.body
    for message in owner.inbox:  # why, never who
        assert "肖浩" not in message.body and "曾英海" not in message.body
    assert await rig.rows("SELECT kind, note FROM hazard_events WHERE kind = 'reject'") == [
        ("reject", "消防通道仍堆有纸箱")
    ]

    second = await reported(reporter, seed=2, place="老街加油站")
    await boss.press("不属实", message=await boss.expect(f"#{second}"))
    await boss.expect("请说明不属实的原因")
    await boss.send("现场核查无此情况")
    await boss.expect(f"已将隐患 #{second} 标记为不属实并关闭")
    closed = await reporter.expect("经核实不属实")
    assert closed.body == f"您上报的隐患 #{second}（老街加油站）经核实不属实，已关闭。\n不属实原因：现场核查无此情况"
    assert await rig.rows(f"SELECT status, closure FROM hazards WHERE id = {second}") == [("closed", "invalid")]


async def test_help_and_the_card_show_each_role_only_what_the_policy_lets_it_do(rig: Rig) -> None:
    """The officer's help names the weekly village check and 代为提交整改 only (no town check, no 交办 or 复核); their
    /hazard card offers 代为提交整改 while the owner is not on Telegram, and nothing once the owner has joined."""
    reporter = await officer(rig)
    await reporter.send("/help")
    lines = (await reporter.expect("可用功能")).body.split("\n")
    assert "/check（排查）— 查看或登记本周村排查，例如：排查 12 已查超市和加油站" in lines
    assert "/hazard 编号（隐患 编号，或直接发送 #编号）— 查看隐患详情、照片和进展；可代为提交整改" in lines
    assert not any(word in line for line in lines for word in ("镇排查", "交办", "复核"))
    boss = await supervisor(rig)
    await boss.send("/help")
    lines = (await boss.expect("可用功能")).body.split("\n")
    assert "/check（排查）— 查看或登记本月镇排查，例如：排查 12 已查超市和加油站" in lines
    assert (
        "/hazard 编号（隐患 编号，或直接发送 #编号）— 查看隐患详情、照片和进展；"
        "可交办、不属实、重复、复核通过、不通过、重新打开、改派"
    ) in lines
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    await owner.send("/help")
    lines = (await owner.expect("可用功能")).body.split("\n")
    assert "/hazard 编号（隐患 编号，或直接发送 #编号）— 查看隐患详情、照片和进展；可提交整改" in lines
    assert not any("/check" in line for line in lines)

    number = await reported(reporter)
    await assign(boss, number, "李师傅", named="typed")  # not on Telegram: the officer stands in
    await reporter.send(f"/hazard {number}")
    assert (await reporter.expect("进展：")).buttons == ["代为提交整改", "补充照片"]  # 补充照片: the reporter's own
    await assign(boss, second := await reported(reporter, seed=2), "张老板")
    await reporter.send(f"/hazard {second}")
    assert (await reporter.expect("进展：")).buttons == ["补充照片"]


async def test_the_admins_update_says_the_state_once_and_carries_the_reason(rig: Rig) -> None:
    """复核通过 already says 销号: the admins' line is "复核通过，销号", not "…：当前状态 已销号"; 不通过 (which may
    leave two states) names the state, and its reason."""
    boss = await supervisor(rig)
    admin = await rig.join(Role.ADMIN, name="市应急局")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(5), severity="重大隐患"))
    await assign(boss, number, "张老板", days="30天")
    assert (await admin.expect("【重大隐患进展】")).body.split("\n")[1] == "交办"
    await rectify(owner, number, seed=91)
    assert (await admin.expect("【重大隐患进展】")).body.split("\n")[1] == "提交整改"
    await boss.press("保持原期限（12月23日）", message=await _reject(boss, "配电箱未加锁"))
    lines = (await admin.expect("【重大隐患进展】")).body.split("\n")
    assert lines[1:3] == ["复核不通过：当前状态 整改中", "复核不通过原因：配电箱未加锁"]
    await rectify(owner, number, seed=92, card=await owner.expect("【整改复核未通过，请重新整改】"))
    await boss.press("复核通过", message=await boss.expect("【整改待复核】"))
    closed = await admin.expect("复核通过，销号")
    assert closed.body.split("\n")[1] == "复核通过，销号" and "当前状态" not in closed.body
    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]


async def test_the_officer_standing_in_for_an_owner_gets_the_reason_to_pass_on(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "李师傅", named="typed")  # not on Telegram
    await rectify(reporter, number, button="代为提交整改", card=await reporter.expect("【请代为转告整改】"))
    await boss.press("保持原期限（11月30日）", message=await _reject(boss, "插座仍未固定"))
    card = await reporter.expect("复核不通过原因：插座仍未固定")
    assert card.body.startswith(f"【请代为转告整改】隐患 #{number}\n") and card.buttons == ["代为提交整改"]
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-11-30")]


async def test_a_typed_deadline_confirmed_after_the_day_passed_is_asked_again(rig: Rig) -> None:
    """确认 pressed the next day for "今天" typed yesterday: refused as past, nothing saved, a new date is asked."""
    boss = await supervisor(rig)
    number = await reported(await officer(rig))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.send("赵六")
    await boss.expect("请选择整改期限")
    await boss.send("保持原期限")  # 交办 has no deadline to keep
    assert (await boss.next_message()).text == texts.DEADLINE_UNREADABLE
    await boss.send("今天")
    echo = await boss.expect("期限：11月23日（周一）")
    rig.clock.set(rig.clock.now() + timedelta(days=1))
    await boss.press("确认", message=echo)
    assert (await boss.next_message()).text == texts.DEADLINE_IN_PAST
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("reported", None)]
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE name = '赵六'") == [(0,)]
    await boss.send("月底")
    await boss.press("确认", message=await boss.expect("期限：11月30日（周一）"))
    await boss.expect(f"已将隐患 #{number} 交办给 赵六，期限 2026-11-30")
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-11-30")]
