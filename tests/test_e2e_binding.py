"""Who may act as whom: no silent takeover of a bound person, one account one binding, no self-verification."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from bot import texts
from bot.chat.actions import HazardPress, encode
from bot.clock import FakeClock
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.services.container import Services
from bot.settings import load_settings
from sandbox.botapi import BotApiServer
from sandbox.simusers import BotMessage, SimUser
from tests.flows import officer, submit, walk_to_summary
from tests.rig import Rig, png
from tests.test_e2e_quickstart import GRIDSAFE, _env, _run, _write_config


def link_code(text: str) -> str:
    match = re.search(r"\?start=([A-Za-z0-9_-]+)", text)
    assert match is not None, text
    return match.group(1)


async def answer_to(user: SimUser, data: str, message: BotMessage) -> str | None:
    """Press a button and return the answer to that press."""
    seen = len(user.callback_answers)
    await user.press_data(data, message)
    await user.wait_until(lambda: len(user.callback_answers) > seen, what="a callback answer")
    text = user.callback_answers[seen].get("text")
    return str(text) if text is not None else None


async def bindings(rig: Rig) -> list[tuple[str, int]]:
    """Current bindings: (name, Telegram account)."""
    return await rig.rows(
        "SELECT p.name, b.telegram_user_id FROM telegram_bindings b JOIN people p ON p.id = b.person_id"
        " WHERE b.ended_at IS NULL ORDER BY b.id"
    )


async def test_a_new_invite_revokes_the_older_pending_ones(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")
    await admin.send("邀请 信息员 新龙村")
    older = link_code((await admin.expect("曾英海（青龙镇新龙村 · 信息员）")).body)
    await admin.send("邀请 信息员 新龙村")
    newer = link_code((await admin.expect("曾英海（青龙镇新龙村 · 信息员）")).body)
    officer_phone = rig.stranger("曾英海")
    await officer_phone.send(f"/start {newer}")
    await officer_phone.expect("绑定成功")
    rig.clock.advance(timedelta(days=6))  # six days later the older link is still within its seven days
    thief = rig.stranger("冒名者")
    await thief.send(f"/start {older}")
    assert (await thief.next_message()).text == texts.INVITE_EXPIRED
    assert await bindings(rig) == [("市应急局", admin.id), ("曾英海", officer_phone.id)]


async def test_a_supervisor_cannot_invite_anyone_who_is_bound(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    await rig.join(Role.OFFICER, village="新龙村")
    await rig.join(Role.OWNER, village="新龙村", name="张老板")
    before = await rig.rows("SELECT COUNT(*) FROM invites")
    for request, name in (
        ("邀请 安监员 青龙镇 吕丽霞", "吕丽霞"),
        ("邀请 信息员 新龙村", "曾英海"),
        ("邀请 责任人 新龙村 张老板", "张老板"),
        ("邀请 责任人 新龙村 张老板 原因：换了手机", "张老板"),  # a reason does not make a supervisor an admin
    ):
        await boss.send(request)
        assert (await boss.next_message()).text == texts.invite_already_bound(name), request
    assert await rig.rows("SELECT COUNT(*) FROM invites") == before
    await boss.send("邀请 信息员 牛冲村")  # not bound yet: invited as before
    await boss.expect("已为 ")


async def test_an_admin_reinvites_a_bound_person_with_a_reason_and_everyone_concerned_is_told(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")
    duty = await rig.join(Role.ADMIN, name="杜浩")
    old_phone = await officer(rig)
    await admin.send("邀请 信息员 新龙村")
    assert (await admin.next_message()).text == texts.invite_chat_reason_needed("曾英海")
    assert await rig.rows("SELECT COUNT(*) FROM invites WHERE created_by IS NOT NULL") == [(0,)]
    await admin.send("邀请 信息员 新龙村 原因：手机丢了，换新号")
    code = link_code((await admin.expect("曾英海（青龙镇新龙村 · 信息员）")).body)
    assert await rig.rows("SELECT reason FROM invites WHERE created_by IS NOT NULL") == [("手机丢了，换新号",)]

    new_phone = rig.stranger("曾英海")
    await new_phone.send(f"/start {code}")
    await new_phone.expect("已为您更换绑定的 Telegram 账号")
    told = await old_phone.expect("【绑定变更】")
    assert "曾英海（青龙镇新龙村 · 信息员）" in told.body and "另一个 Telegram 账号" in told.body
    alert = await duty.expect("【绑定变更】")
    assert "曾英海" in alert.body and "手机丢了，换新号" in alert.body and "市应急局" in alert.body
    await admin.expect("【绑定变更】")
    await old_phone.send("/mine")
    assert (await old_phone.next_message()).text == texts.UNBOUND


async def test_the_command_line_reinvites_a_bound_person_only_with_a_reason(tmp_path: Path, clock: FakeClock) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _env(server)
        assert (await _run(*GRIDSAFE, "-c", str(config), "roster", "import", "examples/roster.csv", env=env))[0] == 0
        invite = [*GRIDSAFE, "-c", str(config), "invite", "--role", "officer", "--village", "新龙村"]
        code, out, err = await _run(*invite, env=env)
        assert code == 0, err
        services = await Services.open(load_settings(config, {}), clock)
        try:
            await services.invites.redeem(link_code(out), 1, 1)  # the officer follows the link
        finally:
            await services.close()
        code, out, err = await _run(*invite, env=env)
        assert code == 1 and texts.invite_needs_reason("曾英海") in err
        code, out, err = await _run(*invite, "--reason", "换了手机", env=env)
        assert code == 0, err
        services = await Services.open(load_settings(config, {}), clock)
        try:
            rows = [tuple(r) for r in await services.db.fetch_all("SELECT reason FROM invites ORDER BY id")]
        finally:
            await services.close()
        assert rows == [(None,), ("换了手机",)]


async def test_a_bound_admin_opening_someone_elses_invite_is_asked_first(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")
    duty = await rig.join(Role.ADMIN, name="杜浩")
    code = await rig.invite(Role.OWNER, village="新龙村", name="张老板")
    await admin.send(f"/start {code}")
    ask = await admin.expect("一个账号只能绑定一个身份")
    assert ask.buttons == [texts.BUTTON_SWITCH_CONFIRM, texts.BUTTON_SWITCH_KEEP]
    assert await bindings(rig) == [("市应急局", admin.id), ("杜浩", duty.id)]
    assert await rig.rows("SELECT COUNT(*) FROM invites WHERE used_at IS NOT NULL") == [(2,)]
    await admin.press(texts.BUTTON_SWITCH_KEEP, message=ask)
    await admin.wait_until(lambda: ask.text == texts.SWITCH_KEPT, what="the question replaced")
    await admin.send("邀请")  # still an admin
    await admin.expect("生成邀请链接")

    await admin.send(f"/start {code}")
    ask = await admin.expect("一个账号只能绑定一个身份")
    confirm = ask.button_data(texts.BUTTON_SWITCH_CONFIRM)
    await admin.press(texts.BUTTON_SWITCH_CONFIRM, message=ask)
    welcome = await admin.expect("绑定成功")
    assert "市应急局（全市 · 管理员） 已解除绑定" in welcome.body
    assert await bindings(rig) == [("杜浩", duty.id), ("张老板", admin.id)]
    alert = await duty.expect("【绑定变更】")
    assert "市应急局" in alert.body and "张老板" in alert.body
    await admin.send("邀请 信息员 新龙村")  # the old powers are gone at once
    assert (await admin.next_message()).text == texts.NOT_ALLOWED
    # Pressing the confirmation again changes nothing.
    assert await answer_to(admin, confirm, ask) == texts.already_bound("张老板", Role.OWNER, "青龙镇", "新龙村")
    assert await bindings(rig) == [("杜浩", duty.id), ("张老板", admin.id)]


async def test_nobody_verifies_a_rectification_their_own_account_submitted(rig: Rig) -> None:
    """The takeover of issue 13: a supervisor binds his own account as the owner, submits, and comes back to verify."""
    admin = await rig.join(Role.ADMIN, name="市应急局")
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    peer = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(1)))
    await boss.press("交办", message=await boss.expect(f"#{number}"))
    await boss.expect("请选择责任人")
    await boss.send("王五金")
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    owner_code = link_code((await boss.expect("邀请链接")).body)

    await boss.send(f"/start {owner_code}")  # his own account: asked first, then he is the owner and no longer 肖浩
    await boss.press(texts.BUTTON_SWITCH_CONFIRM, message=await boss.expect("一个账号只能绑定一个身份"))
    await boss.expect("绑定成功")
    card = await boss.expect("【整改通知】")
    await boss.press(f"提交整改 #{number}", message=card)
    await boss.send_photo(png(90))
    await boss.press("下一步", message=await boss.expect("已收到 1 张整改后照片"))
    await boss.send("已整改")
    await boss.expect("整改已提交")

    await admin.send("邀请 安监员 青龙镇 肖浩 原因：账号被误绑为责任人")
    alert = await admin.expect("【绑定变更】")  # the admin heard of the account that left 肖浩 for the owner
    assert "王五金" in alert.body
    back = link_code((await admin.expect("已为 肖浩（青龙镇 · 镇安监员）")).body)
    await boss.send(f"/start {back}")
    await boss.press(texts.BUTTON_SWITCH_CONFIRM, message=await boss.expect("一个账号只能绑定一个身份"))
    await boss.expect("绑定成功")
    # The review notice went out while 肖浩 had no account (nothing is held for an unbound person): joining shows
    # what waits instead, and the 复核 buttons, pressed or forged, are refused to him.
    waiting = await boss.expect("1 条整改待复核")
    for move in (Move.VERIFY, Move.REJECT):
        assert await answer_to(boss, encode(HazardPress(number, move)), waiting) == texts.OWN_SUBMISSION
    await boss.send(f"/hazard {number}")
    own_card = await boss.expect(f"隐患 #{number} ")
    assert own_card.buttons == []
    assert await rig.rows("SELECT status FROM hazards") == [("submitted",)]

    peer_review = await peer.expect("【整改待复核】")
    await peer.press("复核通过", message=peer_review)
    await peer.expect(f"隐患 #{number} 复核通过，已销号")
    events = await rig.rows(
        "SELECT e.kind, p.name FROM hazard_events e JOIN people p ON p.id = e.actor_id ORDER BY e.id"
    )
    assert events[-2:] == [("submit", "王五金"), ("verify", "吕丽霞")]
