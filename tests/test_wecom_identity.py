"""WeCom identity: the roster's optional WeCom account column, and who a WeCom account is in storage.

The column (wecom_userid / 企业微信账号) is validated with the rest of the file (all or nothing, with row reasons);
a WeCom account is one person's at a time, compared without case as WeCom does; a moved person's follows them; a
deactivated person's is kept (so WeCom can tell them) until it is given to someone else.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import FakeClock
from bot.domain.errors import RosterInvalid
from bot.domain.people import Channel, Role
from bot.domain.roster import validate
from bot.roster_file import read_roster
from bot.services.container import Services
from bot.services.roster import ImportSummary
from storage.roster import RosterRepository
from tests.rig import make_settings
from tests.scenario import bind, report
from tests.test_database_faults import write_lock

HEADER = ["镇", "村", "姓名", "角色", "电话", "企业微信账号"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


async def _import(services: Services, folder: Path, rows: list[list[str]], header: list[str] = HEADER) -> ImportSummary:
    path = _csv(folder / "wecom.csv", [header, *rows])
    return await services.roster.import_entries(validate(read_roster(path)))


async def test_people_imported_with_a_wecom_account_are_known_by_it_at_once(services: Services, tmp_path: Path) -> None:
    summary = await _import(
        services,
        tmp_path,
        [["青龙镇", "新龙村", "王伟", "信息员", "", "WangWei"], ["青龙镇", "", "赵刚", "镇安监员", "", ""]],
    )
    assert summary.added == 2
    actor = await services.access.wecom_actor("wangwei")  # WeCom compares accounts without case
    assert actor is not None
    assert (actor.name, actor.role, actor.channel, actor.wecom_userid) == (
        "王伟",
        Role.OFFICER,
        Channel.WECOM,
        "WangWei",
    )
    assert actor.telegram_user_id is None and actor.chat_id is None
    assert await services.access.wecom_userid(actor.id) == "WangWei"
    zhao = (await services.roster.matching("赵刚"))[0]
    assert await services.access.wecom_userid(zhao.id) is None
    assert await services.access.wecom_userids([actor.id, zhao.id]) == {actor.id: "WangWei"}
    assert await services.access.wecom_actor("nobody") is None
    assert not await services.access.wecom_deactivated("nobody")


def test_bad_wecom_accounts_refuse_the_whole_file_with_row_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "data/g.db"\nmedia_dir = "data/media"\n', encoding="utf-8")
    rows = [
        HEADER,
        ["青龙镇", "新龙村", "王伟", "信息员", "", "wangwei"],  # row 2: fine
        ["青龙镇", "牛冲村", "吕燕", "信息员", "", "WANGWEI"],  # row 3: row 2's account, other case
        ["青龙镇", "", "赵刚", "镇安监员", "", "赵刚"],  # row 4: not a WeCom account
        ["青龙镇", "", "肖浩", "镇安监员", "", "-dash"],  # row 5: may not start with -
        ["青龙镇", "新龙村", "张老板", "责任人", "", "x" * 65],  # row 6: over 64
    ]
    path = _csv(tmp_path / "bad.csv", rows)
    assert main(["-c", str(config), "roster", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "名册有 4 处错误，未导入任何数据" in err
    assert "第 3 行：企业微信账号「WANGWEI」与第 2 行重复" in err
    assert "第 4 行：企业微信账号「赵刚」格式不正确（1 至 64 位字母、数字或 _-@.）" in err
    assert "第 5 行：企业微信账号「-dash」格式不正确" in err
    assert "第 6 行：企业微信账号「" + "x" * 65 + "」格式不正确" in err
    database = tmp_path / "data" / "g.db"
    if database.exists():
        with sqlite3.connect(database) as conn:
            assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 0


def test_english_header_and_good_file_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "data/g.db"\nmedia_dir = "data/media"\n', encoding="utf-8")
    header = ["town", "village", "name", "role", "phone", "wecom_userid"]
    path = _csv(tmp_path / "good.csv", [header, ["青龙镇", "新龙村", "王伟", "officer", "", "wang.wei@xl"]])
    assert main(["-c", str(config), "roster", "import", str(path)]) == 0
    assert "新增 1 人" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "data" / "g.db") as conn:
        assert conn.execute("SELECT name, wecom_userid FROM people").fetchall() == [("王伟", "wang.wei@xl")]


async def test_reimport_keeps_updates_hands_over_and_swaps_accounts(services: Services, tmp_path: Path) -> None:
    first = [["青龙镇", "新龙村", "王伟", "信息员", "", "w1"], ["青龙镇", "牛冲村", "吕燕", "信息员", "", "l1"]]
    await _import(services, tmp_path, first)
    wang = (await services.roster.matching("王伟"))[0]
    lv = (await services.roster.matching("吕燕"))[0]
    # No column (or an empty cell): the accounts stay.
    kept = await _import(services, tmp_path, [r[:5] for r in first], header=HEADER[:5])
    assert (kept.updated, kept.unchanged) == (0, 2)
    assert await services.access.wecom_userids([wang.id, lv.id]) == {wang.id: "w1", lv.id: "l1"}
    # The same account in another case is no change.
    same = await _import(services, tmp_path, [[*first[0][:5], "W1"], first[1]])
    assert same.updated == 0
    # Two people swap their accounts in one file.
    swapped = await _import(services, tmp_path, [[*first[0][:5], "l1"], [*first[1][:5], "w1"]])
    assert swapped.updated == 2
    assert await services.access.wecom_userids([wang.id, lv.id]) == {wang.id: "l1", lv.id: "w1"}
    # An account given to a new row leaves the person who held it.
    new = await _import(services, tmp_path, [["青龙镇", "新龙村", "周敏", "信息员", "", "W1"]])
    assert new.added == 1
    zhou = (await services.roster.matching("周敏"))[0]
    assert await services.access.wecom_userids([wang.id, lv.id, zhou.id]) == {wang.id: "l1", zhou.id: "W1"}


async def test_a_deactivated_person_keeps_the_account_to_be_told_a_moved_one_takes_it_along(
    services: Services, tmp_path: Path
) -> None:
    await _import(
        services,
        tmp_path,
        [["青龙镇", "新龙村", "王伟", "信息员", "", "wangwei"], ["青龙镇", "新龙村", "张三", "责任人", "", "zhangsan"]],
    )
    wang = (await services.roster.matching("王伟"))[0]
    await services.roster.deactivate(wang)
    assert await services.access.wecom_actor("wangwei") is None
    assert await services.access.wecom_deactivated("wangwei")
    assert await services.access.wecom_userids([wang.id]) == {}  # nobody sends to a deactivated person
    zhang = (await services.roster.matching("张三"))[0]
    moved = await services.roster.move(zhang, "牛冲村")
    assert moved.now_at is not None and moved.was_bound
    actor = await services.access.wecom_actor("zhangsan")
    assert actor is not None and actor.id == moved.now_at.id and actor.village_name == "牛冲村"
    assert await services.access.wecom_userid(zhang.id) is None


async def test_binding_an_account_takes_it_from_its_holder(services: Services, tmp_path: Path) -> None:
    await _import(services, tmp_path, [["青龙镇", "新龙村", "王伟", "信息员", "", "wangwei"]])
    wang = (await services.roster.matching("王伟"))[0]
    other = (await services.roster.matching("吕燕"))[0]
    async with services.db.transaction() as tx:
        assert await RosterRepository(services.db).bind_wecom(tx, other.id, "WangWei", services.clock.now()) == wang.id
    actor = await services.access.wecom_actor("wangwei")
    assert actor is not None and actor.id == other.id
    assert await services.access.wecom_userid(wang.id) is None


async def test_the_last_channel_is_recorded_when_it_changes(services: Services, tmp_path: Path) -> None:
    await _import(services, tmp_path, [["青龙镇", "新龙村", "王伟", "信息员", "", "wangwei"]])
    on_wecom = await services.access.wecom_actor("wangwei")
    assert on_wecom is not None and on_wecom.last_channel is None
    await services.access.used(on_wecom)
    person = await services.access.person(on_wecom.id)
    assert person is not None and person.last_channel is Channel.WECOM
    officer = await bind(services, Role.OFFICER, village="新龙村", name="王伟")  # binding Telegram records it too
    assert officer.id == on_wecom.id and officer.channel is Channel.TELEGRAM
    assert officer.last_channel is Channel.TELEGRAM
    await services.access.used(on_wecom)
    person = await services.access.person(on_wecom.id)
    assert person is not None and person.last_channel is Channel.WECOM


async def test_a_database_locked_past_the_wait_leaves_the_channel_as_it_was(tmp_path: Path, clock: FakeClock) -> None:
    """The channel last used is a hint for routing: it never fails the input that would record it."""
    services = await Services.open(
        make_settings(tmp_path, STORAGE__WRITE_WAIT_SECONDS="0.2"), clock, create_database=True
    )
    try:
        await _import(services, tmp_path, [["青龙镇", "新龙村", "王伟", "信息员", "", "wangwei"]])
        actor = await services.access.wecom_actor("wangwei")
        assert actor is not None
        with write_lock(services.settings.storage.database):
            await services.access.used(actor)  # no DatabaseBusy
        person = await services.access.person(actor.id)
        assert person is not None and person.last_channel is None
    finally:
        await services.close()


async def test_an_owner_on_wecom_counts_as_using_gridsafe(services: Services, tmp_path: Path) -> None:
    """The officer stands in (代为提交) only for owners on no channel; an owner on WeCom submits themself."""
    await _import(services, tmp_path, [["青龙镇", "新龙村", "张老板", "责任人", "", "zhang"]])
    officer = await bind(services, Role.OFFICER, village="新龙村")
    hazard = await report(services, officer)
    owner = (await services.roster.matching("张老板"))[0]
    async with services.db.transaction() as tx:
        await tx.execute("UPDATE hazards SET owner_id = ? WHERE id = ?", (owner.id, hazard.id))
    seen = await services.rectification.visible(officer, hazard.id)
    assert seen.owner_bound


def test_validate_reads_the_column_without_case_for_duplicates() -> None:
    with pytest.raises(RosterInvalid) as caught:
        validate(
            [
                (2, {"town": "青龙镇", "village": "新龙村", "name": "甲", "role": "officer", "wecom_userid": "a"}),
                (3, {"town": "青龙镇", "village": "新龙村", "name": "乙", "role": "officer", "wecom_userid": "A"}),
            ]
        )
    assert [(p.row, p.other_row, p.value) for p in caught.value.problems] == [(3, 2, "A")]
