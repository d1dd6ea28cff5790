"""End to end on WeCom: members of the county's WeCom app bind, report and act through signed, encrypted callbacks
to GridSafe's callback URL; GridSafe answers through the loopback WeCom API (sandbox/wecom.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import texts
from bot.chat.replies import Document
from bot.clock import FakeClock
from bot.domain.hazards import Severity
from bot.domain.people import Role
from handlers.wecom.app import WeComChannel
from handlers.wecom.render import FILE_MAX_BYTES, Renderer
from sandbox.wecom import Delivered, WeComMember
from tests.flows import sha
from tests.rig import png
from tests.scenario import bind, report, upload
from tests.wecom_rig import WeComRig, running_wecom_bot


@pytest.fixture
async def world(tmp_path: Path, clock: FakeClock) -> AsyncIterator[WeComRig]:
    async with running_wecom_bot(tmp_path, clock) as running:
        yield running


async def test_an_officer_on_wecom_reports_three_pictures_with_location_category_and_severity(
    world: WeComRig, tmp_path: Path
) -> None:
    await world.import_roster(tmp_path, [["青龙镇", "新龙村", "曾英海", "信息员", "", "ZengYingHai"]])
    officer = world.member("ZengYingHai")  # recognised at once: imported with the account
    pictures = [png(30 + i) for i in range(3)]
    for picture in pictures:
        await officer.send_image(picture)
    received = await officer.expect("已收到 3 张照片")
    await officer.press("下一步", received)
    await officer.expect("请简要描述")
    await officer.send("超市后门消防通道堆放纸箱")
    await officer.expect("请选择隐患类别")
    await officer.press("消防")
    await officer.expect("请选择隐患等级")
    await officer.press("一般隐患")
    await officer.expect("场所")
    await officer.send("幸福超市")
    asked = await officer.expect("发送当前位置")
    assert "「+」→「位置」" in asked.text and "跳过" in asked.text
    await officer.send_location(28.22817, 112.93881, "新龙村幸福超市")
    await officer.expect("位置已记录")
    summary = await officer.expect("请核对隐患信息")
    assert "类别：消防" in summary.text and "等级：一般隐患" in summary.text
    await officer.press("提交")
    registered = await officer.expect("已登记")
    assert "#1" in registered.text

    rows = await world.rig.rows("SELECT id, status, category, severity, place, latitude, longitude FROM hazards")
    assert rows == [(1, "reported", "消防", "general", "幸福超市", 28.22817, 112.93881)]
    photos = await world.rig.rows("SELECT sha256, width FROM hazard_photos WHERE stage = 'before' ORDER BY position")
    assert photos == [(sha(p), 0) for p in pictures]  # width 0: Telegram uploads the bytes, never a WeCom id
    reporter = await world.rig.rows(
        "SELECT p.wecom_userid, p.last_channel FROM hazards h JOIN people p ON p.id = h.reporter_id"
    )
    assert reporter == [("ZengYingHai", "wecom")]
    # Every card sent kept WeCom's rules: at most six buttons, keys the codec's.
    cards = [m for m in world.wecom.inbox("ZengYingHai") if m.msgtype == "template_card"]
    assert cards and all(1 <= len(c.buttons) <= 6 for c in cards)


async def test_a_stranger_on_wecom_learns_how_to_bind_and_binds_with_the_code(world: WeComRig) -> None:
    stranger = world.member("lisi")
    await stranger.send("你好")
    assert (await stranger.next_message()).text == texts.WECOM_UNBOUND
    await stranger.send("绑定 not-a-code")
    assert (await stranger.next_message()).text == texts.INVITE_UNKNOWN
    created = await world.rig.services.invites.create(Role.OFFICER, village="新龙村")
    await stranger.send(f"绑定 {created.code}")
    welcome = await stranger.next_message()
    assert welcome.text.startswith("绑定成功！") and "青龙镇新龙村 · 信息员" in welcome.text
    actor = await world.rig.services.access.wecom_actor("lisi")
    assert actor is not None and actor.name == "曾英海"
    await stranger.send("绑定")
    assert "您已绑定为【青龙镇新龙村 · 信息员】" in (await stranger.next_message()).text
    # The code is used up: another member cannot take it.
    other = world.member("wangwu")
    await other.send(f"绑定 {created.code}")
    assert (await other.next_message()).text == texts.INVITE_USED
    assert await world.rig.rows("SELECT wecom_userid FROM people WHERE wecom_userid IS NOT NULL") == [("lisi",)]


async def _to_summary(member: WeComMember, picture: bytes) -> Delivered:
    await member.send_image(picture)
    await member.press("下一步", await member.expect("已收到 1 张照片"))
    await member.expect("请简要描述")
    await member.send("村委会东侧电线老化")
    await member.expect("请选择隐患类别")
    await member.press("用电用气")
    await member.expect("请选择隐患等级")
    await member.press("重大隐患")
    await member.expect("场所")
    await member.send("村委会")
    await member.expect("发送当前位置")
    await member.send("跳过")
    await member.expect("已跳过位置")
    await member.expect("请核对隐患信息")
    return member.latest_card("提交")


async def test_a_pressed_card_is_updated_in_place(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    await officer.send_image(png(40))
    received = await officer.expect("已收到 1 张照片")
    await officer.press("下一步", received)
    closed = await officer.next_message()  # 下一步 answered: that card's buttons turn into 已处理, in place
    assert closed.msgtype == "update_template_card" and closed.response_code == received.response_code
    assert closed.body["button"] == {"replace_name": "已处理"}
    await officer.expect("请简要描述")
    await officer.send("村委会东侧电线老化")
    categories = await officer.expect("请选择隐患类别")
    more = await officer.next_message()  # twelve categories: six a card
    assert len(categories.buttons) == 6 and more.text == texts.WECOM_MORE_BUTTONS and len(more.buttons) == 6
    await officer.press("其他", more)  # the second card's button works as well
    await officer.expect("请选择隐患等级")
    await officer.press("重大隐患")
    await officer.expect("场所")
    await officer.send("村委会")
    await officer.expect("发送当前位置")
    await officer.send("跳过")
    await officer.expect("已跳过位置")
    summary = await officer.expect("请核对隐患信息")
    assert summary.msgtype == "template_card" and "类别：其他" in summary.text  # short enough for the card itself
    await officer.press("修改", summary)
    edit = await officer.next_message()
    assert edit.msgtype == "update_template_card" and edit.response_code == summary.response_code
    assert list(edit.buttons) == ["照片", "描述", "类别", "等级", "场所", "位置"]
    rest = await officer.next_message()
    assert list(rest.buttons) == ["返回"]
    updates = world.wecom.calls_to("message/update_template_card")
    assert updates and all(call.errcode == 0 for call in updates)
    actor = await world.rig.services.access.wecom_actor("zeng")
    assert actor is not None
    draft = await world.rig.services.reporting.draft(actor)
    assert draft is not None and (draft.category, draft.severity) == ("其他", Severity.MAJOR)


async def test_binding_by_typed_code_on_telegram_too(world: WeComRig) -> None:
    user = world.rig.stranger("张三")
    created = await world.rig.services.invites.create(Role.OFFICER, village="新龙村")
    await user.send(f"绑定 {created.code}")
    await user.expect("绑定成功")
    actor = await world.rig.services.access.actor(user.id)
    assert actor is not None and actor.name == "曾英海"
    # The same person binds WeCom as well, with a new invite (for a bound person: with a reason): both stay bound.
    again = await world.rig.services.invites.create(Role.OFFICER, village="新龙村", reason="也用企业微信")
    member = world.member("zengyinghai")
    await member.send(f"绑定 {again.code}")
    await member.expect("绑定成功")
    assert await world.rig.services.access.actor(user.id) is not None
    both = await world.rig.rows(
        "SELECT p.wecom_userid, b.telegram_user_id FROM people p"
        " JOIN telegram_bindings b ON b.person_id = p.id AND b.ended_at IS NULL"
    )
    assert both == [("zengyinghai", user.id)]


async def test_a_wecom_account_that_is_someone_asks_before_it_changes_person(world: WeComRig) -> None:
    member = await world.join("zhang", Role.OFFICER, village="新龙村")
    created = await world.rig.services.invites.create(Role.OFFICER, village="牛冲村")
    await member.send(f"绑定 {created.code}")
    said = await member.expect("一个账号只能绑定一个身份")
    question = await member.next_message()  # the question is longer than a card shows: the card follows it
    assert said.text.startswith("您这个企业微信账号已绑定为 曾英海")
    assert (question.text, list(question.buttons)) == (texts.WECOM_CHOOSE, ["确认更换身份", "保留原身份"])
    await member.press("保留原身份")
    await member.expect(texts.SWITCH_KEPT)
    actor = await world.rig.services.access.wecom_actor("zhang")
    assert actor is not None and actor.village_name == "新龙村"
    await member.press("确认更换身份", question)  # the question's card is still there (its code was used)
    await member.expect("绑定成功")
    actor = await world.rig.services.access.wecom_actor("zhang")
    assert actor is not None and actor.village_name == "牛冲村"


async def test_every_command_alias_and_the_menu_answer_on_wecom(world: WeComRig) -> None:
    boss = await world.join("xiaohao", Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("帮助")
    assert "可用功能：" in (await boss.next_message()).text
    await boss.send("/stats")
    assert "【统计】" in (await boss.next_message()).text
    await boss.deliver(boss.menu_click("open"))
    assert "未整改" in (await boss.next_message()).text
    await boss.send("导出")
    ledger = await boss.expect("隐患台账")
    files = [m for m in world.wecom.inbox("xiaohao") if m.msgtype == "file"]
    assert len(files) == 1 and ledger.msgtype == "text"
    uploads = [c.body for c in world.wecom.calls_to("media/upload") if c.body.get("type") == "file"]
    assert uploads and str(uploads[0]["filename"]).endswith(".xlsx")
    await boss.send("排名")
    await boss.expect("【月度排名】")
    assert await world.wecom.until(lambda: any(m.msgtype == "image" for m in world.wecom.inbox("xiaohao")))
    await boss.send("邀请 信息员 新龙村")
    invite = await boss.expect("生成邀请")
    assert "绑定 " in invite.text and "t.me" not in invite.text


async def test_voice_video_and_files_get_a_clear_answer(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    head = f"<ToUserName>{world.wecom.corp_id}</ToUserName><FromUserName>zeng</FromUserName><CreateTime>1</CreateTime>"
    for number, kind in enumerate(("voice", "video", "file", "link")):
        plaintext = f"<xml>{head}<MsgType>{kind}</MsgType><MsgId>9{number}</MsgId></xml>"
        await officer.deliver(plaintext)
        answer = await officer.next_message()
        assert answer.text == texts.UNKNOWN_MESSAGE, kind
    assert await world.rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]


async def test_the_loop_on_wecom_assign_rectify_verify(world: WeComRig) -> None:
    """交办 by a supervisor, 提交整改 with an after-picture by the owner, 复核通过 — every step typed and pressed in WeCom."""
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    boss = await world.join("xiao", Role.SUPERVISOR, town="青龙镇", name="肖浩")
    owner = await world.join("zhang", Role.OWNER, village="新龙村", name="张老板")
    await _to_summary(officer, png(50))
    await officer.press("提交")
    await officer.expect("隐患 #1 已登记")

    await boss.send("隐患 1")
    await boss.press("交办", await boss.expect_button("交办"))
    await boss.expect("请选择责任人")
    await boss.press("张老板")
    await boss.expect("请选择整改期限")
    await boss.press(texts.days_button(30, True))  # a major hazard: 30 days by default
    await boss.expect("已将隐患 #1 交办给 张老板")
    assert await world.rig.rows("SELECT status FROM hazards") == [("assigned",)]

    await owner.send("我的")
    rectify = f"{texts.BUTTON_RECTIFY} #1 村委会"
    await owner.press(rectify, await owner.expect_button(rectify))
    await owner.expect("请发送整改后的照片")
    after = png(51)
    await owner.send_image(after)
    await owner.press("下一步", await owner.expect("已收到 1 张整改后照片"))
    await owner.expect("请简要说明整改情况")
    await owner.send("电线已更换")
    await owner.expect("整改已提交")
    assert await world.rig.rows("SELECT status FROM hazards") == [("submitted",)]
    stored = await world.rig.rows("SELECT sha256 FROM hazard_photos WHERE stage = 'after'")
    assert stored == [(sha(after),)]

    await boss.send("#1")
    await boss.press(texts.BUTTON_VERIFY, await boss.expect_button(texts.BUTTON_VERIFY))
    await boss.expect("复核通过，已销号")
    assert await world.rig.rows("SELECT status, closure FROM hazards") == [("closed", "verified")]


async def test_an_invite_made_on_telegram_also_says_how_to_bind_in_wecom(world: WeComRig) -> None:
    boss = await world.rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("邀请 信息员 新龙村")
    made = await boss.expect("生成邀请链接")
    code = made.body.split("?start=")[1].split()[0]
    assert f"绑定 {code}" in made.body
    member = world.member("zeng")
    await member.send(f"绑定 {code}")
    await member.expect("绑定成功")


async def test_pictures_kept_before_a_restart_are_confirmed_on_wecom_after_it(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    services = world.rig.services
    actor = await services.access.wecom_actor("zeng")
    assert actor is not None
    await services.access.used(actor)  # the officer writes from WeCom
    await services.reporting.add_photo(actor, upload())  # kept, its batch timer lost with the process
    await world.rig.restart()
    await officer.expect("已收到 1 张照片")


async def test_paging_updates_the_pressed_card_or_closes_it_when_the_page_is_too_long(world: WeComRig) -> None:
    services = world.rig.services
    reporter = await bind(services, Role.OFFICER, village="新龙村")
    for _ in range(12):
        await report(services, reporter)
    boss = await world.join("xiao", Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("未整改")
    first = await boss.expect("第 1/2 页")
    assert first.msgtype == "text"  # ten hazards are more than a card shows: the card below holds ▶
    pager = await boss.expect_button(texts.BUTTON_PAGE_NEXT)
    await boss.press(texts.BUTTON_PAGE_NEXT, pager)
    second = await boss.next_message()  # two hazards fit a card: the pressed card becomes page 2, in place
    assert (second.msgtype, second.response_code) == ("update_template_card", pager.response_code)
    assert "第 2/2 页" in second.text and "#12" in second.text
    assert list(second.buttons) == ["#11", "#12", texts.BUTTON_PAGE_PREVIOUS]  # a number a line, as on Telegram
    await boss.press(texts.BUTTON_PAGE_PREVIOUS, second)  # its code is used: page 1 comes below as a new message
    again = await boss.expect("第 1/2 页")
    assert again.msgtype == "text"
    await boss.expect_button(texts.BUTTON_PAGE_NEXT)


async def test_a_file_over_what_wecom_carries_is_said_not_sent(world: WeComRig, tmp_path: Path) -> None:
    member = await world.join("xiao", Role.SUPERVISOR, town="青龙镇", name="肖浩")
    big = tmp_path / "photos.zip"
    with big.open("wb") as file:
        file.truncate(FILE_MAX_BYTES + 1)  # sparse: the size without the bytes
    channel = world.rig.app.bot_data.wecom
    assert isinstance(channel, WeComChannel)
    renderer = Renderer(channel.client, world.rig.services, lambda: None)
    await renderer.render("xiao", [Document(big, "青龙镇 2026年11月 照片", "照片.zip")])
    assert (await member.next_message()).text == "青龙镇 2026年11月 照片"
    assert (await member.next_message()).text == texts.wecom_file_too_large("照片.zip", 20)
    assert not [c for c in world.wecom.calls_to("media/upload") if c.body.get("type") == "file"]
