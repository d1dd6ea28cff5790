"""End to end: words people type instead of pressing, and phrases with nothing in them (issue 16, items 3 and 8)."""

from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.domain.people import Role
from tests.flows import NEIGHBOUR_VILLAGE, answer_to, assign, officer, reported, supervisor, walk_to_summary
from tests.rig import Rig, png
from tests.test_e2e_report_places import import_places, to_place_step, to_summary


async def test_a_typed_button_label_acts_as_the_button_and_empty_phrases_are_not_content(rig: Rig) -> None:
    boss = await supervisor(rig)
    user = await officer(rig)
    await user.send_photo(png(1))
    await user.expect("已收到 1 张照片")
    await user.send("好了")  # after photos: 下一步, not the description
    assert (await user.next_message()).text == texts.ASK_DESCRIPTION
    await user.send("好的")
    assert (await user.next_message()).text == texts.EMPTY_DESCRIPTION
    await user.send("超市后门消防通道堆放纸箱")
    await user.expect("请选择隐患类别")
    await user.send("消防")
    await user.expect("请选择隐患等级")
    await user.send("一般隱患")  # traditional characters
    await user.expect("场所")
    await user.send("OK")
    assert (await user.next_message()).text == texts.EMPTY_PLACE
    await user.expect("场所")
    await user.send("幸福超市")
    await user.expect("发送当前位置")
    await user.send("跳過")
    await user.expect("已跳过位置")
    await user.expect("请核对隐患信息")
    await user.send("修改")
    menu = await user.next_message()
    assert menu.text == texts.ASK_EDIT and "描述" in menu.buttons
    await user.send("场所")
    await user.expect("场所")
    await user.send("幸福超市东门")
    summary = await user.expect("请核对隐患信息")
    assert "场所：幸福超市东门" in summary.body
    await user.send("提交")
    await user.expect("隐患 #1 已登记")
    card = await boss.expect("【新隐患·待交办】#1")
    assert "描述：超市后门消防通道堆放纸箱" in card.body
    assert await rig.rows("SELECT description, category, severity, place FROM hazards") == [
        ("超市后门消防通道堆放纸箱", "消防", "general", "幸福超市东门")
    ]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_typed_next_moves_the_rectification_to_its_note_and_an_empty_note_is_asked_again(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(await officer(rig))
    await assign(boss, number, "张老板")
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    await owner.send_photo(png(2))
    await owner.expect("已收到 1 张整改后照片")
    await owner.send("下一步")
    assert (await owner.next_message()).text == texts.ASK_RECTIFY_NOTE
    await owner.send("完成")
    assert (await owner.next_message()).text == texts.EMPTY_NOTE
    await owner.send("纸箱已清走，通道畅通")
    await owner.expect("整改已提交")
    notes = await rig.rows("SELECT kind, note FROM hazard_events WHERE kind = 'submit'")
    assert notes == [("submit", "纸箱已清走，通道畅通")]

    # 不通过: an empty reason is asked again; the typed deadline button's label is the button.
    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因")
    await boss.send("嗯")
    assert (await boss.next_message()).text == texts.EMPTY_REASON
    await boss.send("警示带不全")
    await boss.expect("请选择整改期限")
    await boss.send("3天")
    await boss.expect(f"隐患 #{number} 复核不通过")
    rejected = await rig.rows("SELECT note FROM hazard_events WHERE kind = 'reject'")
    assert rejected == [("警示带不全",)]


async def test_an_empty_phrase_is_no_owner_name(rig: Rig) -> None:
    boss = await supervisor(rig)
    number = await reported(await officer(rig))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.expect("请选择责任人")
    await boss.send("好的")
    assert (await boss.next_message()).text == texts.EMPTY_OWNER_NAME
    await boss.expect("请选择责任人")
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE name = '好的'") == [(0,)]


async def test_traditional_characters_and_numbers_without_a_space_are_understood(rig: Rig) -> None:
    user = await officer(rig)
    number = await reported(user)
    await user.send("幫助")
    assert "可用功能" in (await user.next_message()).body
    await user.send("統計")  # read as /stats, which officers may not use
    assert (await user.next_message()).text == texts.NOT_ALLOWED
    await user.send(f"隐患{number}")
    assert f"#{number}" in (await user.expect("进展：")).body
    await user.send(f"隱患 #{number}")
    assert f"#{number}" in (await user.expect("进展：")).body
    await user.send("排查12 已查超市")
    await user.expect("检查场所 12 处")
    await user.send_photo(png(5), caption="排查15")
    await user.expect("检查场所 15 处")
    assert await rig.rows("SELECT places_checked, note FROM checks") == [(15, "已查超市")]
    await user.send("上報")
    assert (await user.next_message()).text == texts.ASK_PHOTOS
    await user.send_photo(png(6))
    await user.expect("已收到 1 张照片")
    await user.send("下一步")
    await user.expect("请简要描述")
    await user.send("配电箱门损坏")
    await user.expect("请选择隐患类别")
    await user.send("用電用氣")
    await user.expect("请选择隐患等级")


async def test_an_edited_description_says_the_earlier_version_is_recorded_and_how_to_change_it(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(1))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    sent = await user.send("超市后门堆放纸箱")
    await user.expect("请选择隐患类别")
    await user.edit_sent(sent, "超市后门消防通道堆放纸箱")
    assert (await user.next_message()).text == texts.EDIT_IGNORED_REPORT
    await user.send("/cancel")
    await user.send("确定取消")
    await user.expect("已取消")
    await user.edit_sent(sent, "超市后门消防通道堆放纸箱，通道堵塞")
    assert (await user.next_message()).text == texts.EDIT_IGNORED
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_cancel_asks_first_when_photos_would_be_lost(rig: Rig) -> None:
    user = await officer(rig)
    await user.send("/report")
    await user.expect("请发送隐患照片")
    await user.send("取消")  # nothing to lose: at once
    assert (await user.next_message()).text == texts.REPORT_CANCELLED
    for seed in (1, 2):
        await user.send_photo(png(seed))
    await user.expect("已收到 2 张照片")
    await user.send("取消")
    question = await user.next_message()
    assert question.text == "确定取消吗？将丢弃已发送的 2 张照片和已填写的内容，不会保存。"
    assert question.buttons == ["确定取消", "继续上报"]
    await user.send("繼續上報")  # typed, in traditional characters
    await user.expect("已收到 2 张照片")
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(1,)]
    await user.send("/cancel")
    await user.press("继续上报", message=await user.expect("确定取消吗"))
    await user.expect("已收到 2 张照片")
    await user.send("/cancel")
    await user.send("确定取消")
    assert (await user.expect("已取消")).text == texts.REPORT_CANCELLED
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
    assert list(rig.settings.storage.media_dir.rglob("*.png")) == []


