"""Joining shows what is waiting: an owner their tasks with 提交整改, a supervisor the town's queue, an officer their
open reports; the officer who stood in for an owner hears that the owner joined, and their old button says so."""

from __future__ import annotations

import re

from bot import texts
from bot.domain.people import Role
from sandbox.simusers import BotMessage, SimUser
from tests.flows import REPORTER, officer, rectify, submit, walk_to_summary
from tests.rig import Rig, png


async def reported(user: SimUser, seed: int, place: str) -> int:
    return await submit(user, await walk_to_summary(user, photo=png(seed), place=place))


async def assign_to_new_owner(boss: SimUser, number: int, owner: str, days: str) -> str:
    """交办 to an owner typed by name (not on Telegram yet); the invite code the supervisor gets to forward."""
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    question = await boss.expect("请选择责任人")
    if owner in question.buttons:
        await boss.press(owner, message=question)
    else:
        await boss.send(owner)
    await boss.press(days, message=await boss.expect("请选择整改期限"))
    await boss.expect(f"已将隐患 #{number} 交办给 {owner}")
    invite = await boss.expect("邀请链接")
    code = re.search(r"start=([A-Za-z0-9_-]+)", invite.body)
    assert code is not None
    return code.group(1)


async def answer_to(user: SimUser, data: str, message: BotMessage) -> str | None:
    """Press a button and return the answer to that press."""
    seen = len(user.callback_answers)
    await user.press_data(data, message)
    await user.wait_until(lambda: len(user.callback_answers) > seen, what="a callback answer")
    text = user.callback_answers[seen].get("text")
    return str(text) if text is not None else None


