"""/invite (邀请) in chat: supervisors invite the people of their own town, admins anyone; the link binds."""

from __future__ import annotations

import re

from bot import texts
from bot.domain.people import Role
from sandbox.simusers import SimUser
from tests.rig import Rig


def link_code(text: str) -> str:
    match = re.search(r"https://t\.me/gridsafe_test_bot\?start=([A-Za-z0-9_-]+)", text)
    assert match is not None, text
    return match.group(1)


async def follow(rig: Rig, code: str, first_name: str) -> SimUser:
    person = rig.stranger(first_name)
    await person.send(f"/start {code}")
    return person


async def test_supervisor_invites_the_villages_officer_who_binds_with_the_link(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("邀请")
    assert (await boss.next_message()).text == texts.invite_usage(Role.SUPERVISOR)
    await boss.send("邀请 信息员 新龙村")
    answer = await boss.expect("已为 曾英海（青龙镇新龙村 · 信息员）生成邀请链接")
    officer = await follow(rig, link_code(answer.body), "曾英海")
    welcome = await officer.expect("绑定成功")
    assert "青龙镇新龙村 · 信息员" in welcome.body
    rows = await rig.rows(
        "SELECT p.name, c.name FROM invites i JOIN people p ON p.id = i.person_id"
        " JOIN people c ON c.id = i.created_by WHERE i.used_at IS NOT NULL"
    )
    assert rows == [("曾英海", "肖浩")]


async def test_supervisor_names_a_new_owner_and_the_roster_gets_them(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("/invite 责任人 新龙村 王老板")
    answer = await boss.expect("王老板（青龙镇新龙村 · 责任人）")
    owner = await follow(rig, link_code(answer.body), "王老板")
    await owner.expect("绑定成功")
    assert await rig.rows("SELECT role FROM people WHERE name = '王老板'") == [("owner",)]
    await boss.send("邀请 安监员 青龙镇 吕丽霞")  # a colleague of the same town
    await boss.expect("吕丽霞（青龙镇 · 镇安监员）")


async def test_supervisor_cannot_invite_outside_their_town_or_an_admin(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    before = await rig.rows("SELECT COUNT(*) FROM invites")
    for text in ("邀请 信息员 白石镇/民溪村", "邀请 安监员 白石镇", "邀请 管理员 值班员"):
        await boss.send(text)
        assert (await boss.next_message()).text == texts.INVITE_NOT_ALLOWED, text
    await boss.send("邀请 信息员 民溪村")  # a village of another town is not among the town's villages
    assert (await boss.next_message()).text == texts.unknown_village("民溪村")
    assert await rig.rows("SELECT COUNT(*) FROM invites") == before
    assert await rig.rows("SELECT COUNT(*) FROM people WHERE name = '值班员'") == [(0,)]


async def test_admin_invites_anyone_anywhere(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")
    await admin.send("邀请 信息员 白石镇/民溪村")
    await admin.expect("冯军（白石镇民溪村 · 信息员）")
    await admin.send("邀请 安监员 白石镇")
    await admin.expect("余秀琴（白石镇 · 镇安监员）")
    await admin.send("邀请 管理员 值班员")
    answer = await admin.expect("值班员（")
    duty = await follow(rig, link_code(answer.body), "值班员")
    await duty.expect("绑定成功")
    assert await rig.rows("SELECT role FROM people WHERE name = '值班员'") == [("admin",)]


async def test_unclear_requests_are_explained(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="市应急局")
    await admin.send("邀请 信息员")  # no village
    assert (await admin.next_message()).text == texts.invite_usage(Role.ADMIN)
    await admin.send("邀请 村长 新龙村")  # not a role
    assert (await admin.next_message()).text == texts.invite_usage(Role.ADMIN)
    await admin.send("邀请 安监员 不存在镇")
    assert (await admin.next_message()).text == texts.unknown_town("不存在镇")
    await admin.send("邀请 责任人 新龙村")  # no owner in the roster yet, and no name given
    assert (await admin.next_message()).text == texts.INVITE_CHAT_NEEDS_NEW_NAME


async def test_officers_and_owners_may_not_invite(rig: Rig) -> None:
    officer = await rig.join(Role.OFFICER, village="新龙村")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    for person in (officer, owner):
        await person.send("邀请 信息员 新龙村")
        assert (await person.next_message()).text == texts.NOT_ALLOWED
    assert await rig.rows("SELECT COUNT(*) FROM invites WHERE created_by IS NOT NULL") == [(0,)]
