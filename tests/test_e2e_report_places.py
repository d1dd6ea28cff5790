"""End to end: reporting picks the place from the village's 底数清单 (buttons, typed search, a new place confirmed or
rejected by the supervisor), and 交办 offers the place's 责任人 first."""

from __future__ import annotations

import csv
from pathlib import Path

from bot import texts
from bot.domain.people import Role
from bot.places_file import read_places
from bot.services.container import Services
from sandbox.simusers import BotMessage, SimUser
from tests.flows import answer_to, new_report_photos, officer, submit, supervisor, wait_for
from tests.rig import ROOT, START, Rig, png

EXAMPLE_PLACES = ROOT / "examples" / "places.csv"
HEADER = ["镇", "村", "名称", "类型", "地址", "责任人", "风险等级"]


async def import_places(services: Services, path: Path = EXAMPLE_PLACES) -> None:
    """`gridsafe places import`, through the same service."""
    await services.places.import_entries(await services.places.validate(read_places(path)))


def places_file(folder: Path, rows: list[list[str]]) -> Path:
    path = folder / "places.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


async def to_place_step(user: SimUser, seed: int = 1, village: str | None = None) -> BotMessage:
    """A report from its photo to the place question (a supervisor first picks the village)."""
    await user.send_photo(png(seed))
    await user.press("下一步", message=await new_report_photos(user, "已收到 1 张照片"))
    await user.expect("请简要描述")
    await user.send("灭火器过期未更换")
    await user.press("消防", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))
    if village is not None:
        await user.press(village, message=await user.expect("哪个村"))
    return await user.expect("场所")


async def to_summary(user: SimUser) -> BotMessage:
    """From the location question to the summary."""
    await user.expect("发送当前位置")
    await user.send("跳过")
    return await user.expect("请核对隐患信息")


async def place_id(rig: Rig, name: str) -> int:
    rows = await rig.rows("SELECT id FROM places WHERE name = ?", (name,))
    assert len(rows) == 1, rows
    return int(rows[0][0])


async def test_officer_picks_a_place_by_button_and_assign_offers_its_owner_first(rig: Rig) -> None:
    await import_places(rig.services)
    boss = await supervisor(rig)
    user = await officer(rig)
    question = await to_place_step(user)
    assert question.text == texts.ask_place_from_list(0)
    assert question.body.startswith("请选择隐患所在场所（本村底数清单，常用的在前）。")
    assert sorted(question.buttons[:-1]) == sorted(["新龙门面", "新龙建材店", "新龙诊所", "新龙农家乐"])
    assert question.buttons[-1] == "新场所"  # four places: no 更多
    await user.press("新龙建材店", message=question)
    number = await submit(user, summary := await to_summary(user))
    assert "场所：新龙建材店\n" in summary.body
    shop = await place_id(rig, "新龙建材店")
    assert await rig.rows("SELECT place, place_id FROM hazards WHERE id = ?", (number,)) == [("新龙建材店", shop)]
    assert await rig.rows("SELECT uses FROM places WHERE id = ?", (shop,)) == [(1,)]

    # Most used first: the next report offers the shop first.
    again = await to_place_step(user, seed=2)
    assert again.buttons[0] == "新龙建材店"
    await user.send("/cancel")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect("已取消本次上报")

    # 交办: the place's 责任人 (蔡丽, from the places file) is the first button, alone on its row: one press.
    await boss.press("交办", message=await boss.expect(f"【新隐患·待交办】#{number}"))
    owners = await boss.expect("请选择责任人")
    assert owners.text == texts.ask_owner_place_first("新龙建材店", "蔡丽")
    assert "场所「新龙建材店」的责任人是 蔡丽，点第一个按钮即可交办。" in owners.body
    assert owners.buttons[0] == "蔡丽（场所责任人）" and owners.buttons[-1] == "新责任人"
    assert owners.raw["reply_markup"]["inline_keyboard"][0][0]["text"] == "蔡丽（场所责任人）"
    assert len(owners.raw["reply_markup"]["inline_keyboard"][0]) == 1
    await boss.press("蔡丽（场所责任人）", message=owners)
    await boss.press("7天", message=await boss.expect("请选择整改期限"))
    await boss.expect(f"已将隐患 #{number} 交办给 蔡丽")
    owner = await rig.rows("SELECT owner_id FROM places WHERE id = ?", (shop,))
    assert await rig.rows("SELECT owner_id, status FROM hazards WHERE id = ?", (number,)) == [(owner[0][0], "assigned")]


