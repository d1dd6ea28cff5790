"""End to end: a voice message kept where a text is asked for, forwarded to whoever the text reaches; refused elsewhere."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.domain import limits
from bot.domain.people import Role
from sandbox.simusers import BotMessage, SimUser
from sandbox.transcript import transcript
from storage.backup import DATABASE, references, take
from tests.flows import assign, officer, sha, submit, supervisor, walk_to_summary
from tests.rig import Rig, png

SPOKEN = b"OggS\x00\x02 spoken description of the hazard"


async def _voice_after(user: SimUser, card: BotMessage) -> BotMessage:
    """The voice message the bot sent right after a card (the card first, then its voice)."""
    await user.wait_until(lambda: any(m.method == "sendVoice" for m in user.inbox), what="a voice message")
    voice = next(m for m in user.inbox if m.method == "sendVoice")
    assert user.inbox.index(voice) == user.inbox.index(card) + 1
    return voice


async def _report_by_voice(user: SimUser, data: bytes = SPOKEN, seconds: int = 12) -> int:
    """An officer reports a hazard, speaking the description."""
    await user.send_photo(png(1))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send_voice(data, duration=seconds)
    await user.press("消防", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))
    await user.expect("场所")
    await user.send("幸福超市")
    await user.expect("发送当前位置")
    await user.send("跳过")
    await user.expect("已跳过位置")
    summary = await user.expect("请核对隐患信息")
    assert "🎤 语音说明 12 秒" in summary.body
    return await submit(user, summary)


async def test_voice_description_is_stored_and_forwarded_with_the_supervisors_card(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await _report_by_voice(reporter)

    card = await boss.expect(f"【新隐患·待交办】#{number}")
    assert "🎤 语音说明 12 秒" in card.body and card.buttons == ["交办", "不属实", "重复"]
    voice = await _voice_after(boss, card)
    assert voice.caption == texts.voice_caption(number) and voice.voice_seconds == 12
    assert voice.document is not None and voice.document.data == SPOKEN
    # The sandbox page draws it as a voice message (🎤 12 秒 with a player), not as a file to download.
    drawn = [m for m in transcript(rig.server, boss, [])["messages"] if m.get("voice")]
    assert drawn == [{**drawn[0], "voice": {"file_id": voice.document.file_id, "duration": 12}}]
    assert "document" not in drawn[0]

    assert await rig.rows("SELECT description FROM hazards") == [("🎤 语音说明 12 秒",)]
    assert await rig.rows(
        "SELECT v.field, e.kind, v.seconds, v.sha256, v.extension, v.size FROM hazard_voice_notes v"
        " JOIN hazard_events e ON e.id = v.event_id"
    ) == [("description", "reported", 12, sha(SPOKEN), "ogg", len(SPOKEN))]
    stored = rig.settings.storage.media_dir / sha(SPOKEN)[:2] / f"{sha(SPOKEN)}.ogg"
    assert stored.read_bytes() == SPOKEN

    # The card opened later shows the voice note, and sends it again.
    await boss.send(f"/hazard {number}")
    detail = await boss.expect("描述：🎤 语音说明 12 秒")
    await boss.wait_until(lambda: sum(m.method == "sendVoice" for m in boss.inbox) == 2, what="the card's voice")
    assert boss.inbox[-1].method == "sendVoice" and boss.inbox.index(detail) == len(boss.inbox) - 2


async def test_spoken_description_goes_with_the_owners_card(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await _report_by_voice(await officer(rig))
    await assign(boss, number, "张老板")
    card = await owner.expect("【整改通知】")
    assert "描述：🎤 语音说明 12 秒" in card.body
    voice = await _voice_after_latest(owner, card)
    assert voice.document is not None and voice.document.data == SPOKEN


async def test_voice_rectification_note_reaches_the_supervisor(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter))
    await assign(boss, number, "张老板")
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    await owner.send_photo(png(90))
    await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    note = b"OggS rectification note"
    await owner.send_voice(note, duration=7)
    await owner.expect("整改已提交")

    review = await boss.expect("【整改待复核】")
    assert "整改说明：🎤 语音说明 7 秒" in review.body
    voice = await _voice_after(boss, review)
    assert voice.document is not None and voice.document.data == note
    assert await rig.rows(
        "SELECT v.field, e.kind, e.note, v.seconds FROM hazard_voice_notes v JOIN hazard_events e ON e.id = v.event_id"
    ) == [("note", "submit", "🎤 语音说明 7 秒", 7)]


async def test_voice_rejection_reason_reaches_the_owner(rig: Rig) -> None:
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter))
    await assign(boss, number, "张老板")
    await owner.press("提交整改", message=await owner.expect("【整改通知】"))
    await owner.expect("请发送整改后的照片")
    await owner.send_photo(png(91))
    await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("纸箱已清走")
    await owner.expect("整改已提交")

    await boss.press("不通过", message=await boss.expect("【整改待复核】"))
    await boss.expect("请说明复核不通过的原因")
    reason = b"OggS the passage is still blocked"
    await boss.send_voice(reason, duration=20)
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"隐患 #{number} 复核不通过")

    card = await owner.expect("【整改复核未通过")
    voice = await _voice_after_latest(owner, card)
    assert voice.document is not None and voice.document.data == reason
    assert voice.caption == texts.voice_caption(number)
    assert await rig.rows(
        "SELECT e.kind, e.note, v.seconds FROM hazard_voice_notes v JOIN hazard_events e ON e.id = v.event_id"
    ) == [("reject", "🎤 语音说明 20 秒", 20)]
    # The supervisor's timeline shows the spoken reason where a typed one would be.
    await boss.send(f"/hazard {number}")
    detail = await boss.expect("复核不通过：🎤 语音说明 20 秒")
    assert detail.method == "sendMessage"


async def _voice_after_latest(user: SimUser, card: BotMessage) -> BotMessage:
    index = user.inbox.index(card)
    await user.wait_until(lambda: len(user.inbox) > index + 1, what="the voice after the card")
    voice = user.inbox[index + 1]
    assert voice.method == "sendVoice", voice.describe()
    return voice


async def test_voice_outside_any_flow_is_refused_with_one_sentence(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_voice(b"OggS hello", duration=3)
    assert (await user.next_message()).text == "暂不支持语音，请打字或按按钮"
    await user.assert_silent()
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_voice_at_a_button_step_is_refused_and_the_question_asked_again(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(2))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("配电箱电线裸露")
    await user.expect("请选择隐患类别")
    await user.send_voice(b"OggS category", duration=2)
    assert (await user.next_message()).text == texts.VOICE_NOT_SUPPORTED
    await user.expect("请选择隐患类别")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.voice is None and draft.category is None


async def test_voice_too_long_is_refused_and_nothing_is_stored(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(3))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    long = b"OggS a very long speech"
    await user.send_voice(long, duration=limits.MAX_VOICE_SECONDS + 1)
    refusal = await user.next_message()
    assert refusal.text == texts.voice_too_long(limits.MAX_VOICE_SECONDS + 1, limits.MAX_VOICE_SECONDS)
    assert "超过 5 分钟" in refusal.body
    draft = await rig.draft_of(user)
    assert draft is not None and draft.description is None and draft.voice is None
    assert not (rig.settings.storage.media_dir / sha(long)[:2] / f"{sha(long)}.ogg").exists()
    # Still at the description step: a shorter voice is kept.
    await user.send_voice(b"OggS short", duration=30)
    await user.expect("请选择隐患类别")


async def test_audio_file_is_not_taken_as_a_voice_message(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(4))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    stored = rig.server.files.store(b"ID3 mp3 audio", kind="audio", mime_type="audio/mpeg")
    audio = {**stored.media_json(), "duration": 5, "mime_type": "audio/mpeg"}
    user.deliver(user.build_message(audio=audio))
    assert (await user.next_message()).text == texts.AUDIO_FILE_REFUSED
    draft = await rig.draft_of(user)
    assert draft is not None and draft.description is None


async def test_backup_contains_the_voice_file(rig: Rig, tmp_path: Path) -> None:
    await supervisor(rig)
    reporter = await officer(rig)
    await _report_by_voice(reporter)
    storage = rig.settings.storage
    manifest = take(storage.database, storage.media_dir, tmp_path / "backup", rig.services.clock.now())
    assert references(tmp_path / "backup" / DATABASE)[sha(SPOKEN)] == "ogg"  # what a restore checks is there
    assert manifest.damaged_media == []
    kept = {file.sha256: file.path for file in manifest.media}
    assert kept[sha(SPOKEN)] == f"{sha(SPOKEN)[:2]}/{sha(SPOKEN)}.ogg"
    assert (tmp_path / "backup" / "media" / kept[sha(SPOKEN)]).read_bytes() == SPOKEN


async def test_cancelled_report_leaves_no_voice_file(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(5))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    spoken = b"OggS never mind"
    await user.send_voice(spoken, duration=4)
    await user.expect("请选择隐患类别")
    stored = rig.settings.storage.media_dir / sha(spoken)[:2] / f"{sha(spoken)}.ogg"
    assert stored.exists()
    await user.send("/cancel")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect("已取消")
    assert not stored.exists()
    assert await rig.rows("SELECT COUNT(*) FROM hazard_voice_notes") == [(0,)]


async def test_voice_reason_for_invalid_reaches_the_reporter(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter))
    await boss.press("不属实", message=await boss.expect(f"#{number}"))
    await boss.expect("请说明不属实的原因")
    reason = b"OggS it was a delivery, gone already"
    await boss.send_voice(reason, duration=9)
    await boss.expect(f"已将隐患 #{number} 标记为不属实并关闭")
    update = await reporter.expect("经核实不属实，已关闭")
    voice = await _voice_after_latest(reporter, update)
    assert voice.document is not None and voice.document.data == reason
    assert await rig.rows("SELECT status, closure FROM hazards") == [("closed", "invalid")]
    assert await rig.rows(
        "SELECT e.kind, e.note, v.field, v.seconds FROM hazard_voice_notes v JOIN hazard_events e ON e.id = v.event_id"
    ) == [("invalid", "🎤 语音说明 9 秒", "note", 9)]
