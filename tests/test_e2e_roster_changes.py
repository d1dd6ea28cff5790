"""End to end: a roster change takes power away at once (re-import, `gridsafe person`, 人员 in chat)."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from bot import texts
from bot.cli import main
from bot.domain.people import Role
from sandbox.simusers import SimUser
from tests.rig import EXAMPLE_ROSTER, Rig
from tests.scenario import bind, report


def _config(rig: Rig, folder: Path) -> Path:
    path = folder / "cli.toml"
    storage = rig.settings.storage
    path.write_text(
        f'[storage]\ndatabase = "{storage.database}"\nmedia_dir = "{storage.media_dir}"\n', encoding="utf-8"
    )
    return path


def _roster_with(folder: Path, change: dict[str, list[str] | None]) -> Path:
    """The example roster with some people's rows replaced (a new row) or left out (None)."""
    with EXAMPLE_ROSTER.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    out = []
    for row in rows:
        if row[2] in change:
            replacement = change[row[2]]
            if replacement is not None:
                out.append(replacement)
        else:
            out.append(row)
    path = folder / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(out)
    return path


async def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = await asyncio.to_thread(main, list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


async def _is_refused(user: SimUser) -> None:
    """Whatever a deactivated person sends or presses gets the one clear answer, and no data."""
    anchor = user.inbox[-1]
    for said in ("/open", "未整改", "/export", "/invite 信息员 新龙村", "/help", "/start", "/mine", "/hazard 1"):
        await user.send(said)
        assert (await user.next_message()).text == texts.DEACTIVATED, said
    await user.press_data("hz:1:assign", anchor)
    assert (await user.next_callback_answer())["text"] == texts.DEACTIVATED_BUTTON


async def test_reimport_without_a_supervisor_lists_him_then_deactivates_him_when_asked(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xiao = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    # Made before the re-import (he is bound, so only with a reason, as for a new phone).
    old_invite = await rig.invite(Role.SUPERVISOR, town="青龙镇", name="肖浩", reason="换了手机")
    config = _config(rig, tmp_path)
    roster = _roster_with(tmp_path, {"肖浩": None})

    code, said = await _cli(capsys, "-c", str(config), "roster", "import", str(roster))
    assert code == 0
    assert "停用 1 人" in said and "肖浩（青龙镇 · 镇安监员）" in said
    assert f"gridsafe roster import {roster} --apply-removals" in said
    assert await rig.rows("SELECT deactivated_at FROM people WHERE name = '肖浩'") == [(None,)]

    code, said = await _cli(capsys, "-c", str(config), "roster", "import", str(roster), "--apply-removals")
    assert code == 0 and "已执行" in said
    await _is_refused(xiao)
    # The invite made before the re-import binds nobody.
    stranger = rig.stranger("冒名者")
    await stranger.send(f"/start {old_invite}")
    assert (await stranger.next_message()).text == texts.INVITE_EXPIRED
    assert await rig.rows(
        "SELECT b.end_reason FROM telegram_bindings b JOIN people p ON p.id = b.person_id WHERE p.name = '肖浩'"
    ) == [("deactivated",)]
    assert await rig.rows(
        "SELECT COUNT(*) FROM telegram_bindings WHERE ended_at IS NULL AND telegram_user_id = ?", (stranger.id,)
    ) == [(0,)]
    # New hazards of 青龙镇 go to the supervisor still on the roster, not to him.
    officer = await bind(rig.services, Role.OFFICER, village="新龙村")
    await bind(rig.services, Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    hazard = await report(rig.services, officer)
    told = await rig.rows(
        "SELECT p.name FROM outbox o JOIN people p ON p.id = o.person_id WHERE o.dedupe_key LIKE ?", (f"%{hazard.id}%",)
    )
    assert ("吕丽霞",) in told and ("肖浩",) not in told
    # Back on the roster (same place): the same entry again, and a new invite binds him.
    code, said = await _cli(capsys, "-c", str(config), "roster", "import", str(EXAMPLE_ROSTER), "--apply-removals")
    assert await rig.rows("SELECT COUNT(*), MAX(deactivated_at) FROM people WHERE name = '肖浩'") == [(1, None)]
    await xiao.send(f"/start {await rig.invite(Role.SUPERVISOR, town='青龙镇', name='肖浩')}")
    await xiao.expect("绑定成功")


async def test_reimport_moving_a_supervisor_moves_his_binding_and_powers(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xiao = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    officer = await bind(rig.services, Role.OFFICER, village="新龙村")
    old_town_hazard = await report(rig.services, officer)
    config = _config(rig, tmp_path)
    roster = _roster_with(tmp_path, {"肖浩": ["白石镇", "", "肖浩", "supervisor", "13884472940"]})

    code, said = await _cli(capsys, "-c", str(config), "roster", "import", str(roster), "--apply-removals")
    assert code == 0
    assert "调动 1 人" in said and "肖浩（镇安监员）青龙镇 → 白石镇" in said
    old, new = await rig.rows(
        "SELECT id, town_id, deactivated_at IS NOT NULL, moved_to FROM people WHERE name = '肖浩' ORDER BY id"
    )
    assert old[2] == 1 and old[3] == new[0] and new[2] == 0
    assert await rig.rows(
        "SELECT person_id FROM telegram_bindings WHERE telegram_user_id = ? AND ended_at IS NULL", (xiao.id,)
    ) == [(new[0],)]
    # He acts only in the new town: the old town's hazard is as unknown to him as one that does not exist.
    await xiao.send(f"/hazard {old_town_hazard.id}")
    assert (await xiao.next_message()).text == texts.hazard_not_found(old_town_hazard.id)
    await xiao.send("/start")
    assert "白石镇" in (await xiao.next_message()).body
    # The hazard keeps its history.
    assert await rig.rows("SELECT reporter_id FROM hazards WHERE id = ?", (old_town_hazard.id,)) == [(officer.id,)]


async def test_admin_deactivates_and_moves_people_in_chat(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="杜浩")
    xiao = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    lv = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    old_invite = await rig.invite(Role.SUPERVISOR, town="青龙镇", name="肖浩", reason="换了手机")

    await xiao.send("人员 停用 吕丽霞")  # a supervisor may not
    assert (await xiao.next_message()).text == texts.NOT_ALLOWED
    await admin.send("/person")
    assert (await admin.next_message()).text == texts.PERSON_USAGE
    await admin.send("人员 停用 肖浩")
    reply = (await admin.next_message()).body
    assert "已停用 肖浩（青龙镇 · 镇安监员）" in reply and "作废未使用的邀请 1 个" in reply
    await _is_refused(xiao)
    stranger = rig.stranger()
    await stranger.send(f"/start {old_invite}")
    assert (await stranger.next_message()).text == texts.INVITE_EXPIRED

    await admin.send("人员 调动 吕丽霞 白石镇")
    assert "已将 吕丽霞（镇安监员）从 青龙镇 调到 白石镇" in (await admin.next_message()).body
    await lv.send("/start")
    assert "白石镇" in (await lv.next_message()).body
    assert await rig.rows(
        "SELECT t.name FROM telegram_bindings b JOIN people p ON p.id = b.person_id JOIN towns t ON t.id = p.town_id"
        " WHERE b.telegram_user_id = ? AND b.ended_at IS NULL",
        (lv.id,),
    ) == [("白石镇",)]
    await admin.send("人员 停用 不存在的人")
    assert (await admin.next_message()).text == texts.person_not_found("不存在的人", None)


async def test_a_name_shared_by_two_people_asks_for_the_place(rig: Rig) -> None:
    admin = await rig.join(Role.ADMIN, name="杜浩")
    await rig.invite(Role.OFFICER, village="新龙村", name="王伟")
    await rig.invite(Role.OFFICER, village="牛冲村", name="王伟")
    await admin.send("人员 停用 王伟")
    reply = (await admin.next_message()).body
    assert "2 位「王伟」" in reply and "青龙镇新龙村" in reply and "青龙镇牛冲村" in reply
    await admin.send("人员 停用 王伟 牛冲村")
    assert "已停用 王伟（青龙镇牛冲村 · 信息员）" in (await admin.next_message()).body
    assert await rig.rows(
        "SELECT v.name FROM people p JOIN villages v ON v.id = p.village_id"
        " WHERE p.name = '王伟' AND p.deactivated_at IS NULL"
    ) == [("新龙村",)]


async def test_a_deactivated_owner_is_not_offered_at_assignment(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = rig.services
    owner = await bind(services, Role.OWNER, village="新龙村", name="张老板")
    await services.invites.create(Role.OWNER, village="新龙村", name="李老板")
    officer = await bind(services, Role.OFFICER, village="新龙村")
    hazard = await report(services, officer)
    config = _config(rig, tmp_path)
    code, said = await _cli(capsys, "-c", str(config), "person", "deactivate", "张老板")
    assert code == 0 and "已停用 张老板（青龙镇新龙村 · 责任人）" in said
    assert [p.name for p in await services.rectification.owner_options(hazard)] == ["李老板"]
    assert owner.telegram_user_id is not None
    assert await services.access.actor(owner.telegram_user_id) is None
    code, said = await _cli(capsys, "-c", str(config), "person", "move", "李老板", "--to", "牛冲村")
    assert code == 0 and "从 青龙镇新龙村 调到 青龙镇牛冲村" in said
    assert await services.rectification.owner_options(hazard) == []
    code, said = await _cli(capsys, "-c", str(config), "person", "move", "杜浩", "--to", "白石镇")
    assert code == 1 and texts.PERSON_CANNOT_MOVE["admin"] in said