async def test_typed_search_one_match_several_and_none_becomes_a_new_place_the_supervisor_confirms(
    rig: Rig,
) -> None:
    await import_places(rig.services)
    boss = await supervisor(rig)
    user = await officer(rig)

    # One match (by part of the name): chosen, with a line saying so.
    await to_place_step(user)
    await user.send("建材")
    assert (await user.expect("已选择场所")).text == "已选择场所：新龙建材店（本村底数清单）。"
    await user.send("/cancel")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect("已取消本次上报")

    # By address: 新龙村10组 holds two places; several matches are buttons, beside the offer of a new place.
    await to_place_step(user, seed=2)
    await user.send("10组")
    matches = await user.expect("本村有多个场所包含「10组」")
    assert sorted(matches.buttons[:2]) == ["新龙建材店", "新龙诊所"]
    assert matches.buttons[2:] == ["添加为新场所「10组」", "查看本村场所"]
    await user.press("新龙诊所", message=matches)
    summary = await to_summary(user)
    assert "场所：新龙诊所\n" in summary.body
    clinic = await submit(user, summary)
    assert await rig.rows("SELECT place_id FROM hazards WHERE id = ?", (clinic,)) == [
        (await place_id(rig, "新龙诊所"),)
    ]
    await boss.expect(f"#{clinic}")

    # None: offered as a new place, added as 待核实 with the report.
    await to_place_step(user, seed=3)
    await user.send("王家小卖部")
    none = await user.expect("本村底数清单中没有")
    assert none.text == texts.place_none("王家小卖部")
    assert none.buttons == ["添加为新场所「王家小卖部」", "查看本村场所"]
    await user.press("添加为新场所「王家小卖部」", message=none)
    await user.expect("新场所「王家小卖部」将随隐患一起上报，由镇安监员核实后纳入底数清单。")
    summary = await to_summary(user)
    assert "场所：王家小卖部（新场所，待核实）" in summary.body
    assert await rig.rows("SELECT count(*) FROM places WHERE name = '王家小卖部'") == [(0,)]  # not before 提交
    number = await submit(user, summary)
    shop = await place_id(rig, "王家小卖部")
    reporter = (await rig.rows("SELECT id FROM people WHERE name = '曾英海'"))[0][0]
    assert await rig.rows(
        "SELECT type, grade, status, confirmed, rejected, uses FROM places WHERE id = ?", (shop,)
    ) == [("其他", "yellow", "open", 0, 0, 1)]
    assert await rig.rows("SELECT place, place_id FROM hazards WHERE id = ?", (number,)) == [("王家小卖部", shop)]
    assert await rig.rows("SELECT actor_id, field, to_value FROM place_events WHERE place_id = ?", (shop,)) == [
        (reporter, "created", "王家小卖部")
    ]

    # The town's supervisor gets one message about it with 确认场所 / 驳回, and confirms.
    await boss.expect(f"【新隐患·待交办】#{number}")
    notice = await boss.expect("【新场所·待核实】")
    assert "村（社区）：青龙镇新龙村" in notice.body and "场所：王家小卖部" in notice.body
    assert f"来源：曾英海 上报隐患 #{number} 时新增" in notice.body
    assert notice.buttons == ["确认场所", "驳回"]
    confirm, reject = notice.button_data("确认场所"), notice.button_data("驳回")
    rig.clock.set(START.replace(hour=5))
    await boss.press("确认场所", message=notice)
    done = await boss.expect("已确认场所")
    assert done.text == texts.place_confirmed("王家小卖部", "青龙镇新龙村")
    boss_id = (await rig.rows("SELECT id FROM people WHERE name = '肖浩'"))[0][0]
    assert await rig.rows("SELECT confirmed, rejected FROM places WHERE id = ?", (shop,)) == [(1, 0)]
    events = "SELECT actor_id, at, field, from_value, to_value FROM place_events WHERE place_id = ? ORDER BY id"
    assert (await rig.rows(events, (shop,)))[1:] == [(boss_id, "2026-11-23T05:00:00.000000Z", "confirmed", "0", "1")]
    # The same button again (or 驳回 after it) decides nothing more.
    assert await answer_to(boss, confirm, notice) == texts.PLACE_ALREADY_CONFIRMED
    assert await answer_to(boss, reject, notice) == texts.PLACE_ALREADY_CONFIRMED
    assert len(await rig.rows(events, (shop,))) == 2

    # Now an ordinary place of the village: offered (most used among those used once, then by name).
    offered = await to_place_step(user, seed=4)
    assert "王家小卖部" in offered.buttons