async def test_cancel_of_a_rectification_with_after_photos_asks_first(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(await officer(rig))
    await assign(boss, number, "张老板")
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    await owner.send_photo(png(3))
    await owner.expect("已收到 1 张整改后照片")
    await owner.send("取消")
    question = await owner.next_message()
    assert question.text == "确定取消吗？将丢弃已发送的 1 张整改后照片，不会保存。"
    await owner.press("继续整改", message=question)
    await owner.expect("已收到 1 张整改后照片")
    await owner.send("/cancel")
    await owner.press("确定取消", message=await owner.expect("确定取消吗"))
    assert (await owner.next_message()).text == texts.ACTION_CANCELLED
    assert await rig.rows("SELECT COUNT(*) FROM hazard_conversations") == [(0,)]
    assert await rig.rows("SELECT status FROM hazards") == [("assigned",)]


async def test_a_description_typed_before_the_photos_is_kept_for_the_report(rig: Rig) -> None:
    boss = await supervisor(rig)
    user = await officer(rig)
    number = await reported(user)
    await user.send(f"#{number}")  # a hazard's number still opens its card
    await user.expect("进展：")
    await user.send("加油站旁边电线老化，有火花")
    assert (await user.next_message()).text == texts.DESCRIPTION_KEPT
    await user.send("加油站旁边电线老化裸露，有火花")  # said again, better: the new words are kept
    assert (await user.next_message()).text == texts.DESCRIPTION_KEPT
    await user.send_photo(png(30))
    confirmation = await user.expect("已收到 1 张照片")
    assert "您发的文字已作为隐患描述" in confirmation.body
    await user.send("下一步")
    await user.expect("请选择隐患类别")  # the description step is already answered
    await user.send("用电用气")
    await user.send("一般隐患")
    await user.expect("场所")
    await user.send("加油站")
    await user.expect("发送当前位置")
    await user.send("跳过")
    summary = await user.expect("请核对隐患信息")
    assert "描述：加油站旁边电线老化裸露，有火花" in summary.body
    await user.send("提交")
    await user.expect(f"隐患 #{number + 1} 已登记")
    card = await boss.expect(f"【新隐患·待交办】#{number + 1}")
    assert "描述：加油站旁边电线老化裸露，有火花" in card.body
    stored = await rig.rows("SELECT description FROM hazards WHERE id = ?", (number + 1,))
    assert stored == [("加油站旁边电线老化裸露，有火花",)]


async def test_a_photo_right_after_submitting_asks_whether_it_is_for_that_hazard(rig: Rig) -> None:
    boss = await supervisor(rig)
    user = await officer(rig)
    number = await reported(user)
    await boss.expect(f"【新隐患·待交办】#{number}")
    await user.send_photo(png(40))
    choice = await user.expect("已收到 1 张照片")
    assert choice.text == f"已收到 1 张照片。是补充到隐患 #{number}，还是上报新的隐患？"
    assert choice.buttons == [f"补充到 #{number}", "新的隐患"]
    await user.send("这张是刚才那个隐患的")  # words are no description while the choice is open: asked again
    assert (await user.next_message()).buttons == [f"补充到 #{number}", "新的隐患"]
    await user.press(f"补充到 #{number}", message=choice)
    assert (await user.expect("已将")).text == f"已将 1 张照片补充到隐患 #{number}，已告知镇安监员。"
    notice = await boss.expect("补充了")
    assert notice.text == f"隐患 #{number}（幸福超市）补充了 1 张照片（曾英海）。" and notice.buttons == ["查看详情"]
    photos = await rig.rows("SELECT stage, COUNT(*) FROM hazard_photos WHERE hazard_id = ? GROUP BY stage", (number,))
    assert photos == [("before", 2)]
    events = await rig.rows("SELECT kind, from_status, to_status FROM hazard_events WHERE hazard_id = ?", (number,))
    assert events == [("reported", None, "reported"), ("photos_added", "reported", "reported")]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
    assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(1,)]

    # 新的隐患 (typed): the photos begin a report of their own.
    await user.send_photo(png(41))
    await user.expect("是补充到隐患")
    await user.send("新的隐患")
    await user.expect("已收到 1 张照片")
    await user.send("下一步")
    await user.expect("请简要描述")
    await user.send("/cancel")
    await user.send("确定取消")
    await user.expect("已取消")

    # Later, a photo is a new report at once.
    rig.clock.advance(timedelta(minutes=11))
    await user.send_photo(png(42))
    later = await user.expect("已收到 1 张照片")
    assert later.buttons == ["下一步"]


