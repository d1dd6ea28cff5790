"""End to end: /open, /overdue, /hazard, /stats and /rank as officers, owners, supervisors and admins use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.hazards import Hazard, Severity, Status
from bot.domain.lifecycle import Move
from bot.domain.people import Actor, Role
from sandbox.simusers import BotMessage, SimUser
from tests.rig import Rig
from tests.scenario import Cast, attempt, hazard_in, report

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(rig: Rig, month: int, day: int, hour: int = 10) -> None:
    rig.clock.set(datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI))


async def settled(rig: Rig) -> None:
    """The arranged history as if it had happened in chat: its notifications went out back then (they do not reach
    the people who join now), and its photos were sent through Telegram (so the bot can send them again)."""
    photos = await rig.rows("SELECT id, sha256 FROM hazard_photos")
    async with rig.services.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET status = 'sent' WHERE status = 'pending'")
        for photo_id, sha256 in photos:
            sizes = rig.server.files.store_photo(sha256.encode(), 4, 4)
            await tx.execute("UPDATE hazard_photos SET file_id = ? WHERE id = ?", (sizes[-1]["file_id"], photo_id))


@dataclass
class Scene:
    """Open hazards of 青龙镇 (新龙村 and 牛冲村) and of 白石镇, seen on 2026-11-25."""

    old_overdue: Hazard  # 新龙村, deadline 11-09: 16 days overdue
    new_overdue: Hazard  # 新龙村, deadline 11-17: 8 days overdue
    major: Hazard  # 新龙村, 用电用气, 重大, deadline 11-27
    in_review: Hazard  # 新龙村, submitted
    fresh: Hazard  # 新龙村, not assigned
    neighbour: Hazard  # 牛冲村, not assigned
    elsewhere: Hazard  # 白石镇民溪村, not assigned
    closed: Hazard  # 新龙村, verified

    @property
    def qinglong(self) -> list[Hazard]:
        """青龙镇's open hazards, most urgent first."""
        return [self.old_overdue, self.new_overdue, self.fresh, self.neighbour, self.major, self.in_review]


@dataclass
class People:
    """The people of the story, each on their own Telegram account."""

    officer: SimUser  # 曾英海, 新龙村
    neighbour: SimUser  # 吕燕, 牛冲村
    owner: SimUser  # 张老板, 新龙村
    boss: SimUser  # 肖浩, 青龙镇
    outsider: SimUser  # 白石镇's supervisor
    officer_b: SimUser  # 民溪村 (白石镇)
    admin: SimUser

    @classmethod
    async def join(cls, rig: Rig) -> People:
        """Everyone follows their invite."""
        return cls(
            officer=await rig.join(Role.OFFICER, village="新龙村"),
            neighbour=await rig.join(Role.OFFICER, village="牛冲村"),
            owner=await rig.join(Role.OWNER, village="新龙村", name="张老板"),
            boss=await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩"),
            outsider=await rig.join(Role.SUPERVISOR, town="白石镇"),
            officer_b=await rig.join(Role.OFFICER, village="民溪村"),
            admin=await rig.join(Role.ADMIN, name="值班员"),
        )

    async def cast(self, rig: Rig) -> Cast:
        """The same people as the services know them."""

        async def actor(user: SimUser) -> Actor:
            found = await rig.services.access.actor(user.id)
            assert found is not None
            return found

        return Cast(
            officer=await actor(self.officer),
            neighbour=await actor(self.neighbour),
            owner=await actor(self.owner),
            supervisor=await actor(self.boss),
            outsider=await actor(self.outsider),
            admin=await actor(self.admin),
        )


async def scene(rig: Rig, people: People) -> Scene:
    services = rig.services
    cast = await people.cast(rig)
    found = await services.access.actor(people.officer_b.id)
    assert found is not None
    officer_b = found

    async def assigned(**kwargs: object) -> Hazard:
        hazard = await report(services, cast.officer, **kwargs)  # type: ignore[arg-type]
        return (await attempt(services, cast.supervisor, hazard.id, Move.ASSIGN)).hazard

    at(rig, 11, 2)
    old_overdue = await assigned()
    at(rig, 11, 10)
    new_overdue = await assigned()
    at(rig, 11, 20)
    major = await assigned(severity=Severity.MAJOR, category=1)
    at(rig, 11, 21)
    in_review = await assigned(place="农贸市场")
    in_review = (await attempt(services, cast.owner, in_review.id, Move.SUBMIT)).hazard
    at(rig, 11, 22)
    closed = await hazard_in(services, cast, Status.CLOSED)
    fresh = await report(services, cast.officer)
    neighbour = await report(services, cast.neighbour)
    elsewhere = await report(services, officer_b)
    at(rig, 11, 25, 9)
    await settled(rig)
    return Scene(old_overdue, new_overdue, major, in_review, fresh, neighbour, elsewhere, closed)