async def test_a_rejected_new_place_keeps_its_hazard_and_is_offered_no_more(rig: Rig) -> None:
    await import_places(rig.services)
    boss = await supervisor(rig)
    user = await officer(rig)
    question = await to_place_step(user)
    await user.press("新场所", message=question)
    assert (await user.expect("请输入新场所的名称")).text == texts.ASK_NEW_PLACE_NAME
    await user.send("河边临时棚")
    await user.expect("新场所「河边临时棚」将随隐患一起上报")
    number = await submit(user, await to_summary(user))
    shed = await place_id(rig, "河边临时棚")
    notice = await boss.expect("【新场所·待核实】")
    await boss.press("驳回", message=notice)
    assert (await boss.expect("已驳回场所")).text == texts.place_rejected("河边临时棚", "青龙镇新龙村")
    assert await rig.rows("SELECT confirmed, rejected, status FROM places WHERE id = ?", (shed,)) == [(0, 1, "closed")]
    boss_id = (await rig.rows("SELECT id FROM people WHERE name = '肖浩'"))[0][0]
    assert await rig.rows(
        "SELECT actor_id, field, from_value, to_value FROM place_events WHERE place_id = ? AND field = 'status'",
        (shed,),
    ) == [(boss_id, "status", "open", "closed")]
    assert await rig.rows("SELECT place, place_id, status FROM hazards WHERE id = ?", (number,)) == [
        ("河边临时棚", shed, "reported")
    ]
    again = await to_place_step(user, seed=2)
    assert "河边临时棚" not in again.buttons


async def test_new_place_typed_with_the_name_of_a_village_place_chooses_that_place(rig: Rig) -> None:
    await import_places(rig.services)
    user = await officer(rig)
    await user.press("新场所", message=await to_place_step(user))
    await user.expect("请输入新场所的名称")
    await user.send("新龙诊所")
    await user.expect("已选择场所：新龙诊所")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.place_id == await place_id(rig, "新龙诊所") and not draft.new_place


async def test_the_button_of_an_earlier_search_adds_that_search(rig: Rig) -> None:
    await import_places(rig.services)
    user = await officer(rig)
    await to_place_step(user)
    await user.send("桥头小卖部")
    first = await user.expect("本村底数清单中没有包含「桥头小卖部」")
    await user.send("村口加油点")
    await user.expect("本村底数清单中没有包含「村口加油点」")
    await user.press("添加为新场所「桥头小卖部」", message=first)
    await user.expect("新场所「桥头小卖部」将随隐患一起上报")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.place == "桥头小卖部" and draft.new_place and draft.place_id is None


async def test_many_places_are_paged_with_more(rig: Rig, tmp_path: Path) -> None:
    rows = [["青龙镇", "新龙村", f"新龙商店{n:02}", "小商店", "", "", "黄"] for n in range(11)]
    await import_places(rig.services, places_file(tmp_path, rows))
    user = await officer(rig)
    first = await to_place_step(user)
    assert first.buttons == [f"新龙商店{n:02}" for n in range(8)] + ["更多 ▶", "新场所"]
    await user.press("更多 ▶", message=first)
    second = await user.next_edit(first)
    assert second.text == texts.ask_place_from_list(1)
    assert second.buttons == ["新龙商店08", "新龙商店09", "新龙商店10", "◀ 返回第一页", "新场所"]
    await user.press("新龙商店10", message=second)
    await to_summary(user)
    draft = await rig.draft_of(user)
    assert draft is not None and draft.place == "新龙商店10"


