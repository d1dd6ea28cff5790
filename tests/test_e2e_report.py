"""End to end: an officer reports a hazard with photos; supervisors (and admins for major hazards) get it."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from bot import texts
from bot.clock import FakeClock
from bot.domain.hazards import Status
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.services.container import Services
from tests.flows import (
    NEIGHBOUR_VILLAGE,
    OFFICER_VILLAGE,
    new_report_photos,
    officer,
    sha,
    submit,
    wait_for,
    walk_to_summary,
)
from tests.rig import JPEG, Rig, png, running_bot
from tests.scenario import Cast, hazard_in, upload


async def test_officer_reports_hazard_with_single_photo(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    photo = png(7)
    summary = await walk_to_summary(user, photo=photo)
    assert "描述：超市后门消防通道堆放纸箱" in summary.body
    assert "类别：消防" in summary.body and "等级：一般隐患" in summary.body
    assert "村（社区）：青龙镇新龙村" in summary.body and "位置：28.22817, 112.93881" in summary.body
    assert "重复" not in summary.body.replace("「重复」", "")
    number = await submit(user, summary)
    assert number == 1

    hazards = await rig.rows(
        "SELECT id, status, category, severity, place, description, latitude, fixed_on_spot FROM hazards"
    )
    assert hazards == [(1, "reported", "消防", "general", "幸福超市", "超市后门消防通道堆放纸箱", 28.22817, 0)]
    photos = await rig.rows("SELECT stage, sha256, extension, size FROM hazard_photos")
    assert photos == [("before", sha(photo), "png", len(photo))]
    stored = rig.settings.storage.media_dir / sha(photo)[:2] / f"{sha(photo)}.png"
    assert stored.read_bytes() == photo
    assert await rig.rows("SELECT kind, from_status, to_status FROM hazard_events") == [("reported", None, "reported")]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]

    card = await supervisor.expect("【新隐患·待交办】#1")
    assert "青龙镇新龙村" in card.body and "幸福超市" in card.body and "曾英海" in card.body
    assert card.buttons == ["交办", "不属实", "重复"]
    sent_photo = [m for m in supervisor.inbox if m.method == "sendPhoto"]
    assert len(sent_photo) == 1 and rig.server.file_bytes(sent_photo[0].photo[-1]) == photo
    # The town's other supervisor has not joined yet: that notification is recorded as undeliverable.
    await wait_for(
        rig,
        "SELECT p.name, o.status, o.last_error FROM outbox o JOIN people p ON p.id = o.person_id ORDER BY p.name",
        [("吕丽霞", "failed", "not bound to Telegram"), ("肖浩", "sent", None)],
    )


async def test_album_of_three_interleaved_with_another_officers_album(rig: Rig) -> None:
    first, second = await officer(rig), await officer(rig, NEIGHBOUR_VILLAGE)
    first_photos = [png(10 + i) for i in range(3)]
    second_photos = [png(20 + i) for i in range(3)]
    first_album = first.album_messages(first_photos)
    second_album = second.album_messages(second_photos)
    mixed = [(first, m) for m in first_album] + [(second, m) for m in second_album]
    random.Random(3).shuffle(mixed)
    for user, message in mixed:
        user.deliver(message)
    for user in (first, second):
        confirmation = await user.next_message()
        assert "已收到 3 张照片" in confirmation.body
        assert confirmation.buttons == ["下一步"]
        await user.assert_silent(within=0.8)  # once per album, not once per item
    drafts = await rig.draft_of(first)
    assert drafts is not None and sorted(p.sha256 for p in drafts.photos) == sorted(sha(p) for p in first_photos)
    other = await rig.draft_of(second)
    assert other is not None and sorted(p.sha256 for p in other.photos) == sorted(sha(p) for p in second_photos)


async def test_pressing_submit_again_gives_the_same_number_and_nothing_twice(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    summary = await walk_to_summary(user)
    button = summary.button_data("提交")
    number = await submit(user, summary)
    await supervisor.expect(f"#{number}")
    # A double tap, or a press whose answer a crash cut off: the summary's 提交 still answers with the number.
    await user.press_data(button, summary)
    assert (await user.expect("已登记")).text == texts.report_registered(number, fixed_on_spot=False)
    assert await rig.rows("SELECT id FROM hazards") == [(number,)]
    assert await rig.rows("SELECT COUNT(*) FROM hazard_events") == [(1,)]
    await supervisor.assert_silent()
    assert await rig.rows("SELECT COUNT(*) FROM outbox") == [(2,)]  # the town's two supervisors, once each


async def test_captioned_photo_gives_photo_and_description(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(3), caption="配电箱电线裸露")
    confirmation = await user.expect("已收到 1 张照片")
    assert "您发的文字已作为隐患描述" in confirmation.body
    await user.press("下一步", message=confirmation)
    await user.expect("请选择隐患类别")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.description == "配电箱电线裸露"


async def test_typing_the_description_moves_on_from_photos(rig: Rig) -> None:
    user = await officer(rig)
    await user.send("上报")
    await user.expect("请发送隐患照片")
    await user.send("没有照片先写描述")
    assert (await user.next_message()).text == texts.DESCRIPTION_KEPT  # kept until the photos come
    await user.send_photo(png(4))
    await user.expect("已收到 1 张照片")
    await user.send("加油站旁违规存放汽油")
    await user.expect("请选择隐患类别")


async def test_photo_sent_as_a_file_is_accepted(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_document(JPEG, file_name="现场.jpg", mime_type="image/jpeg")
    await user.expect("已收到 1 张照片")
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(1,)]
    stored = rig.settings.storage.media_dir / sha(JPEG)[:2] / f"{sha(JPEG)}.jpg"
    assert stored.read_bytes() == JPEG


async def test_eleventh_photo_is_refused_and_the_first_ten_are_kept(rig: Rig) -> None:
    user = await officer(rig)
    photos = [png(30 + i) for i in range(11)]
    await user.send_album(photos[:10])
    await user.send_photo(photos[10])
    confirmation = await user.next_message()
    assert "已收到 10 张照片" in confirmation.body and "另外 1 张没有收下" in confirmation.body
    draft = await rig.draft_of(user)
    assert draft is not None and [p.sha256 for p in draft.photos] == [sha(p) for p in photos[:10]]
    assert not (rig.settings.storage.media_dir / sha(photos[10])[:2] / f"{sha(photos[10])}.png").exists()


async def test_non_image_file_sticker_and_video_are_refused_and_nothing_is_lost(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(5))
    await user.expect("已收到 1 张照片")
    await user.send_document(b"%PDF-1.4 report", file_name="整改通知.pdf", mime_type="application/pdf")
    assert (await user.next_message()).text == texts.PHOTO_NOT_IMAGE_FILE
    await user.send_document(b"not really a jpeg", file_name="fake.jpg", mime_type="image/jpeg")
    assert (await user.next_message()).text == texts.PHOTO_BROKEN
    await user.send_sticker()
    assert (await user.next_message()).text == texts.PHOTO_STICKER
    await user.send_video()
    assert (await user.next_message()).text == texts.PHOTO_VIDEO
    draft = await rig.draft_of(user)
    assert draft is not None and [p.sha256 for p in draft.photos] == [sha(png(5))]


async def test_oversized_file_is_refused_and_nothing_is_lost(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(6))
    await user.expect("已收到 1 张照片")
    downloads = len(rig.server.calls_to("getFile"))
    await user.send_document(JPEG, file_name="大图.jpg", mime_type="image/jpeg", declared_size=25 * 1024 * 1024)
    assert (await user.next_message()).text == texts.PHOTO_TOO_LARGE
    assert len(rig.server.calls_to("getFile")) == downloads  # refused before any download
    draft = await rig.draft_of(user)
    assert draft is not None and len(draft.photos) == 1


async def test_description_over_1000_characters_is_refused_and_the_rest_kept(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(8))
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("长" * 1001)
    assert (await user.next_message()).text == texts.text_too_long(1000, 1001)
    await user.send("长" * 1000)
    await user.expect("请选择隐患类别")


async def test_cancel_leaves_nothing_behind(rig: Rig) -> None:
    user = await officer(rig)
    photo = png(9)
    await user.send_photo(photo)
    await user.expect("已收到 1 张照片")
    await user.send("/cancel")
    question = await user.next_message()
    assert question.text == texts.confirm_cancel(1, after=False)
    await user.press("确定取消", message=question)
    assert (await user.next_message()).text == texts.REPORT_CANCELLED
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
    assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(0,)]
    assert list(rig.settings.storage.media_dir.rglob("*.png")) == []
    await user.send("取消")
    assert (await user.next_message()).text == texts.NOTHING_TO_CANCEL


async def test_stale_next_button_after_cancel_changes_nothing(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(11))
    confirmation = await user.expect("已收到 1 张照片")
    await user.send("取消")
    await user.press("确定取消", message=await user.expect("确定取消吗"))
    await user.expect("已取消")
    await user.next_callback_answer()  # the answer to 确定取消
    await user.press("下一步", message=confirmation)
    assert (await user.next_callback_answer())["text"] == texts.STALE_BUTTON
    await user.assert_silent()
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_forged_report_buttons_are_refused(rig: Rig) -> None:
    user = await officer(rig)
    await user.send_photo(png(12))
    confirmation = await user.expect("已收到 1 张照片")
    token = confirmation.button_data("下一步").split(":")[1]
    for forged in (
        f"rp:{token}:cat:99",
        f"rp:{token}:submit",
        "rp:deadbeef:next",
        f"rp:{token}:sev:huge",
        "rp:",
        "x" * 64,
    ):
        await user.press_data(forged, confirmation)
        assert (await user.next_callback_answer())["text"] == texts.STALE_BUTTON, forged
    assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(0,)]


async def test_edit_a_step_from_the_summary(rig: Rig) -> None:
    user = await officer(rig)
    summary = await walk_to_summary(user, place="幸福超市")
    await user.press("修改", message=summary)
    edit = await user.next_edit(summary)
    assert "场所" in edit.buttons and "描述" in edit.buttons
    await user.press("场所", message=edit)
    await user.expect("场所")
    await user.send("红星加油站")
    summary = await user.expect("请核对隐患信息")
    assert "场所：红星加油站" in summary.body and "类别：消防" in summary.body
    await submit(user, summary)
    assert await rig.rows("SELECT place FROM hazards") == [("红星加油站",)]


async def test_report_survives_a_restart(rig: Rig) -> None:
    user = await officer(rig)
    photo = png(13)
    await user.send_photo(photo, caption="液化气瓶露天存放")
    await user.press("下一步", message=await user.expect("已收到 1 张照片"))
    await user.expect("请选择隐患类别")
    await rig.restart()
    await user.send("/report")
    await user.expect(texts.RESUMED)
    await user.press("用电用气", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))
    await user.expect("场所")
    await user.send("村东头小卖部")
    await user.expect("发送当前位置")
    await user.send("跳过")
    number = await submit(user, await user.expect("请核对隐患信息"))
    assert await rig.rows("SELECT id, description, category FROM hazards") == [(number, "液化气瓶露天存放", "用电用气")]
    assert await rig.rows("SELECT sha256 FROM hazard_photos") == [(sha(photo),)]


async def test_photos_kept_just_before_a_restart_are_confirmed_after_it(tmp_path: Path, clock: FakeClock) -> None:
    # The batch confirmation waits (here 2 s) for more photos on a timer in memory; the bot stops before it fires.
    async with running_bot(tmp_path, clock, REPORTING__PHOTO_BATCH_SECONDS="2") as rig:
        user = await officer(rig)
        await user.send_album([png(61), png(62)])
        while (draft := await rig.draft_of(user)) is None or len(draft.photos) < 2:
            await asyncio.sleep(0.02)
        await rig.restart()
        confirmation = await user.expect("已收到 2 张照片")
        await user.press("下一步", message=confirmation)
        await user.expect("请简要描述")
        await user.assert_silent()
        assert [m.text for m in user.inbox if "已收到" in (m.text or "")] == [confirmation.text]


async def test_duplicate_warning_for_same_place_and_category(rig: Rig) -> None:
    user = await officer(rig)
    first = await submit(user, await walk_to_summary(user, photo=png(14), place="幸福超市"))
    await user.send_photo(png(15))
    await user.press("下一步", message=await new_report_photos(user, "已收到 1 张照片"))
    await user.send("又堆上了")
    await user.press("消防", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))
    places = await user.expect("本村已用过的场所")
    await user.press("幸福超市", message=places)
    await user.send("跳过")
    summary = await user.expect("请核对隐患信息")
    assert f"可能与 #{first} 重复" in summary.body


async def test_fixed_on_the_spot_goes_straight_to_review(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    user = await officer(rig)
    summary = await walk_to_summary(user, photo=png(16))
    await user.press("即查即改", message=summary)
    await user.expect("请发送当场整改后的照片")
    after = png(17)
    await user.send_photo(after)
    await user.press("下一步", message=await user.expect("已收到 1 张整改后照片"))
    question = await user.expect("请简要说明当场是怎么整改的")
    assert question.text == texts.ASK_FIX_NOTE and question.buttons == ["跳过"]
    await user.send("纸箱已当场清走")  # what was done, kept as the rectification note
    summary = await user.expect("请核对隐患信息")
    assert "即查即改：已当场整改，整改后照片 1 张\n整改说明：纸箱已当场清走" in summary.body
    number = await submit(user, summary)
    assert await rig.rows("SELECT status FROM hazards") == [("submitted",)]
    assert await rig.rows("SELECT note FROM hazard_events WHERE kind = 'fixed_on_spot'") == [("纸箱已当场清走",)]
    assert await rig.rows("SELECT stage, sha256 FROM hazard_photos ORDER BY id") == [
        ("before", sha(png(16))),
        ("after", sha(after)),
    ]
    assert await rig.rows("SELECT kind, to_status FROM hazard_events ORDER BY id") == [
        ("reported", "reported"),
        ("fixed_on_spot", "submitted"),
    ]
    card = await supervisor.expect(f"【即查即改·待复核】#{number}")
    assert card.buttons == ["复核通过", "不通过"] and card.body.endswith("\n整改说明：纸箱已当场清走")
    assert any(m.method == "sendMediaGroup" for m in supervisor.inbox)  # before and after photos together


async def test_major_hazard_alerts_every_admin_at_once(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局值班员")
    user = await officer(rig)
    number = await submit(user, await walk_to_summary(user, photo=png(18), category="危险化学品", severity="重大隐患"))
    alert = await admin.expect(f"【重大隐患报警】#{number}")
    assert "青龙镇新龙村" in alert.body and "危险化学品" in alert.body
    assert await rig.rows("SELECT DISTINCT urgent FROM outbox") == [(1,)]
    summary_buttons = [m for m in user.inbox if "请核对隐患信息" in (m.text or "")]
    assert all("即查即改" not in b for m in summary_buttons for b in m.buttons)


async def test_people_who_may_not_report_are_told_so(rig: Rig) -> None:
    owner = await rig.join(Role.OWNER, village=OFFICER_VILLAGE, name="张老板")
    admin = await rig.join(Role.ADMIN, name="市应急局")
    for user, photo_answer in ((owner, texts.OWNER_PHOTO_HINT), (admin, texts.REPORT_NOT_ALLOWED)):
        await user.send("/report")
        assert (await user.next_message()).text == texts.REPORT_NOT_ALLOWED
        await user.send_photo(png(19))
        assert (await user.next_message()).text == photo_answer
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_supervisor_reports_for_a_village_of_their_town(rig: Rig) -> None:
    supervisor = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await supervisor.send_photo(png(20), caption="桥头自建房开裂")
    await supervisor.press("下一步", message=await supervisor.expect("已收到 1 张照片"))
    await supervisor.press("自建房", message=await supervisor.expect("请选择隐患类别"))
    await supervisor.press("一般隐患", message=await supervisor.expect("请选择隐患等级"))
    villages = await supervisor.expect("哪个村")
    assert "牛冲村" in villages.buttons and len(villages.buttons) == 12
    await supervisor.press("牛冲村", message=villages)
    await supervisor.expect("场所")
    await supervisor.send("桥头王家")
    await supervisor.send("跳过")
    await submit(supervisor, await supervisor.expect("村（社区）：青龙镇牛冲村"))
    assert await rig.rows("SELECT v.name FROM hazards h JOIN villages v ON v.id = h.village_id") == [("牛冲村",)]


async def test_mine_lists_an_officers_own_reports(rig: Rig) -> None:
    user = await officer(rig)
    await user.send("我的")
    assert (await user.next_message()).text == texts.MINE_EMPTY_OFFICER
    number = await submit(user, await walk_to_summary(user, photo=png(21)))
    await user.send("/mine")
    listing = await user.next_message()
    assert f"#{number} 幸福超市 · 消防 · 一般隐患 · 待交办" in listing.body


async def test_unconfirmed_photos_are_found_for_reports_and_rectifications(services: Services) -> None:
    cast = await Cast.assemble(services)
    hazard = await hazard_in(services, cast, Status.ASSIGNED)
    await services.reporting.add_photo(cast.officer, upload())  # a new report, its first photo not yet confirmed
    await services.rectification.begin(cast.owner, hazard.id, Move.SUBMIT)
    await services.rectification.add_photo(cast.owner, upload())
    assert await services.reporting.unconfirmed() == [cast.officer.id]
    assert await services.rectification.unconfirmed() == [cast.owner.id]
    assert {a.id for a in await services.access.bound([cast.officer.id, cast.owner.id])} == {
        cast.officer.id,
        cast.owner.id,
    }
    await services.reporting.take_batch(cast.officer)
    await services.rectification.take_batch(cast.owner)
    assert await services.reporting.unconfirmed() == []
    assert await services.rectification.unconfirmed() == []
