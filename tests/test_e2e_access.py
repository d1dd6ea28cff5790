"""End to end: strangers, invites, rebinding, group chats, role-specific help and command menus."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import texts
from bot.chat.commands import commands_for
from bot.domain.people import Role
from tests.rig import Rig


async def test_stranger_sees_only_how_to_get_an_invite(rig: Rig) -> None:
    stranger = rig.stranger()
    for attempt in ("/start", "你好", "/help", "帮助", "/open"):
        await stranger.send(attempt)
        reply = await stranger.next_message()
        assert reply.text == texts.UNBOUND, attempt
    await stranger.send_photo(b"\x89PNG fake photo")
    assert (await stranger.next_message()).text == texts.UNBOUND
    assert await rig.rows("SELECT COUNT(*) FROM telegram_bindings") == [(0,)]


async def test_stranger_pressing_a_button_is_told_to_bind_first(rig: Rig) -> None:
    officer = await rig.join(Role.OFFICER, village="新龙村")
    await officer.send("/help")
    help_message = await officer.next_message()
    stranger = rig.stranger()
    await stranger.press_data("report:next", help_message)
    answer = await stranger.next_callback_answer()
    assert answer["text"] == texts.UNBOUND_BUTTON


async def test_officer_binds_through_invite_and_gets_the_officer_menu(rig: Rig) -> None:
    code = await rig.invite(Role.OFFICER, village="新龙村")
    user = rig.stranger("曾英海")
    await user.send(f"/start {code}")
    welcome = await user.next_message()
    assert "绑定成功" in welcome.body
    assert "曾英海" in welcome.body and "青龙镇新龙村 · 信息员" in welcome.body
    bindings = await rig.rows(
        "SELECT p.name, p.role, b.telegram_user_id, b.chat_id FROM telegram_bindings b JOIN people p ON p.id = b.person_id"
    )
    assert bindings == [("曾英海", "officer", user.id, user.id)]
    assert await rig.rows("SELECT used_by_telegram_user_id FROM invites") == [(user.id,)]
    menu = rig.server.commands_for({"type": "chat", "chat_id": user.id})
    assert [c["command"] for c in menu] == commands_for(Role.OFFICER)
    assert all(c["description"] == texts.COMMAND_DESCRIPTIONS[c["command"]] for c in menu)


async def test_strangers_menu_offers_only_start_and_help(rig: Rig) -> None:
    menu = rig.server.commands_for({"type": "default"})
    assert [c["command"] for c in menu] == ["start", "help"]


async def test_used_invite_is_refused_to_another_account(rig: Rig) -> None:
    code = await rig.invite(Role.OFFICER, village="新龙村")
    first, second = rig.stranger("甲"), rig.stranger("乙")
    await first.send(f"/start {code}")
    await first.expect("绑定成功")
    await second.send(f"/start {code}")
    assert (await second.next_message()).text == texts.INVITE_USED
    await first.send(f"/start {code}")
    assert "您已绑定为【青龙镇新龙村 · 信息员】" in (await first.next_message()).body
    assert await rig.rows("SELECT telegram_user_id FROM telegram_bindings") == [(first.id,)]


async def test_expired_invite_is_refused(rig: Rig) -> None:
    code = await rig.invite(Role.SUPERVISOR, town="白石镇")
    rig.clock.advance(timedelta(days=7, minutes=1))
    user = rig.stranger()
    await user.send(f"/start {code}")
    assert (await user.next_message()).text == texts.INVITE_EXPIRED
    assert await rig.rows("SELECT COUNT(*) FROM telegram_bindings") == [(0,)]


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAAAAAAAA", "x" * 64, "新龙村"])
async def test_unknown_code_is_refused(rig: Rig, code: str) -> None:
    user = rig.stranger()
    await user.send(f"/start {code}")
    assert (await user.next_message()).text == texts.INVITE_UNKNOWN


async def test_lost_phone_rebinds_through_a_new_invite(rig: Rig) -> None:
    old_phone = await rig.join(Role.OFFICER, village="新龙村")
    code = await rig.invite(Role.OFFICER, village="新龙村", reason="换了手机")
    new_phone = rig.stranger("曾英海")
    await new_phone.send(f"/start {code}")
    assert "已为您更换绑定的 Telegram 账号" in (await new_phone.next_message()).body
    assert "刚刚被绑定到另一个 Telegram 账号" in (await old_phone.next_message()).body
    await old_phone.send("/help")
    assert (await old_phone.next_message()).text == texts.UNBOUND
    history = await rig.rows("SELECT telegram_user_id, end_reason FROM telegram_bindings ORDER BY id")
    assert history == [(old_phone.id, "rebound"), (new_phone.id, None)]


async def test_group_chat_is_told_once_to_use_private_chat(rig: Rig) -> None:
    officer = await rig.join(Role.OFFICER, village="新龙村")
    group = rig.server.group(-100123, "青龙镇安全群")
    await officer.send_in(group, "/help")
    assert (await group.next_message()).text == texts.PRIVATE_ONLY
    await officer.send_in(group, "/report")
    await rig.stranger().send_in(group, "你好")
    await group.assert_silent(within=0.5)
    assert await rig.rows("SELECT chat_id FROM group_notices") == [(-100123,)]
    await officer.assert_silent(within=0.1)


@pytest.mark.parametrize(
    ("role", "place", "intro"),
    [
        (Role.OFFICER, {"village": "新龙村"}, "作为村信息员"),
        (Role.OWNER, {"village": "新龙村", "name": "张老板"}, "作为隐患责任人"),
        (Role.SUPERVISOR, {"town": "白石镇"}, "作为镇安监员"),
        (Role.ADMIN, {"name": "市应急局"}, "作为管理员"),
    ],
)
async def test_help_is_role_specific(rig: Rig, role: Role, place: dict[str, str], intro: str) -> None:
    user = await rig.join(role, **place)
    for ask in ("/help", "帮助"):
        await user.send(ask)
        reply = await user.next_message()
        assert intro in reply.body
        assert texts.ROLE_NAMES[role] in reply.body
        for other_intro in {"作为村信息员", "作为隐患责任人", "作为镇安监员", "作为管理员"} - {intro}:
            assert other_intro not in reply.body


async def test_bound_person_with_an_unknown_message_is_pointed_to_help(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")  # one who may not report (a reporter's words are kept)
    await admin.send("今天天气不错")
    assert (await admin.next_message()).text == texts.UNKNOWN_MESSAGE
    officer = await rig.join(Role.OFFICER, village="新龙村")
    for said in ("好的", "/unknown"):  # no description: an empty phrase, a command that does not exist
        await officer.send(said)
        assert (await officer.next_message()).text == texts.UNKNOWN_MESSAGE
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]