async def test_the_reporter_adds_photos_from_the_card_while_the_hazard_is_open(rig: Rig) -> None:
    boss = await supervisor(rig)
    user = await officer(rig)
    number = await reported(user)
    rig.clock.advance(timedelta(hours=1))
    await user.send(f"隐患 {number}")
    card = await user.expect("进展：")
    assert "补充照片" in card.buttons
    await user.press("补充照片", message=card)
    assert (await user.expect("请发送要补充")).text == f"请发送要补充到隐患 #{number} 的照片（1–10 张）。"
    await user.send_album([png(50), png(51)])
    await user.press(f"补充到 #{number}", message=await user.expect("已收到 2 张照片"))
    await user.expect(f"已将 2 张照片补充到隐患 #{number}")
    await boss.expect("补充了 2 张照片")
    photos = await rig.rows("SELECT COUNT(*) FROM hazard_photos WHERE hazard_id = ? AND stage = 'before'", (number,))
    assert photos == [(3,)]
    # An officer of another village cannot reach it, even with forged data; nothing is kept.
    stranger = await officer(rig, NEIGHBOUR_VILLAGE)
    await stranger.send("/help")
    forged = await answer_to(stranger, f"hz:{number}:add", await stranger.expect("可用功能"))
    assert forged == texts.hazard_not_found(number)
    # Someone else's hazard shows no such button; a closed one refuses.
    await boss.send(f"隐患 {number}")
    assert "补充照片" not in (await boss.expect("进展：")).buttons
    await boss.press("不属实")  # on the card just shown
    await boss.expect("请说明不属实的原因")
    await boss.send("现场核实无此情况")
    await boss.expect(f"#{number}")
    answer = await answer_to(user, card.button_data("补充照片"), card)
    assert answer == f"隐患 #{number} 已销号，不能再补充照片。"
    await user.send(f"隐患 {number}")
    assert "补充照片" not in (await user.expect("进展：")).buttons
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_a_move_word_typed_with_no_card_in_front_shows_the_way_and_is_no_description(rig: Rig) -> None:
    boss = await supervisor(rig)
    user = await officer(rig)
    number = await reported(user)
    await boss.expect(f"【新隐患·待交办】#{number}")
    await boss.send("交辦")  # traditional characters too
    assert (await boss.next_message()).text == texts.MOVE_WORDS_HINT
    queue = await boss.next_message()
    assert queue.buttons == [f"交办 #{number} 幸福超市"]
    await user.send("复核通过")
    assert (await user.next_message()).text == texts.MOVE_WORDS_HINT
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_fixed_on_the_spot_by_typed_words(rig: Rig) -> None:
    user = await officer(rig)
    await walk_to_summary(user, location=False)
    await user.send("即查即改")  # the button's words without its bracket
    assert (await user.next_message()).text == texts.ASK_AFTER_PHOTOS
    await user.send_photo(png(60))
    await user.expect("已收到 1 张整改后照片")
    await user.send("好了")  # 下一步: the note of what was done
    assert (await user.next_message()).text == texts.ASK_FIX_NOTE
    await user.send("好的")  # no note: asked again, 跳过 still offered
    assert (await user.next_message()).text == texts.EMPTY_NOTE
    assert (await user.next_message()).buttons == ["跳过"]
    await user.send("跳過")  # the button's words, traditional
    summary = await user.expect("请核对隐患信息")
    assert "即查即改：已当场整改，整改后照片 1 张" in summary.body
    await user.send("提交")
    await user.expect("已登记（即查即改）")
    assert await rig.rows("SELECT status, fixed_on_spot FROM hazards") == [("submitted", 1)]