async def test_a_village_without_places_keeps_free_text(rig: Rig, tmp_path: Path) -> None:
    await import_places(rig.services, places_file(tmp_path, [["青龙镇", "牛冲村", "牛冲面馆", "小餐馆", "", "", "蓝"]]))
    user = await officer(rig)
    question = await to_place_step(user)
    assert question.text == texts.ASK_PLACE and question.buttons == []
    await user.send("幸福超市")
    number = await submit(user, await to_summary(user))
    assert await rig.rows("SELECT place, place_id FROM hazards WHERE id = ?", (number,)) == [("幸福超市", None)]
    assert await rig.rows("SELECT count(*) FROM places") == [(1,)]


async def test_a_supervisor_reporting_for_a_village_gets_its_places(rig: Rig) -> None:
    await import_places(rig.services)
    boss = await supervisor(rig)
    question = await to_place_step(boss, village="牛冲村")
    assert "牛冲面馆" in question.buttons and "新龙诊所" not in question.buttons
    await boss.press("牛冲面馆", message=question)
    number = await submit(boss, await to_summary(boss))
    assert await rig.rows("SELECT place_id FROM hazards WHERE id = ?", (number,)) == [
        (await place_id(rig, "牛冲面馆"),)
    ]


async def test_forged_and_stale_place_buttons_are_refused_and_store_nothing(rig: Rig) -> None:
    await import_places(rig.services)
    user = await officer(rig)
    question = await to_place_step(user)
    draft = await rig.draft_of(user)
    assert draft is not None
    neighbour = await place_id(rig, "牛冲面馆")  # same town, another village
    far = (
        await rig.rows("SELECT id FROM places WHERE town_id != (SELECT town_id FROM villages WHERE name = '新龙村')")
    )[0][0]
    for forged in (neighbour, far, 99_999_999):
        answer = await answer_to(user, f"rp:{draft.token}:pid:{forged}", question)
        assert answer == texts.STALE_BUTTON
    # A button of a cancelled report: stale too.
    stale = question.button_data("新龙诊所")
    await user.send("/cancel")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect("已取消本次上报")
    assert await answer_to(user, stale, question) == texts.STALE_BUTTON
    assert await rig.rows("SELECT count(*) FROM report_drafts") == [(0,)]
    assert await rig.rows("SELECT count(*) FROM hazards") == [(0,)]
    assert await rig.rows("SELECT sum(uses) FROM places") == [(0,)]

    # A place of another town cannot be chosen by typing its exact name either: it is not searched there.
    question = await to_place_step(user, seed=2)
    far_name = (await rig.rows("SELECT name FROM places WHERE id = ?", (far,)))[0][0]
    await user.send(far_name)
    await user.expect("本村底数清单中没有")
    draft = await rig.draft_of(user)
    assert draft is not None and draft.place is None and draft.place_id is None


async def test_only_the_towns_supervisors_may_confirm_a_new_place(rig: Rig) -> None:
    await import_places(rig.services)
    boss = await supervisor(rig)
    outsider = await rig.join(Role.SUPERVISOR, town="白石镇", name="白石镇安监员")
    user = await officer(rig)
    await to_place_step(user)
    await user.send("王家小卖部")
    await user.press("添加为新场所「王家小卖部」", message=await user.expect("本村底数清单中没有"))
    await submit(user, await to_summary(user))
    notice = await boss.expect("【新场所·待核实】")
    confirm = notice.button_data("确认场所")
    shop = await place_id(rig, "王家小卖部")
    await outsider.send("/help")
    their_chat = await outsider.next_message()
    mine = user.inbox[-1]  # the officer's own last message: 已登记
    assert await answer_to(outsider, confirm, their_chat) == texts.PLACE_NOT_FOUND
    assert await answer_to(user, confirm, mine) == texts.PLACE_NOT_FOUND
    assert await answer_to(boss, f"pv:{shop}:maybe", notice) == texts.STALE_BUTTON
    assert await rig.rows("SELECT confirmed, rejected FROM places WHERE id = ?", (shop,)) == [(0, 0)]
    assert await rig.rows("SELECT count(*) FROM place_events WHERE place_id = ?", (shop,)) == [(1,)]
    # One message to each of the town's two supervisors (吕丽霞 has not joined: recorded as undeliverable).
    await wait_for(rig, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'place:%'", [(2,)])