async def test_a_new_owner_is_shown_their_tasks_with_the_button_nearest_deadline_first(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    reporter = await officer(rig)
    later = await reported(reporter, 1, "幸福超市")
    sooner = await reported(reporter, 2, "老街加油点")
    await assign_to_new_owner(boss, later, "王五金", "15天")
    code = await assign_to_new_owner(boss, sooner, "王五金", "3天")

    owner = rig.stranger("王五金")
    await owner.send(f"/start {code}")
    await owner.expect("绑定成功")
    tasks = await owner.next_message()
    assert tasks.text is not None and tasks.text.index(f"#{sooner} ") < tasks.text.index(f"#{later} ")
    first, second = await owner.next_message(), await owner.next_message()
    assert first.text is not None and first.text.startswith(f"【整改通知】隐患 #{sooner}")
    assert second.text is not None and second.text.startswith(f"【整改通知】隐患 #{later}")
    assert first.button_data(f"提交整改 #{sooner}") == f"hz:{sooner}:submit"
    assert REPORTER not in tasks.text + first.text + second.text  # an owner never learns who reported

    await owner.press(f"提交整改 #{sooner}", message=first)
    await owner.expect(texts.ASK_RECTIFY_PHOTOS)
    await owner.send_photo(png(90))
    await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("油桶已移走")
    await owner.expect("整改已提交")
    events = await rig.rows(
        "SELECT e.kind, p.name FROM hazard_events e JOIN people p ON p.id = e.actor_id WHERE e.hazard_id = ?"
        " ORDER BY e.id",
        (sooner,),
    )
    assert events[-1] == ("submit", "王五金")
    assert await rig.rows("SELECT status FROM hazards ORDER BY id") == [("assigned",), ("submitted",)]


async def test_mine_gives_an_owner_the_buttons(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter, 1, "幸福超市")
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.press("张老板", message=await boss.expect("请选择责任人"))
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    await owner.expect("【整改通知】")
    for asking in ("/mine", "我的"):
        await owner.send(asking)
        mine = await owner.expect("需要我整改的隐患")
        assert mine.button_data(f"提交整改 #{number}") == f"hz:{number}:submit"
    for unclear in ("我要干什么", "整改"):  # an owner who does not know the words is shown the task all the same
        await owner.send(unclear)
        assert (await owner.next_message()).text == texts.UNKNOWN_MESSAGE_OWNER
        tasks = await owner.next_message()
        assert tasks.button_data(f"提交整改 #{number}") == f"hz:{number}:submit"
    await owner.press(f"提交整改 #{number}", message=mine)
    await owner.expect(texts.ASK_RECTIFY_PHOTOS)
    owner_id = (await rig.rows("SELECT id FROM people WHERE name = '张老板'"))[0][0]
    assert await rig.rows("SELECT person_id, hazard_id FROM hazard_conversations") == [(owner_id, number)]


async def test_the_officer_standing_in_hears_the_owner_joined_and_the_old_button_says_so(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    reporter = await officer(rig)
    number = await reported(reporter, 1, "幸福超市")
    code = await assign_to_new_owner(boss, number, "李师傅", "7天")
    proxy_card = await reporter.expect("【请代为转告整改】")
    assert proxy_card.buttons == [texts.BUTTON_PROXY]

    owner = rig.stranger("李师傅")
    await owner.send(f"/start {code}")
    await owner.expect("绑定成功")
    joined = await reporter.expect("责任人 李师傅 已开始使用本平台")
    assert f"#{number}" in joined.body

    answer = await answer_to(reporter, proxy_card.button_data(texts.BUTTON_PROXY), proxy_card)
    assert answer == texts.OWNER_JOINED
    assert await rig.rows("SELECT COUNT(*) FROM hazard_conversations") == [(0,)]
    assert await rig.rows("SELECT status FROM hazards") == [("assigned",)]
    # The owner's own button works, and the officer who stood in hears when the owner has submitted.
    card = await owner.expect("【整改通知】")
    await rectify(owner, number, button=f"提交整改 #{number}", card=card)
    news = await reporter.expect("已提交整改")
    assert news.body == f"您上报的隐患 #{number}（幸福超市）：责任人 李师傅 已提交整改，等待镇安监员复核。"
    assert await rig.rows("SELECT status FROM hazards") == [("submitted",)]
    submitted = (
        "SELECT e.kind, p.name FROM hazard_events e JOIN people p ON p.id = e.actor_id ORDER BY e.id DESC LIMIT 1"
    )
    assert await rig.rows(submitted) == [("submit", "李师傅")]


async def test_a_supervisor_joining_is_shown_what_waits_for_assign_and_review(rig: Rig) -> None:
    reporter = await officer(rig)
    to_assign = await reported(reporter, 1, "幸福超市")
    summary = await walk_to_summary(reporter, photo=png(2), place="村委会旁加油点")
    await reporter.press("即查即改", message=summary)
    await reporter.expect("请发送当场整改后的照片")
    await reporter.send_photo(png(3))
    await reporter.press("下一步", message=await reporter.expect("已收到 1 张整改后照片"))
    await reporter.press("跳过", message=await reporter.expect("请简要说明当场是怎么整改的"))
    to_review = await submit(reporter, await reporter.expect("请核对隐患信息"))

    boss = rig.stranger("肖浩")
    await boss.send(f"/start {await rig.invite(Role.SUPERVISOR, town='青龙镇', name='肖浩')}")
    await boss.expect("绑定成功")
    waiting = await boss.expect("本镇目前有 1 条隐患待交办，1 条整改待复核")
    assert waiting.button_data(f"交办 #{to_assign}") == f"hz:{to_assign}:view"
    await boss.press(f"复核 #{to_review}", message=waiting)
    card = await boss.expect(f"隐患 #{to_review} ")
    assert set(card.buttons) == {"复核通过", "不通过"}
    await boss.press("复核通过", message=card)
    await boss.expect(f"隐患 #{to_review} 复核通过，已销号")
    assert await rig.rows("SELECT id, status FROM hazards ORDER BY id") == [
        (to_assign, "reported"),
        (to_review, "closed"),
    ]


async def test_an_officer_joining_is_shown_their_open_reports(rig: Rig) -> None:
    old_phone = await officer(rig)
    number = await reported(old_phone, 1, "幸福超市")
    new_phone = rig.stranger("曾英海")
    await new_phone.send(f"/start {await rig.invite(Role.OFFICER, village='新龙村', reason='换了手机')}")
    await new_phone.expect("已为您更换绑定的 Telegram 账号")
    waiting = await new_phone.expect("您上报的隐患中还有 1 条没有销号")
    assert f"#{number} 幸福超市 · 待交办" in waiting.body
    await new_phone.press(f"查看详情 #{number}", message=waiting)
    card = await new_phone.expect(f"隐患 #{number} ")
    assert "幸福超市" in card.body


async def test_nothing_waiting_means_only_the_welcome(rig: Rig) -> None:
    user = rig.stranger("张老板")
    await user.send(f"/start {await rig.invite(Role.OWNER, village='新龙村', name='张老板')}")
    await user.expect("绑定成功")
    await user.send("/help")
    assert (await user.next_message()).text is not None
    assert len(user.inbox) == 2
