"""End to end: 交办 → 整改 → 复核 → 销号, with every detour, as supervisors, owners and officers live it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import texts
from bot.domain.people import Role
from sandbox.simusers import SimUser
from tests.flows import REPORTER, answer_to, assign, officer, rectify, reported, submit, supervisor, walk_to_summary
from tests.rig import Rig, png


async def test_full_loop_report_assign_rectify_verify_close(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    done = await assign(boss, number, "张老板")
    assert "期限 2026-11-30（周一，还有 7 天）" in done.body

    card = await owner.expect("【整改通知】")
    assert f"隐患 #{number}" in card.body and "整改期限：2026-11-30（还有 7 天）" in card.body
    assert card.buttons == ["提交整改"]
    await reporter.expect("已交办给 张老板")
    await rectify(owner, number, card=card)

    review = await boss.expect("【整改待复核】")
    assert "整改说明：纸箱已清走，通道畅通" in review.body and "前 1 张为整改前，后 1 张为整改后" in review.body
    album = [m for m in boss.inbox if m.method == "sendMediaGroup"]
    assert len(album[-1].photo) >= 1 and len({m.media_group_id for m in album}) == 1
    await boss.press("复核通过", message=review)
    await boss.expect(f"隐患 #{number} 复核通过，已销号")
    await owner.expect("已复核通过，销号")
    await reporter.expect("已复核通过，销号")

    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]
    events = await rig.rows("SELECT kind, from_status, to_status FROM hazard_events ORDER BY id")
    assert events == [
        ("reported", None, "reported"),
        ("assign", "reported", "assigned"),
        ("submit", "assigned", "submitted"),
        ("verify", "submitted", "closed"),
    ]
    assert await rig.rows("SELECT stage, COUNT(*) FROM hazard_photos GROUP BY stage ORDER BY stage") == [
        ("after", 1),
        ("before", 1),
    ]
    for message in owner.inbox:
        assert REPORTER not in message.body  # the owner never learns who reported


async def test_new_owner_gets_an_invite_and_then_the_card(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await reported(reporter)
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.press("新责任人", message=await boss.expect("请选择责任人"))
    await boss.expect("请输入责任人姓名")
    await boss.send("王五金 13800001111")
    await boss.expect("请选择整改期限（默认 7 天）")
    await boss.send("12月5日")
    await boss.press("确认", message=await boss.expect("期限：12月5日（周六）"))
    await boss.expect(f"已将隐患 #{number} 交办给 王五金，期限 2026-12-05")
    invite = await boss.expect("邀请链接")
    code = re.search(r"start=([A-Za-z0-9_-]+)", invite.body)
    assert code is not None
    assert await rig.rows("SELECT name, role, phone FROM people WHERE name = '王五金'") == [
        ("王五金", "owner", "13800001111")
    ]
    proxy_card = await reporter.expect("【请代为转告整改】")  # until the owner binds, the officer is told
    assert "王五金（未使用 Telegram）" in proxy_card.body
    owner = rig.stranger("王五金")
    await owner.send(f"/start {code.group(1)}")
    await owner.expect("绑定成功")
    await owner.send("/mine")
    tasks = await owner.next_message()
    assert f"#{number} 幸福超市" in tasks.body and "2026-12-05" in tasks.body


async def test_deadlines_typed_as_people_say_them(rig: Rig) -> None:
    """下周五 typed at 交办: understood, echoed with the weekday and saved only on 确认; 重新输入 asks again, and nothing
    is saved before. The label of a day button typed at 不通过 is that button (no echo: it names no date to misread)."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.press("张老板", message=await boss.expect("请选择责任人"))
    await boss.expect("请选择整改期限")
    await boss.send("20号")  # typed on Monday 23 November: 20 December
    echo = await boss.next_message()
    assert echo.text == texts.confirm_deadline(date(2026, 12, 20), date(2026, 11, 23))
    assert echo.body.startswith("期限：12月20日（周日）\n") and echo.buttons == ["确认", "重新输入"]
    assert await rig.rows(f"SELECT status, deadline FROM hazards WHERE id = {number}") == [("reported", None)]
    await boss.press("重新输入", message=echo)
    await boss.expect("请选择整改期限")
    assert await rig.rows(f"SELECT status, deadline FROM hazards WHERE id = {number}") == [("reported", None)]
    await boss.send("下周五")  # Friday 4 December
    echo = await boss.next_message()
    assert echo.body.startswith("期限：12月4日（周五）\n")
    await boss.press("确认", message=echo)
    await boss.expect(f"已将隐患 #{number} 交办给 张老板，期限 2026-12-04（周五，还有 11 天）。")
    assert await rig.rows(f"SELECT deadline FROM hazards WHERE id = {number}") == [("2026-12-04",)]
    assert await answer_to(boss, "hc:00000000:ok", echo) == texts.STALE_BUTTON  # pressed again: changes nothing
    await rectify(owner, number, seed=93)
    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因")
    await boss.send("通道仍有杂物")
    await boss.expect("请选择整改期限")
    await boss.send("7天")  # the button's label, typed: the button itself, nothing to echo
    await boss.expect(f"隐患 #{number} 复核不通过，已退回责任人，新期限 2026-11-30（周一，还有 7 天）。")
    assert await rig.rows(f"SELECT deadline FROM hazards WHERE id = {number}") == [("2026-11-30",)]