def numbers(message: BotMessage) -> list[int]:
    return [int(line.split()[0][1:]) for line in message.body.splitlines() if line.startswith("#")]


ANSWERS = ("未整改隐患 · ", "逾期隐患 · ", "没有看懂", "目前没有", "有多个镇", "【统计】", "【月度排名】", "没有找到")
REFUSALS = (texts.NOT_ALLOWED, texts.UNBOUND, texts.BAD_PERIOD, texts.BAD_MONTH)


async def listing(user: SimUser, command: str) -> BotMessage:
    """Send a command and return its answer (reminders the scheduler sends meanwhile are passed over)."""
    await user.send(command)
    while True:
        message = await user.next_message()
        if any(answer in message.body for answer in ANSWERS) or message.body in REFUSALS:
            return message


async def test_open_and_overdue_follow_each_role_scope_most_urgent_first(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    officer, boss, admin, owner = people.officer, people.boss, people.admin, people.owner

    town = await listing(boss, "/open")
    assert town.body.startswith("未整改隐患 · 青龙镇：共 6 起")
    assert numbers(town) == [h.id for h in s.qinglong]
    lines = town.body.splitlines()
    assert lines[1] == f"#{s.old_overdue.id} 新龙村 幸福超市 · 消防 · 一般 · 整改中 · 逾期16天 · 张老板"
    assert lines[2] == f"#{s.new_overdue.id} 新龙村 幸福超市 · 消防 · 一般 · 整改中 · 逾期8天 · 张老板"
    assert lines[3] == f"#{s.fresh.id} 新龙村 幸福超市 · 消防 · 一般 · 待交办 · 未定期限 · 未指定责任人"
    assert lines[5] == f"#{s.major.id} 新龙村 幸福超市 · 用电用气 · 重大 · 整改中 · 期限11-27 · 张老板"
    assert lines[6] == f"#{s.in_review.id} 新龙村 农贸市场 · 消防 · 一般 · 待复核 · 期限11-28 · 张老板"
    assert lines[-1] == "按下方编号查看详情和可做的操作。"
    assert town.buttons == [f"#{h.id}" for h in s.qinglong]  # one page: a number per line, no paging

    village = await listing(officer, "未整改")  # the alias works as well as the command
    assert numbers(village) == [h.id for h in s.qinglong if h is not s.neighbour]
    city = await listing(admin, "/open")
    assert numbers(city) == [
        *[h.id for h in s.qinglong[:3]],
        s.neighbour.id,
        s.elsewhere.id,
        s.major.id,
        s.in_review.id,
    ]
    assert f"#{s.elsewhere.id} 白石镇民溪村 幸福超市 · " in city.body  # city-wide lines name the town

    overdue = await listing(boss, "逾期")
    assert overdue.body.startswith("逾期隐患 · 青龙镇：共 2 起")
    assert numbers(overdue) == [s.old_overdue.id, s.new_overdue.id]
    assert (await listing(owner, "/open")).text == texts.NOT_ALLOWED
    assert (await listing(owner, "逾期")).text == texts.NOT_ALLOWED
    stranger = rig.stranger()
    assert (await listing(stranger, "/open")).text == texts.UNBOUND


async def test_filters_by_village_category_and_severity_and_says_what_it_did_not_understand(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    boss, admin, officer = people.boss, people.admin, people.officer

    neighbour = await listing(boss, "未整改 牛冲村")
    assert neighbour.body.startswith("未整改隐患 · 青龙镇牛冲村：共 1 起")
    assert numbers(neighbour) == [s.neighbour.id]
    assert numbers(await listing(boss, "/open 用电用气")) == [s.major.id]
    major = await listing(boss, "未整改 新龙村 重大")
    assert major.body.startswith("未整改隐患 · 青龙镇新龙村（筛选：重大隐患）：共 1 起")
    assert numbers(major) == [s.major.id]
    assert numbers(await listing(boss, "/overdue 新龙村 消防")) == [s.old_overdue.id, s.new_overdue.id]
    assert numbers(await listing(admin, "未整改 白石镇")) == [s.elsewhere.id]
    assert numbers(await listing(admin, "未整改 民溪村")) == [s.elsewhere.id]

    puzzled = await listing(boss, "未整改 新龙村 火灾")
    assert puzzled.body.startswith("没有看懂：火灾。\n已看懂：新龙村。")
    assert "消防、用电用气" in puzzled.body
    # A village outside one's scope is not understood either (and reveals nothing).
    assert (await listing(officer, "未整改 牛冲村")).body.startswith("没有看懂：牛冲村。")
    assert (await listing(boss, "/open 民溪村")).body.startswith("没有看懂：民溪村。")

    assert (await listing(boss, "/overdue 牛冲村")).text == "青龙镇牛冲村目前没有逾期的隐患。"
    empty = await listing(boss, "未整改 烟花爆竹 重大")
    assert empty.text == "青龙镇（筛选：烟花爆竹、重大隐患）目前没有未整改的隐患。"
    assert empty.buttons == []


async def test_pages_turn_in_place_and_buttons_are_rechecked(rig: Rig) -> None:
    services = rig.services
    people = await People.join(rig)
    cast = await people.cast(rig)
    boss, stranger_boss, neighbour_officer = people.boss, people.outsider, people.neighbour
    at(rig, 11, 20)
    ids = [(await report(services, cast.officer, place=f"门店{n}")).id for n in range(23)]
    await report(services, cast.neighbour)
    at(rig, 11, 25, 9)
    await settled(rig)

    page = await listing(boss, "未整改 新龙村")
    assert page.body.startswith("未整改隐患 · 青龙镇新龙村：共 23 起，第 1/3 页")
    assert numbers(page) == ids[:10]
    assert page.buttons == [*(f"#{n}" for n in ids[:10]), texts.BUTTON_PAGE_NEXT]
    forward = page.button_data(texts.BUTTON_PAGE_NEXT)
    assert len(forward.encode()) <= 64
    await boss.press(texts.BUTTON_PAGE_NEXT, message=page)
    await boss.next_edit(page)
    assert "第 2/3 页" in page.body and numbers(page) == ids[10:20]
    assert page.buttons == [*(f"#{n}" for n in ids[10:20]), texts.BUTTON_PAGE_PREVIOUS, texts.BUTTON_PAGE_NEXT]
    await boss.press(texts.BUTTON_PAGE_NEXT, message=page)
    await boss.next_edit(page)
    assert "第 3/3 页" in page.body and numbers(page) == ids[20:]  # the filter holds on every page
    assert page.buttons == [*(f"#{n}" for n in ids[20:]), texts.BUTTON_PAGE_PREVIOUS]
    await boss.press(texts.BUTTON_PAGE_PREVIOUS, message=page)
    await boss.next_edit(page)
    assert numbers(page) == ids[10:20]
    assert [m.message_id for m in boss.inbox if m.body.startswith("未整改隐患")] == [page.message_id]

    # The same button pressed by people whose scope does not hold 新龙村 shows them nothing.
    for user in (stranger_boss, neighbour_officer):
        own = await listing(user, "/open")
        seen = len(user.callback_answers)
        await user.press_data(forward, own)
        await user.wait_until(lambda u=user, n=seen: len(u.callback_answers) > n, what="a callback answer")  # type: ignore[misc]
        assert user.callback_answers[seen].get("text") == texts.STALE_BUTTON
        assert own.history == []
    for forged in ("q:o:x::::", "q:z:0::::", "q:o:0::::", "q:o:0::::q", "q:o:-1::::"):
        seen = len(boss.callback_answers)
        await boss.press_data(forged, page)
        await boss.wait_until(lambda n=seen: len(boss.callback_answers) > n, what="a callback answer")  # type: ignore[misc]
        expected = None if forged == "q:o:0::::" else texts.STALE_BUTTON  # q:o:0:::: is simply page 1 of 青龙镇
        assert boss.callback_answers[seen].get("text") == expected, forged


async def test_hazard_card_for_every_role(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    officer, neighbour_officer, owner, boss = people.officer, people.neighbour, people.owner, people.boss
    stranger_boss, admin = people.outsider, people.admin
    other_owner = await rig.join(Role.OWNER, village="新龙村", name="李老板")

    async def card(user: SimUser, hazard: Hazard) -> BotMessage:
        await user.send(f"/hazard {hazard.id}")
        return await user.expect(f"隐患 #{hazard.id}")

    assert (await card(boss, s.fresh)).buttons == ["交办", "不属实", "重复"]
    assert (await card(admin, s.fresh)).buttons == ["交办", "不属实", "重复"]
    assert (await card(admin, s.elsewhere)).buttons == ["交办", "不属实", "重复"]
    assert (await card(boss, s.in_review)).buttons == ["复核通过", "不通过"]
    assert (await card(boss, s.closed)).buttons == ["重新打开"]
    mine = await card(owner, s.old_overdue)
    assert mine.buttons == ["提交整改"] and "曾英海" not in mine.body  # the owner never learns who reported
    assert (await card(officer, s.old_overdue)).buttons == ["补充照片"]  # their own open report
    before = [m for m in owner.inbox if m.method in ("sendPhoto", "sendMediaGroup")]
    assert before, "the card comes with the photos"
    for user, hazard in (
        (stranger_boss, s.fresh),
        (neighbour_officer, s.fresh),
        (officer, s.neighbour),
        (other_owner, s.old_overdue),
        (owner, s.fresh),
    ):
        await user.send(f"/hazard {hazard.id}")
        assert (await user.expect("没有找到")).text == texts.hazard_not_found(hazard.id)
        await user.send("/hazard 99999")
        assert (await user.expect("没有找到")).text == texts.hazard_not_found(99999)


async def test_stats_and_rank_by_scope(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    boss, admin, officer = people.boss, people.admin, people.officer

    town = await listing(boss, "统计")
    assert town.body.startswith("【统计】青龙镇 · 2026年11月（截至 2026-11-25 09:00）")
    # November: 7 reported in 青龙镇 (the 6 open ones and the closed one), 1 verified on time, 2 overdue.
    assert "上报隐患 7 起：已销号 1 · 不属实 0 · 重复 0 · 未销号 6" in town.body
    assert "整改率 14.3%（销号 1 / 应整改 7）" in town.body
    assert "按期整改率 100.0%（按期 1 / 销号 1）" in town.body
    assert "当前逾期 2 起" in town.body
    assert "新龙村：上报 6 · 销号 1 · 整改率 16.7% · 按期 100.0% · 逾期 2 · 排查 0.0%" in town.body
    assert "白石镇" not in town.body
    week = await listing(boss, "/stats 本周")
    assert week.body.startswith("【统计】青龙镇 · 2026年第48周（11-23至11-29）")
    assert "上报隐患 0 起" in week.body
    city = await listing(admin, "/stats 2026-11")
    assert city.body.startswith("【统计】全市 · 2026年11月")
    assert "上报隐患 8 起" in city.body and "白石镇：上报 1 · 销号 0" in city.body
    assert (await listing(admin, "/stats 2027-01")).text == texts.BAD_PERIOD
    assert (await listing(officer, "统计")).text == texts.NOT_ALLOWED
    assert (await listing(officer, "排名")).text == texts.NOT_ALLOWED

    ranking = await listing(admin, "/rank 本月")
    assert ranking.body.startswith("【月度排名】2026年11月 各镇安全生产工作排名")
    assert texts.ranking_formula(rig.services.settings.ranking.weights) in ranking.body
    assert "后三位：" in ranking.body
    chart = await admin.expect("各镇得分")
    assert chart.method == "sendPhoto" and "upload_photo" in admin.chat_actions
    assert rig.server.file_bytes(chart.photo[-1]).startswith(b"\x89PNG")
    await boss.send("排名 2026-11")
    place = await boss.expect("【月度排名】")
    assert "青龙镇（本镇）" in place.body
    await boss.expect("各镇得分")
    villages = await boss.expect("本镇各村")
    assert "青龙镇 第 " in villages.body and "新龙村：上报 6" in villages.body
    assert (await listing(boss, "排名 本周")).text == texts.BAD_MONTH
    assert s.closed.status is Status.CLOSED


async def test_a_number_under_the_list_opens_that_hazard_card_rechecked_on_press(rig: Rig) -> None:
    people = await People.join(rig)
    s = await scene(rig, people)
    boss, outsider, neighbour = people.boss, people.outsider, people.neighbour

    town = await listing(boss, "/open")
    await boss.press(f"#{s.fresh.id}", message=town)
    card = await boss.expect(f"隐患 #{s.fresh.id} ·")
    assert card.buttons == ["交办", "不属实", "重复"]  # the same card as /hazard N, with the moves allowed
    assert town.history == []  # the list stays as it was, to open the next one

    # Out of scope, the same button shows nothing; forged data changes nothing.
    data = town.button_data(f"#{s.fresh.id}")
    for user in (outsider, neighbour):
        own = await listing(user, "/open")
        seen = len(user.callback_answers)
        await user.press_data(data, own)
        await user.wait_until(lambda u=user, n=seen: len(u.callback_answers) > n, what="a callback answer")  # type: ignore[misc]
        assert user.callback_answers[seen].get("text") == texts.hazard_not_found(s.fresh.id)
    for forged, answer in (
        ("hz:x:view", texts.STALE_BUTTON),
        ("hz:07:view", texts.STALE_BUTTON),
        ("hz:99999:view", texts.hazard_not_found(99999)),
    ):
        seen = len(boss.callback_answers)
        await boss.press_data(forged, town)
        await boss.wait_until(lambda n=seen: len(boss.callback_answers) > n, what="a callback answer")  # type: ignore[misc]
        assert boss.callback_answers[seen].get("text") == answer, forged
    assert await rig.rows("SELECT status FROM hazards WHERE id = ?", (s.fresh.id,)) == [("reported",)]
