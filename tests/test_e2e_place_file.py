"""End to end: a place's file (/place, 场所) per role and scope; changes of grade, owner and status as events; an
officer's grade change waits for a supervisor's 同意; forged and stale buttons change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import texts
from bot.chat.actions import PlaceDecision, PlacePress, PlaceVerb, encode
from bot.domain.people import Role
from bot.domain.places import Grade
from bot.places_file import read_places
from bot.services.container import Services
from sandbox.simusers import SimUser
from tests.flows import answer_to, officer, reported, sha, supervisor
from tests.rig import Rig, png

EXAMPLE_PLACES = Path(__file__).resolve().parents[1] / "examples" / "places.csv"
SHOP = "新龙建材店"  # 青龙镇新龙村, 小商店, red, owner 蔡丽
NEIGHBOUR_SHOP = "牛冲副食店"  # 青龙镇牛冲村
FAR_SHOP = "南屯竹编厂"  # 东湖街道南屯社区


async def import_places(services: Services) -> None:
    """Load examples/places.csv, as `gridsafe places import` does."""
    await services.places.import_entries(await services.places.validate(read_places(EXAMPLE_PLACES)))


async def place_id(rig: Rig, name: str) -> int:
    rows = await rig.rows("SELECT id FROM places WHERE name = ?", (name,))
    assert len(rows) == 1, rows
    return int(rows[0][0])


@pytest.fixture
async def placed(rig: Rig) -> Rig:
    await import_places(rig.services)
    return rig


async def card_of(user: SimUser, name: str) -> str:
    await user.send(f"场所 {name}")
    return (await user.expect("【场所档案】")).body


async def test_the_card_shows_the_file_to_each_role_within_its_scope(placed: Rig) -> None:
    rig = placed
    shop = await place_id(rig, SHOP)
    user = await officer(rig)
    card = await card_of(user, SHOP)
    assert f"【场所档案】{SHOP}（编号 {shop}）" in card
    assert "青龙镇新龙村 · 小商店" in card and "风险等级：红" in card and "责任人：蔡丽" in card
    assert "状态：在营" in card and "隐患：未关闭 0 条 · 已关闭 0 条" in card and "排查到访 0 次，尚未到访" in card
    assert "最近变更：" in card and "清单导入 建档" in card
    assert user.inbox[-1].buttons == [texts.OFFICER_GRADE_BUTTON]
    await user.send(f"/place {shop}")  # by its number
    assert f"（编号 {shop}）" in (await user.expect("【场所档案】")).body
    for outside in (NEIGHBOUR_SHOP, FAR_SHOP):  # another village of the town, another town: as if it did not exist
        await user.send(f"场所 {outside}")
        assert (await user.next_message()).text == texts.place_not_found(outside)

    boss = await supervisor(rig)
    await card_of(boss, NEIGHBOUR_SHOP)  # the whole town
    assert boss.inbox[-1].buttons == list(texts.FIELD_BUTTONS.values())
    await boss.send(f"场所 {FAR_SHOP}")
    assert (await boss.next_message()).text == texts.place_not_found(FAR_SHOP)

    admin = await rig.join(Role.ADMIN, name="市应急局")
    await card_of(admin, FAR_SHOP)
    assert admin.inbox[-1].buttons == list(texts.FIELD_BUTTONS.values())

    owner = await rig.join(Role.OWNER, village="新龙村", name="蔡丽")
    await owner.send("场所")  # their own places to pick from
    mine = await owner.expect(texts.PLACE_USAGE)
    assert mine.buttons == [f"{SHOP}（新龙村）"]
    await owner.press(f"{SHOP}（新龙村）", message=mine)
    assert f"【场所档案】{SHOP}" in (await owner.expect("【场所档案】")).body
    assert owner.inbox[-1].buttons == []  # their own place, no buttons
    await owner.send("场所 新龙诊所")  # a place of their village, not theirs
    assert (await owner.next_message()).text == texts.place_not_found("新龙诊所")


async def test_a_name_matching_several_places_offers_buttons(placed: Rig) -> None:
    boss = await supervisor(placed)
    await boss.send("场所 新龙")
    choice = await boss.expect("个场所与「新龙」相符，请选择")
    assert "新龙建材店（新龙村）" in choice.buttons
    await boss.press("新龙建材店（新龙村）", message=choice)
    assert "【场所档案】新龙建材店" in (await boss.expect("【场所档案】")).body
    await boss.send("场所")  # a town has too many places to offer
    usage = await boss.next_message()
    assert (usage.text, usage.buttons) == (texts.PLACE_USAGE, [])
    await boss.send("场所 没有这个地方")
    assert (await boss.next_message()).text == texts.place_not_found("没有这个地方")


async def test_supervisor_changes_grade_owner_and_status_each_an_event(placed: Rig) -> None:
    rig = placed
    shop = await place_id(rig, SHOP)
    boss = await supervisor(rig)
    await card_of(boss, SHOP)
    await boss.press("修改风险等级")
    await boss.press("黄色", message=await boss.expect(texts.ASK_GRADE))
    edited = await boss.next_edit(boss.inbox[-1])
    assert "风险等级：黄" in edited.body and "肖浩 风险等级 红→黄" in edited.body
    await boss.press("修改状态", message=edited)
    await boss.press("停业整顿", message=await boss.expect(texts.ASK_STATUS))
    assert "状态：停业整顿" in (await boss.next_edit(boss.inbox[-1])).body
    await boss.press("更换责任人", message=boss.inbox[-1])
    owners = await boss.expect("请选择新的责任人")
    await boss.press("唐英", message=owners)  # 新龙诊所's owner, a roster owner of 新龙村
    assert "责任人：唐英" in (await boss.next_edit(owners)).body
    await boss.send(f"场所 {shop} 责任人 蔡丽")  # typed
    await boss.expect(texts.PLACE_CHANGED)
    assert "肖浩 责任人 唐英→蔡丽" in (await boss.expect("【场所档案】")).body
    await boss.send(f"场所 {shop} 责任人 吕秀")  # an owner of another village
    assert (await boss.next_message()).text == texts.owner_not_in_village("吕秀")
    rows = await rig.rows(
        "SELECT e.field, e.from_value, e.to_value, p.name FROM place_events e JOIN people p ON p.id = e.actor_id"
        " WHERE e.place_id = ? ORDER BY e.id",
        (shop,),
    )
    owners_ids = dict(await rig.rows("SELECT name, id FROM people WHERE name IN ('蔡丽', '唐英')"))
    assert rows == [
        ("grade", "red", "yellow", "肖浩"),
        ("status", "open", "suspended", "肖浩"),
        ("owner", str(owners_ids["蔡丽"]), str(owners_ids["唐英"]), "肖浩"),
        ("owner", str(owners_ids["唐英"]), str(owners_ids["蔡丽"]), "肖浩"),
    ]
    assert await rig.rows("SELECT grade, status FROM places WHERE id = ?", (shop,)) == [("yellow", "suspended")]


async def test_officer_grade_change_waits_for_the_supervisor(placed: Rig) -> None:
    rig = placed
    shop = await place_id(rig, SHOP)
    user = await officer(rig)
    boss = await supervisor(rig)
    other = await supervisor(rig, "吕丽霞")
    await card_of(user, SHOP)
    await user.press(texts.OFFICER_GRADE_BUTTON)
    await user.press("橙色", message=await user.expect(texts.ASK_GRADE_OFFICER))
    asked = await user.next_edit(user.inbox[-1])
    assert "风险等级：红（申请改为 橙，待镇安监员确认）" in asked.body
    assert await rig.rows("SELECT grade FROM places WHERE id = ?", (shop,)) == [("red",)]
    request = await boss.expect("【风险等级变更待确认】")
    assert request.body == texts.grade_request("新龙村", SHOP, "曾英海", Grade.RED, Grade.ORANGE)
    await other.expect("【风险等级变更待确认】")
    # A second request while one waits changes nothing.
    await user.send(f"场所 {SHOP}")
    await user.press(texts.OFFICER_GRADE_BUTTON, message=await user.expect("【场所档案】"))
    await user.press("黄色", message=await user.expect(texts.ASK_GRADE_OFFICER))
    await user.wait_until(
        lambda: bool(user.callback_answers) and user.callback_answers[-1].get("text") == texts.PLACE_WAITING
    )
    # An officer may not decide; a supervisor of another town may not either.
    assert await answer_to(user, request.button_data("同意"), request) == texts.NOT_ALLOWED
    far = await rig.join(Role.SUPERVISOR, town="东湖街道", name="远方")
    assert await answer_to(far, request.button_data("同意"), request) == texts.NOT_ALLOWED
    await boss.press("同意", message=request)
    await boss.expect(texts.decision_toast(True, True))
    told = await user.expect("【风险等级变更】")
    assert told.body == texts.grade_decided("新龙村", SHOP, Grade.ORANGE, "肖浩", True, True)
    assert await rig.rows("SELECT grade FROM places WHERE id = ?", (shop,)) == [("orange",)]
    # The other supervisor's button is stale now.
    second = other.inbox[-1]
    assert await answer_to(other, second.button_data("不同意"), second) == texts.STALE_BUTTON
    assert await rig.rows(
        "SELECT r.from_value, r.to_value, r.approved, a.name FROM place_requests r JOIN people a ON a.id = r.decided_by"
    ) == [("red", "orange", 1, "肖浩")]
    events = await rig.rows(
        "SELECT field, from_value, to_value FROM place_events WHERE place_id = ? AND actor_id IS NOT NULL", (shop,)
    )
    assert events == [("grade", "red", "orange")]
    card = await card_of(user, SHOP)
    assert "风险等级：橙" in card and "肖浩 风险等级 红→橙" in card


async def test_forged_and_stale_place_buttons_change_nothing(placed: Rig) -> None:
    rig = placed
    far = await place_id(rig, FAR_SHOP)
    shop = await place_id(rig, SHOP)
    boss = await supervisor(rig)
    user = await officer(rig)
    await card_of(boss, SHOP)
    card = boss.inbox[-1]
    # A place of another town, pressed through forged data: as if it did not exist.
    forged = encode(PlacePress(far, PlaceVerb.SET_GRADE, "blue"))
    assert await answer_to(boss, forged, card) == texts.place_not_found(str(far))
    # Officers may change only the grade (by asking); owners nothing.
    status = encode(PlacePress(shop, PlaceVerb.SET_STATUS, "closed"))
    await card_of(user, SHOP)
    assert await answer_to(user, status, user.inbox[-1]) == texts.NOT_ALLOWED
    await user.send(f"场所 {shop} 责任人 唐英")  # an officer may not change the owner by typing either
    assert (await user.next_message()).text == texts.NOT_ALLOWED
    owner = await rig.join(Role.OWNER, village="新龙村", name="蔡丽")
    await card_of(owner, SHOP)
    grade = encode(PlacePress(shop, PlaceVerb.SET_GRADE, "blue"))
    assert await answer_to(owner, grade, owner.inbox[-1]) == texts.NOT_ALLOWED
    assert await answer_to(owner, encode(PlacePress(shop, PlaceVerb.GRADE)), owner.inbox[-1]) == texts.NOT_ALLOWED
    # Malformed data and an unknown request are stale.
    for data in (f"pf:{shop}:g:purple", f"pf:{shop}:o:abc", f"pf:{shop}:grade:x", encode(PlaceDecision(999, True))):
        assert await answer_to(boss, data, card) == texts.STALE_BUTTON
    assert await rig.rows("SELECT grade, status FROM places WHERE id = ?", (shop,)) == [("red", "open")]
    assert await rig.rows("SELECT status FROM places WHERE id = ?", (far,)) == [("open",)]
    assert await rig.rows("SELECT count(*) FROM place_events WHERE actor_id IS NOT NULL") == [(0,)]
    assert await rig.rows("SELECT count(*) FROM place_requests") == [(0,)]


async def test_officer_logs_visits_by_button_and_finishes_the_weekly_check(placed: Rig) -> None:
    rig = placed
    user = await officer(rig)
    await user.send("排查")
    await user.expect("还没有登记排查")
    visits = await user.expect("本周已到访场所 0 处")
    assert visits.buttons == ["红 新龙建材店", "黄 新龙诊所", "蓝 新龙农家乐", "蓝 新龙门面", texts.BUTTON_CHECK_DONE]
    await user.press("红 新龙建材店", message=visits)
    edited = await user.next_edit(visits)
    assert "本周已到访场所 1 处" in edited.body and "红 新龙建材店" not in edited.buttons
    assert user.callback_answers[-1].get("text") == texts.PLACE_VISITED
    shop = await place_id(rig, SHOP)
    assert await rig.rows("SELECT place_id, photo_sha256 FROM place_visits") == [(shop, None)]
    # A forged press on a place of the neighbouring village logs nothing.
    neighbour = encode(PlacePress(await place_id(rig, NEIGHBOUR_SHOP), PlaceVerb.VISIT))
    assert await answer_to(user, neighbour, visits) == texts.NOT_A_VILLAGE_PLACE
    await user.press(texts.BUTTON_CHECK_DONE, message=visits)
    logged = await user.expect("已登记")
    assert "检查场所 1 处" in logged.body
    assert await rig.rows("SELECT kind, period, places_checked FROM checks") == [("village", "2026-W48", 1)]
    assert await rig.rows("SELECT count(*) FROM place_visits") == [(1,)]
    card = await card_of(user, SHOP)
    assert "排查到访 1 次，最近 2026-11-23 10:00 曾英海" in card


async def test_a_photo_captioned_with_a_place_logs_a_visit_and_other_photos_still_report(placed: Rig) -> None:
    rig = placed
    user = await officer(rig)
    await user.send_photo(png(3), caption="新龙诊所")
    assert (await user.next_message()).text == texts.visited_photo("新龙诊所")
    await user.send_photo(png(4), caption="排查 新龙门面")
    assert (await user.next_message()).text == texts.visited_photo("新龙门面")
    rows = await rig.rows(
        "SELECT p.name, v.photo_sha256 FROM place_visits v JOIN places p ON p.id = v.place_id ORDER BY v.id"
    )
    assert rows == [("新龙诊所", sha(png(3))), ("新龙门面", sha(png(4)))]
    assert await rig.rows("SELECT count(*) FROM report_drafts") == [(0,)]
    await user.send_photo(png(5), caption=NEIGHBOUR_SHOP)  # not a place of this village: a report, as before
    await user.expect("已收到 1 张照片")
    assert await rig.rows("SELECT count(*) FROM place_visits") == [(2,)]
    await user.send("取消")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect(texts.REPORT_CANCELLED)
    await user.send_album([png(6), png(7)], caption="新龙建材店")  # an album is a report's, whatever its caption
    await user.expect("已收到 2 张照片")
    assert await rig.rows("SELECT count(*) FROM place_visits") == [(2,)]
    await user.send("取消")
    await user.press("确定取消", message=await user.expect("确定取消吗"))  # photos would be lost: asked first
    await user.expect(texts.REPORT_CANCELLED)
    await user.send("排查")
    visits = await user.expect("本周已到访场所 2 处")
    assert visits.buttons == ["红 新龙建材店", "蓝 新龙农家乐", texts.BUTTON_CHECK_DONE]


async def test_supervisors_check_shows_no_places(placed: Rig) -> None:
    boss = await supervisor(placed)
    await boss.send("排查")
    await boss.expect("还没有登记排查")
    await boss.assert_silent()


async def test_without_places_the_weekly_check_is_as_before(rig: Rig) -> None:
    user = await officer(rig)
    await user.send("排查")
    await user.expect("还没有登记排查")
    await user.assert_silent()


async def test_the_card_lists_the_places_hazards_open_and_closed(placed: Rig) -> None:
    rig = placed
    shop = await place_id(rig, SHOP)
    user = await officer(rig)
    first = await reported(user, seed=1, place=SHOP)
    second = await reported(user, seed=2, place=SHOP)
    # Reporting links a hazard to its place (the report's place step); here the link is made as it would store it.
    async with rig.services.db.transaction() as tx:
        await tx.execute("UPDATE hazards SET place_id = ? WHERE id IN (?, ?)", (shop, first, second))
        await tx.execute("UPDATE hazards SET status = 'closed', closure = 'invalid' WHERE id = ?", (first,))
    card = await card_of(user, SHOP)
    assert "隐患：未关闭 1 条 · 已关闭 1 条" in card
    assert f"#{second} 待交办 2026-11-23 超市后门消防通道堆放纸箱" in card
    assert f"#{first} 不属实" in card
    assert card.index(f"#{second}") < card.index(f"#{first}")  # newest first


async def test_an_approval_after_the_grade_changed_meanwhile_changes_nothing(placed: Rig) -> None:
    rig = placed
    shop = await place_id(rig, SHOP)
    user = await officer(rig)
    boss = await supervisor(rig)
    await card_of(user, SHOP)
    await user.press(texts.OFFICER_GRADE_BUTTON)
    await user.press("橙色", message=await user.expect(texts.ASK_GRADE_OFFICER))
    request = await boss.expect("【风险等级变更待确认】")
    await card_of(boss, SHOP)
    await boss.press("修改风险等级", message=boss.inbox[-1])
    await boss.press("蓝色", message=await boss.expect(texts.ASK_GRADE))
    await boss.next_edit(boss.inbox[-1])
    await boss.press("同意", message=request)
    await boss.expect(texts.decision_toast(True, False))
    told = await user.expect("【风险等级变更】")
    assert told.body == texts.grade_decided("新龙村", SHOP, Grade.ORANGE, "肖浩", True, False)
    assert await rig.rows("SELECT grade FROM places WHERE id = ?", (shop,)) == [("blue",)]
    assert await rig.rows("SELECT approved FROM place_requests") == [(1,)]
    assert await rig.rows(
        "SELECT from_value, to_value FROM place_events WHERE place_id = ? AND field = 'grade'", (shop,)
    ) == [("red", "blue")]


async def test_a_refused_grade_change_changes_nothing_and_the_officer_is_told(placed: Rig) -> None:
    rig = placed
    user = await officer(rig)
    boss = await supervisor(rig)
    await card_of(user, SHOP)
    await user.press(texts.OFFICER_GRADE_BUTTON)
    await user.press("蓝色", message=await user.expect(texts.ASK_GRADE_OFFICER))
    request = await boss.expect("【风险等级变更待确认】")
    await boss.press("不同意", message=request)
    await boss.expect(texts.decision_toast(False, False))
    told = await user.expect("【风险等级变更】")
    assert told.body == texts.grade_decided("新龙村", SHOP, Grade.BLUE, "肖浩", False, False)
    assert await rig.rows("SELECT grade FROM places WHERE name = ?", (SHOP,)) == [("red",)]
    assert await rig.rows("SELECT approved FROM place_requests") == [(0,)]
    assert await rig.rows("SELECT count(*) FROM place_events WHERE actor_id IS NOT NULL") == [(0,)]
    assert "风险等级：红\n" in await card_of(user, SHOP)  # nothing waits any more
