"""End to end over a simulated month: the weekly nudge names the places due, an officer logs visits through the
排查 buttons, and 村不漏户 in /stats (village and town) and the ranking count exactly the visits stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.people import Role
from bot.domain.places import Grade, due_in
from bot.domain.statistics import score
from sandbox.simusers import SimUser
from tests.flows import officer, supervisor
from tests.rig import Rig
from tests.test_e2e_place_file import import_places

SHANGHAI = ZoneInfo("Asia/Shanghai")
DECEMBER = (date(2026, 12, 1), date(2027, 1, 1))


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


async def visit(user: SimUser, *labels: str) -> None:
    """排查, then press each place's button (the list updates after each press)."""
    await user.send("排查")
    screen = await user.expect("本周已到访场所")
    for label in labels:
        await user.press(label, message=screen)
        await user.next_edit(screen)


async def due_of_town(rig: Rig, town: str) -> int:
    """Visits due in December at the town's places, from the places stored and the configured cadences."""
    cadences = rig.services.settings.places.cadences
    rows = await rig.rows(
        "SELECT p.grade, count(*) FROM places p JOIN towns t ON t.id = p.town_id"
        " WHERE t.name = ? AND p.status != 'closed' GROUP BY p.grade",
        (town,),
    )
    return sum(count * len(due_in(cadences[Grade(grade)], *DECEMBER)) for grade, count in rows)


async def test_a_month_of_visits_gives_the_coverage_in_stats_and_ranking(rig: Rig) -> None:
    await import_places(rig.services)
    user = await officer(rig)
    boss = await supervisor(rig)
    admin = await rig.join(Role.ADMIN, name="市应急局")

    rig.clock.set(local("2026-11-30 08:00"))
    await rig.tick(local("2026-11-30 09:30"), step=timedelta(minutes=30))
    nudge = await user.expect("【每周排查】")
    assert nudge.body.endswith(texts.places_due_line(4, ["新龙建材店", "新龙诊所", "新龙农家乐"]))

    rig.clock.set(local("2026-12-01 10:00"))  # week 1: the red shop, the clinic (monthly), one blue place
    await visit(user, "红 新龙建材店", "黄 新龙诊所", "蓝 新龙门面")
    await user.press(texts.BUTTON_CHECK_DONE)
    await user.expect("检查场所 3 处")
    rig.clock.set(local("2026-12-08 10:00"))  # week 2: only the red shop is due again
    await user.send("排查")
    due = await user.expect("本周已到访场所 0 处")
    assert due.buttons == ["红 新龙建材店", "蓝 新龙农家乐", texts.BUTTON_CHECK_DONE]
    await user.press("红 新龙建材店", message=due)
    await user.next_edit(due)
    rig.clock.set(local("2026-12-15 10:00"))  # week 3; week 4 is missed
    await visit(user, "红 新龙建材店")

    # Mid-month, only the windows begun count: red weeks 1-3, the clinic's month, the two blue quarters.
    await boss.send("统计 本月")
    running = await boss.expect("【统计】")
    assert "新龙村：" in running.body and "村不漏户 83.3%" in running.body  # 5 of 6

    rig.clock.set(local("2027-01-04 10:00"))
    assert await rig.rows("SELECT count(*) FROM place_visits") == [(5,)]
    await boss.send("统计 2026-12")
    stats = await boss.expect("【统计】")
    village_line = next(line for line in stats.body.splitlines() if line.startswith("新龙村："))
    assert village_line.endswith("村不漏户 71.4%")  # 5 of 7: red 3 of 4 weeks, the clinic, one of two blue
    town_due = await due_of_town(rig, "青龙镇")
    assert f"村不漏户覆盖率 {5 / town_due * 100:.1f}%（场所到访 5 / 应到访 {town_due}）" in stats.body
    neighbour = next(line for line in stats.body.splitlines() if line.startswith("牛冲村："))
    assert neighbour.endswith("村不漏户 0.0%")

    await admin.send("统计 2026-12")
    city = await admin.expect("【统计】")
    town_line = next(line for line in city.body.splitlines() if line.startswith("青龙镇："))
    assert town_line.endswith(f"村不漏户 {5 / town_due * 100:.1f}%")

    figures = await rig.services.statistics.figures(None, rig.services.statistics.period(["2026-12"], weeks=False))
    qinglong = next(row for row in figures.rows if row.name == "青龙镇")
    assert (qinglong.tally.places_visited, qinglong.tally.places_due) == (5, town_due)
    weights = rig.services.settings.ranking.weights
    assert weights.coverage > 0
    await admin.send("排名 2026-12")
    ranking = await admin.expect("【月度排名】")
    assert texts.ranking_formula(weights) in ranking.body and "村不漏户覆盖率" in ranking.body
    line = next(line for line in ranking.body.splitlines() if "青龙镇" in line and " 分｜" in line)
    assert f" {score(qinglong.tally, weights):.1f} 分" in line and f"村不漏户 {5 / town_due * 100:.1f}%" in line
    # The score with coverage is not the score without it: the town's 村不漏户 counts.
    assert score(qinglong.tally, weights) != score(qinglong.tally, weights.model_copy(update={"coverage": 0.0}))