async def test_officer_submits_for_an_owner_without_telegram(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await reported(reporter)
    done = await assign(boss, number, "李师傅", days="15天", named="typed")  # a name typed at the owner question
    assert "交办给 李师傅" in done.body  # creates the owner
    await rectify(reporter, number, button="代为提交整改")
    review = await boss.expect("【整改待复核】")
    assert "李师傅（由信息员代为提交）" in review.body
    events = await rig.rows("SELECT e.kind, p.name FROM hazard_events e JOIN people p ON p.id = e.actor_id")
    assert events[-1] == ("submitted_by_proxy", REPORTER)


async def test_reject_then_resubmit_then_verify(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板")
    await rectify(owner, number, seed=91)
    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因")
    await boss.send("通道仍有杂物")
    await boss.press("3天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"隐患 #{number} 复核不通过，已退回责任人，新期限 2026-11-26")
    again = await owner.expect("【整改复核未通过，请重新整改】")
    assert "2026-11-26" in again.body
    await rectify(owner, number, seed=92, card=again)
    await boss.press("复核通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("已销号")
    kinds = [row[0] for row in await rig.rows("SELECT kind FROM hazard_events ORDER BY id")]
    assert kinds == ["reported", "assign", "submit", "reject", "submit", "verify"]
    assert await rig.rows("SELECT note FROM hazard_events WHERE kind = 'reject'") == [("通道仍有杂物",)]
    assert await rig.rows("SELECT COUNT(*) FROM hazard_photos WHERE stage = 'after'") == [(2,)]
    assert all(REPORTER not in m.body for m in owner.inbox)


async def test_invalid_closes_without_counting_as_rectified(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await reported(reporter)
    await boss.press("不属实", message=await boss.expect(f"#{number}"))
    await boss.expect("请说明不属实的原因")
    await boss.send("现场核查无此情况")
    await boss.expect(f"已将隐患 #{number} 标记为不属实并关闭")
    await reporter.expect("经核实不属实，已关闭")
    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "invalid")]


async def test_duplicate_asks_for_the_original(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    first = await reported(reporter, seed=1)
    second = await reported(reporter, seed=2)
    await boss.press("重复", message=await boss.expect(f"#{second}"))
    await boss.expect("请输入与之重复的原隐患编号")
    await boss.send(f"#{second}")
    assert (await boss.next_message()).text == texts.ORIGINAL_INVALID  # not itself
    await boss.send("#999")
    assert (await boss.next_message()).text == texts.ORIGINAL_INVALID  # no such hazard
    await boss.send(f"#{first}")
    await boss.expect(f"已将隐患 #{second} 标记为与 #{first} 重复并关闭")
    assert await rig.rows(f"SELECT closure, duplicate_of FROM hazards WHERE id = {second}") == [("duplicate", first)]


async def test_reopen_a_closed_hazard_found_again(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板")
    await rectify(owner, number)
    await boss.press("复核通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("已销号")
    await boss.send(f"/hazard {number}")
    card = await boss.expect("进展：")
    assert card.buttons == ["重新打开"]
    await boss.press("重新打开", message=card)
    await boss.expect("请说明重新打开的原因")
    await boss.send("复查发现通道又被堵")
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"隐患 #{number} 已重新打开")
    await owner.expect("【隐患重新打开，请整改】")
    assert await rig.rows("SELECT status, closure, closed_at FROM hazards") == [("assigned", None, None)]


async def test_stale_and_forged_buttons_change_nothing(rig: Rig) -> None:
    boss, other_boss = await supervisor(rig), await supervisor(rig, "吕丽霞")
    outsider = await rig.join(Role.SUPERVISOR, town="白石镇")
    reporter = await officer(rig)
    number = await reported(reporter)
    stale_card = await other_boss.expect(f"#{number}")
    stale_assign = stale_card.button_data("交办")
    owner_name = "赵六"
    assert "交办给 赵六" in (await assign(boss, number, owner_name, named="typed")).body
    # The other supervisor's card loses 交办 once it is done; its old data pressed anyway is stale.
    await other_boss.press_data(stale_assign, stale_card)
    assert (await other_boss.next_callback_answer())["text"] == texts.HAZARD_HANDLED
    # Another town's supervisor forging a button for this hazard learns nothing about it.
    assert await answer_to(outsider, f"hz:{number}:invalid", stale_card) == texts.hazard_not_found(number)
    # The reporting officer forging 不属实 is refused; garbage is stale.
    assert await answer_to(reporter, f"hz:{number}:invalid", stale_card) == texts.NOT_ALLOWED
    for garbage in ("hz:x:assign", f"hz:{number}:explode", "hc:00000000:days:7", f"hz:{number}:assign:extra"):
        assert await answer_to(reporter, garbage, stale_card) == texts.STALE_BUTTON, garbage
    assert await rig.rows("SELECT status FROM hazards") == [("assigned",)]
    assert len(await rig.rows("SELECT * FROM hazard_events")) == 2


async def test_two_supervisors_verifying_at_once_make_one_transition(rig: Rig) -> None:
    first, second = await supervisor(rig), await supervisor(rig, "吕丽霞")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(first, number, "张老板")
    await rectify(owner, number)
    first_card, second_card = await first.expect("【整改待复核】"), await second.expect("【整改待复核】")
    # Both presses arrive together, from different chats, so they are handled concurrently.
    seen = {user: len(user.callback_answers) for user in (first, second)}
    await first.press("复核通过", message=first_card)
    await second.press("复核通过", message=second_card)
    for user in (first, second):

        def answered(u: SimUser = user) -> bool:
            return len(u.callback_answers) > seen[u]

        await user.wait_until(answered, what="a callback answer")
    answers = sorted(user.callback_answers[seen[user]].get("text") or "" for user in (first, second))
    assert answers == ["", texts.HAZARD_HANDLED]
    assert await rig.rows("SELECT COUNT(*) FROM hazard_events WHERE kind = 'verify'") == [(1,)]
    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]


async def test_deadline_in_the_past_or_unreadable_is_refused_with_an_example(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await reported(reporter)
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.send("赵六")
    await boss.expect("请选择整改期限")
    await boss.send("2026-11-01")
    assert (await boss.next_message()).text == texts.DEADLINE_IN_PAST
    await boss.send("下个月")
    assert (await boss.next_message()).text == texts.DEADLINE_UNREADABLE
    await boss.send("2026-12-05")
    await boss.press("确认", message=await boss.expect("期限：12月5日（周六）"))
    await boss.expect("期限 2026-12-05")
    assert await rig.rows("SELECT deadline FROM hazards") == [("2026-12-05",)]


async def test_hazard_card_shows_only_the_buttons_this_person_may_use(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    stranger_officer = await rig.join(Role.OFFICER, village="民溪村")  # 白石镇
    number = await reported(reporter)
    await boss.send(f"/hazard {number}")
    card = await boss.expect("进展：")
    assert card.buttons == ["交办", "不属实", "重复"]
    assert f"上报：{REPORTER}" in card.body
    await reporter.send(f"/hazard {number}")
    own = await reporter.expect("进展：")
    assert own.buttons == ["补充照片"]  # no move: the reporter may only add photos
    await stranger_officer.send(f"/hazard {number}")
    assert (await stranger_officer.next_message()).text == texts.hazard_not_found(number)
    await stranger_officer.send("/hazard 999")
    assert (await stranger_officer.next_message()).text == texts.hazard_not_found(999)


async def test_admins_follow_every_change_of_a_major_hazard(rig: Rig) -> None:
    boss = await supervisor(rig)
    admin = await rig.join(Role.ADMIN, name="市应急局")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(5), severity="重大隐患"))
    await admin.expect(f"【重大隐患报警】#{number}")
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.send("钱老板")
    choose = await boss.expect("请选择整改期限（默认 30 天）")
    assert "30天（默认）" in choose.buttons
    await boss.press("30天", message=choose)
    progress = await admin.expect(f"【重大隐患进展】#{number}")
    assert "交办" in progress.body and "钱老板" in progress.body


async def test_cancelled_rectification_leaves_no_after_photo_behind(rig: Rig) -> None:
    """/取消 during 提交整改 drops the after-photos' files too, as a cancelled report does."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(await officer(rig))
    await assign(boss, number, "张老板")
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    media = rig.settings.storage.media_dir
    before = set(media.rglob("*.png"))
    await owner.send_photo(png(91))
    await owner.expect("已收到 1 张整改后照片")
    assert len(set(media.rglob("*.png")) - before) == 1
    await owner.send("/cancel")
    await owner.press("确定取消", message=await owner.expect(texts.confirm_cancel(1, after=True)))
    assert (await owner.next_message()).text == texts.ACTION_CANCELLED
    assert set(media.rglob("*.png")) == before  # the hazard's own photo stays, the after-photo is gone
    assert await rig.rows("SELECT COUNT(*) FROM hazard_conversations") == [(0,)]
    assert await rig.rows("SELECT status FROM hazards WHERE id = ?", (number,)) == [("assigned",)]


async def test_a_new_owner_typed_during_assign_joins_the_roster_only_when_the_move_completes(rig: Rig) -> None:
    """A name typed at 交办 and then /取消: nobody is left on the roster; typed again and finished: one person."""
    boss = await supervisor(rig)
    number = await reported(await officer(rig))
    card = await boss.expect(f"#{number}")
    await boss.press("交办", message=card)
    await boss.press("新责任人", message=await boss.expect("请选择责任人"))
    await boss.expect("请输入责任人姓名")
    await boss.send("王五金 13800001111")
    await boss.expect("请选择整改期限")
    await boss.send("/cancel")
    assert (await boss.next_message()).text == texts.ACTION_CANCELLED
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE name = '王五金'") == [(0,)]
    assert await rig.rows("SELECT status, owner_id FROM hazards WHERE id = ?", (number,)) == [("reported", None)]

    await boss.press("交办", message=card)
    await boss.send("王五金 13800001111")  # typed at the owner question
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"已将隐患 #{number} 交办给 王五金")
    people = await rig.rows("SELECT id, phone FROM people WHERE name = '王五金'")
    assert [phone for _, phone in people] == ["13800001111"]
    assert await rig.rows("SELECT owner_id FROM hazards WHERE id = ?", (number,)) == [(people[0][0],)]


async def test_every_card_says_描述_and_overdue_is_what_the_overdue_list_shows(rig: Rig) -> None:
    """One word for the description on every card; 已逾期 only for a hazard /overdue lists (the domain's definition)."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await reported(reporter)
    await assign(boss, number, "张老板", days="3天")
    new = [m for m in boss.inbox if "【新隐患·待交办】" in m.body]
    assert new and "描述：超市后门消防通道堆放纸箱" in new[0].body
    card = await owner.expect("【整改通知】")
    assert "描述：超市后门消防通道堆放纸箱" in card.body and "情况：" not in card.body

    rig.clock.set(rig.clock.now() + timedelta(days=5))  # two days past the deadline, still 整改中: overdue
    await boss.send(f"/hazard {number}")
    shown = await boss.expect(f"隐患 #{number} ·")
    assert "描述：超市后门消防通道堆放纸箱" in shown.body and "（已逾期 2 天）" in shown.body
    await boss.send("/overdue")
    assert f"#{number} " in (await boss.expect("逾期隐患 ·")).body

    await rectify(owner, number, card=card)  # evidence is in: 待复核 is not overdue, though the date has passed
    review = await boss.expect("【整改待复核】")
    assert "描述：超市后门消防通道堆放纸箱" in review.body and "情况：" not in review.body
    assert "已逾期" not in review.body and "（已过期限 2 天）" in review.body
    await boss.send("/overdue")
    assert "目前没有逾期的隐患" in (await boss.expect("逾期的隐患")).body
    assert await rig.rows("SELECT status FROM hazards") == [("submitted",)]