async def test_typed_words_answer_the_deadline_echo_and_keep_the_deadline(rig: Rig) -> None:
    """确认 / 重新输入 of the echoed date, and 保持原期限, typed as words do what the buttons do."""
    boss = await supervisor(rig)
    number = await reported(await officer(rig))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.send("赵六")
    await boss.expect("请选择整改期限")
    await boss.send("今天")
    await boss.expect("期限：11月23日（周一）")
    await boss.send("重新输入")
    await boss.expect("请选择整改期限")
    await boss.send("好了")  # no date: nothing saved
    assert (await boss.next_message()).text == texts.DEADLINE_UNREADABLE
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("reported", None)]
    await boss.send("月底")
    await boss.expect("期限：11月30日（周一）")
    await boss.send("確認")  # traditional
    await boss.expect(f"已将隐患 #{number} 交办给 赵六，期限 2026-11-30")
    assert await rig.rows("SELECT status, deadline FROM hazards") == [("assigned", "2026-11-30")]


async def test_typed_place_words_and_empty_phrases_at_the_inventory_place_step(rig: Rig) -> None:
    """In a village with places: 好了 is no place (nor a new place's name), 新场所 typed is the button, a place's name
    typed chooses it."""
    await import_places(rig.services)
    user = await officer(rig)
    await to_place_step(user)
    await user.send("好了")
    assert (await user.next_message()).text == texts.EMPTY_PLACE
    assert (await user.expect("场所")).text == texts.ask_place_from_list(0)
    await user.send("新场所")
    assert (await user.next_message()).text == texts.ASK_NEW_PLACE_NAME
    await user.send("好的")
    assert (await user.next_message()).text == texts.EMPTY_PLACE
    assert (await user.next_message()).text == texts.ASK_NEW_PLACE_NAME
    await user.send("新龙建材店")
    summary = await to_summary(user)
    assert "场所：新龙建材店\n" in summary.body
    assert await rig.rows("SELECT COUNT(*) FROM places WHERE confirmed = 0") == [(0,)]
