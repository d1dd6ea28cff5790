"""End to end: the messages that show a hazard are remembered, so they stay true and can be replied to (issue 16)."""

from __future__ import annotations

from bot import texts
from bot.domain.notifications import Button, Message, Notification
from bot.domain.people import Channel, Role
from sandbox.simusers import BotMessage
from tests.flows import assign, officer, rectify, reported, submit, supervisor, wait_for, walk_to_summary
from tests.rig import Rig, png

CARDS = "SELECT channel, chat_id, message_key, hazard_id, person_id, has_buttons FROM card_messages ORDER BY rowid"


async def recorded(rig: Rig, message: BotMessage) -> None:
    """Wait until the message is recorded as a card: the outbox records it right after Telegram confirms it, so a
    person can see it a moment before (a reply in that moment is an ordinary message)."""
    sql = (
        f"SELECT COUNT(*) FROM card_messages WHERE chat_id = {message.chat_id} AND message_key = '{message.message_id}'"
    )
    await wait_for(rig, sql, [(1,)])


async def person_id(rig: Rig, name: str) -> int:
    rows = await rig.rows("SELECT id FROM people WHERE name = ?", (name,))
    return int(rows[0][0])


async def test_every_card_sent_about_a_hazard_is_recorded_with_its_message_id(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(reporter)
    card = await boss.expect(f"#{number}")  # the new hazard's card, through the outbox
    xiao, zeng, zhang = [await person_id(rig, n) for n in ("肖浩", "曾英海", "张老板")]
    await wait_for(rig, CARDS, [("telegram", boss.chat_id, str(card.message_id), number, xiao, 1)])

    await reporter.send(f"/hazard {number}")  # a direct answer: the reporter's card has 补充照片 only
    shown = await reporter.expect(f"隐患 #{number} ·")
    assert shown.buttons == ["补充照片"]
    await assign(boss, number, "张老板", card=card)
    owner_card = await owner.expect("【整改通知】")
    rows = await rig.rows(CARDS)
    assert ("telegram", reporter.chat_id, str(shown.message_id), number, zeng, 1) in rows
    await wait_for(
        rig,
        f"SELECT message_key, has_buttons FROM card_messages WHERE person_id = {zhang}",
        [(str(owner_card.message_id), 1)],
    )
    # Messages about no hazard (a list, a welcome) are not recorded.
    await boss.send("/open")
    await boss.expect("未整改隐患 ·")
    assert all(row[3] == number for row in await rig.rows(CARDS))

    # Bounded: a chat keeps its newest 5 messages about a hazard; older ones are let go.
    shown_ids = []
    for _ in range(7):
        await reporter.send(f"/hazard {number}")
        shown_ids.append((await reporter.expect(f"隐患 #{number} ·")).message_id)
    await wait_for(
        rig,
        f"SELECT message_key FROM card_messages WHERE chat_id = {reporter.chat_id} ORDER BY rowid",
        [(str(m),) for m in shown_ids[-5:]],
    )


async def test_a_hazard_location_comes_as_a_map_pin_with_its_card(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(reporter)
    card = await boss.expect(f"#{number}")
    pins = [m for m in boss.inbox if m.method == "sendVenue"]
    assert len(pins) == 1 and pins[0].message_id < card.message_id  # photos, the pin, then the card and buttons
    assert pins[0].venue == {
        "location": {"latitude": 28.22817, "longitude": 112.93881},
        "title": "幸福超市",
        "address": "青龙镇新龙村",
    }
    assert "位置：28.22817, 112.93881" in card.body  # the line stays, for copying and for channels without pins

    await assign(boss, number, "张老板", card=card)
    told = await owner.expect("【整改通知】")
    assert [m.venue for m in owner.inbox if m.method == "sendVenue"] == [pins[0].venue]
    assert next(m for m in owner.inbox if m.method == "sendVenue").message_id < told.message_id

    await reporter.send(f"/hazard {number}")
    shown = await reporter.expect(f"隐患 #{number} ·")
    venue = reporter.inbox[reporter.inbox.index(shown) - 1]
    assert venue.method == "sendVenue" and venue.venue == pins[0].venue

    # Without a location, no pin.
    unplaced = await submit(reporter, await walk_to_summary(reporter, photo=png(7), location=False))
    await boss.expect(f"#{unplaced}")
    await reporter.send(f"/hazard {unplaced}")
    bare = await reporter.expect(f"隐患 #{unplaced} ·")
    assert reporter.inbox[reporter.inbox.index(bare) - 1].method != "sendVenue"
    assert len([m for m in boss.inbox if m.method == "sendVenue"]) == 1
    assert await rig.rows("SELECT latitude IS NULL FROM hazards WHERE id = ?", (unplaced,)) == [(1,)]


async def test_a_reply_to_a_card_opens_that_hazard_and_is_not_read_as_a_move(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(reporter)
    card = await boss.expect(f"#{number}")
    await recorded(rig, card)
    await boss.reply("交给张老板，一周内整改完", to=card)
    hint = await boss.expect("您回复的是")
    assert hint.text == f"您回复的是隐患 #{number}，详情如下。处理请按详情下方的按钮，回复的文字不会被当作操作。"
    opened = await boss.expect(f"隐患 #{number} ·")
    assert opened.buttons == ["交办", "不属实", "重复"]
    # Nothing was done with the words: still waiting to be assigned, no owner, nothing in progress.
    assert await rig.rows("SELECT status, owner_id FROM hazards WHERE id = ?", (number,)) == [("reported", None)]
    assert await rig.rows("SELECT COUNT(*) FROM hazard_conversations") == [(0,)]

    # The opened card is itself a card: a reply to it opens the hazard again.
    await recorded(rig, opened)
    await boss.reply("这个怎么处理", to=opened)
    await boss.expect("您回复的是")
    await boss.expect(f"隐患 #{number} ·")

    # A reply to a message that shows no hazard is a plain message, as before: kept as the next report's description.
    await boss.send("/open")
    listed = await boss.expect("未整改隐患 ·")
    await boss.reply("看看", to=listed)
    assert (await boss.next_message()).text == texts.DESCRIPTION_KEPT
    await boss.send("取消")
    await boss.press("确定取消", message=await boss.expect("确定取消吗"))
    await boss.expect(texts.REPORT_CANCELLED)

    # Scope is checked as it is now: a supervisor moved to another town no longer opens the old card.
    other = await rig.rows("SELECT id FROM towns WHERE name = '白石镇'")
    async with rig.services.db.transaction() as tx:
        await tx.execute("UPDATE people SET town_id = ? WHERE name = '肖浩'", (other[0][0],))
    await boss.reply("交给张老板", to=card)
    assert (await boss.next_message()).text == texts.hazard_not_found(number)
    assert await rig.rows("SELECT status FROM hazards WHERE id = ?", (number,)) == [("reported",)]


async def test_when_one_supervisor_acts_the_others_cards_are_edited_and_they_are_told_in_one_line(rig: Rig) -> None:
    boss, other = await supervisor(rig), await supervisor(rig, "吕丽霞")
    reporter = await officer(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(reporter)
    mine, theirs = await boss.expect(f"#{number}"), await other.expect(f"#{number}")
    assert theirs.buttons == ["交办", "不属实", "重复"]
    stale_assign = theirs.button_data("交办")
    await recorded(rig, theirs)

    await assign(boss, number, "张老板", card=mine)
    told = await other.expect(f"#{number} 已由")
    assert told.text == f"#{number} 已由 肖浩 交办给 张老板（您的卡片已更新）"
    if theirs.buttons:  # the edit and the line are queued together; the edit may land just after the line
        await other.next_edit(theirs)
    assert theirs.text is not None and theirs.text.startswith(f"隐患 #{number} · 整改中")
    assert "责任人：张老板" in theirs.text
    assert theirs.buttons == ["改派"]  # the buttons now allowed to them, from the one builder
    assert mine.buttons == ["交办", "不属实", "重复"]  # the one who acted is answered in their own conversation
    lv = await person_id(rig, "吕丽霞")
    assert await rig.rows(
        f"SELECT message_key, has_buttons FROM card_messages WHERE person_id = {lv} AND hazard_id = {number}"
    ) == [(str(theirs.message_id), 1)]
    # The old 交办, pressed anyway (an old client, a forged press), is still refused and changes nothing.
    seen = len(other.callback_answers)
    await other.press_data(stale_assign, theirs)
    await other.wait_until(lambda: len(other.callback_answers) > seen, what="a callback answer")
    assert other.callback_answers[seen].get("text") == texts.HAZARD_HANDLED

    # Review: both get the evidence (told of the submission, so no extra line); one verifies, the other's review
    # card loses 复核通过/不通过 and offers what is allowed now.
    await rectify(owner, number)
    review_mine, review_theirs = await boss.expect("【整改待复核】"), await other.expect("【整改待复核】")
    assert review_theirs.buttons == ["复核通过", "不通过"]
    await recorded(rig, review_theirs)
    await boss.press("复核通过", message=review_mine)
    await boss.expect("复核通过，已销号")
    line = await other.expect(f"#{number} 已由")
    assert line.text == f"#{number} 已由 肖浩 复核通过，已销号（您的卡片已更新）"
    if review_theirs.buttons != ["重新打开"]:
        await other.next_edit(review_theirs)
    assert review_theirs.text is not None and review_theirs.text.startswith(f"隐患 #{number} · 已销号")
    assert review_theirs.buttons == ["重新打开"]
    assert await rig.rows("SELECT status, closure FROM hazards WHERE id = ?", (number,)) == [("closed", "verified")]
    edit_rows = f"FROM outbox WHERE dedupe_key LIKE 'hazard:{number}:event:%:edit:%'"
    assert (await rig.rows(f"SELECT COUNT(*) {edit_rows}"))[0][0] > 0
    # The dispatcher marks a row sent just after Telegram answers the edit the person already sees.
    await wait_for(rig, f"SELECT COUNT(*) {edit_rows} AND status != 'sent'", [(0,)])
    await other.assert_silent()  # one line per move, nothing more


async def test_an_edit_of_a_card_that_is_gone_or_already_current_is_done_not_failed(rig: Rig) -> None:
    boss, other = await supervisor(rig), await supervisor(rig, "吕丽霞")
    admin = await rig.join(Role.ADMIN, name="值班员")
    reporter = await officer(rig)
    first, second = await reported(reporter), await reported(reporter, seed=2)
    gone = await other.expect(f"#{first}")
    current = await other.expect(f"#{second}")
    await recorded(rig, gone)
    await recorded(rig, current)
    await rig.app.bot.delete_message(other.chat_id, gone.message_id)  # deleted before the move: nothing to edit
    await assign(boss, first, "张老板", named="typed")
    await other.expect(f"#{first} 已由 肖浩 交办给 张老板")
    edits = f"SELECT status, last_error FROM outbox WHERE dedupe_key LIKE 'hazard:{first}:event:%:edit:%'"
    await wait_for(rig, edits, [("sent", None)])
    assert gone.deleted and gone.history == []

    # An edit into what the card already shows (Telegram: "message is not modified"): also done.
    person = await person_id(rig, "吕丽霞")
    rows = (current.reply_markup or {})["inline_keyboard"]
    same = Message(
        hazard_id=second,
        text=current.body,
        buttons=[[Button(text=b["text"], data=b["callback_data"]) for b in row] for row in rows],
        edit=str(current.message_id),
    )
    async with rig.services.db.transaction() as tx:
        note = Notification(person_id=person, dedupe_key="test:same-edit", message=same)
        await rig.services.notifier.enqueue_edit(tx, note, Channel.TELEGRAM, rig.clock.now())
    await rig.drain()
    await wait_for(rig, "SELECT status FROM outbox WHERE dedupe_key = 'test:same-edit'", [("sent",)])
    assert current.history == [] and current.buttons == ["交办", "不属实", "重复"]
    assert [m for m in admin.inbox if "通知发送失败" in m.body] == []
    assert await rig.rows("SELECT COUNT(*) FROM outbox WHERE status = 'failed'") == [(0,)]
