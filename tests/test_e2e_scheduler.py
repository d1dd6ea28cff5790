"""End to end: checks, the reminder cycles over a simulated month (with a restart and a stop), quiet hours."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.domain.errors import TickInFuture
from bot.domain.people import Role
from sandbox.simusers import SimUser
from storage.timestamps import from_db
from tests.flows import assign, officer, submit, wait_for, walk_to_summary
from tests.rig import Rig, png

SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADS = (
    "【每周排查】",
    "【排查提醒】",
    "【排查最后提醒】",
    "【上周排查未完成】",
    "【每月排查】",
    "【上月镇级排查未完成】",
    "【整改提醒】",
    "【今天到期】",
    "【黄牌·已逾期】",
    "【红牌·严重逾期】",
    "【逾期 15 天】",
    "【逾期 21 天】",
    "【待交办提醒】",
    "【待复核提醒】",
    "【月度排名】",
)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def reminders(user: SimUser) -> Counter[str]:
    """How many reminders of each kind the person received."""
    counts: Counter[str] = Counter()
    for message in user.inbox:
        for head in HEADS:
            if message.body.startswith(head) or f"\n{head}" in message.body:
                counts[head] += 1
    return counts


async def test_officer_logs_the_weekly_check_and_logging_again_updates_it(rig: Rig) -> None:
    user = await officer(rig)
    await submit(user, await walk_to_summary(user, photo=png(1)))
    await user.send("/check")
    status = await user.expect("还没有登记排查")
    assert "新龙村本周（11月23日–11月29日）" in status.body and "本期上报隐患 1 条" in status.body
    await user.send("排查 12 已查超市和加油站")
    logged = await user.expect("已登记")
    assert "检查场所 12 处，说明：已查超市和加油站" in logged.body
    await user.send("排查 15")
    await user.expect("检查场所 15 处")
    rows = await rig.rows("SELECT kind, period, places_checked, note FROM checks")
    assert rows == [("village", "2026-W48", 15, "已查超市和加油站")]
    await user.send("排查 很多")
    assert (await user.next_message()).text == texts.CHECK_BAD_NUMBER
    await user.send_photo(png(2), caption="排查 16 现场照片")
    await user.expect("检查场所 16 处")
    assert await rig.rows("SELECT places_checked, photo_sha256 IS NOT NULL FROM checks") == [(16, 1)]
    assert await rig.rows("SELECT COUNT(*) FROM report_drafts") == [(0,)]  # the captioned photo started no report


async def test_supervisor_logs_the_monthly_town_check_and_owners_cannot(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    await boss.send("排查 30 全镇加油站")
    logged = await boss.expect("已登记")
    assert "青龙镇本月（2026年11月）已登记排查：检查场所 30 处" in logged.body
    assert await rig.rows("SELECT kind, period, village_id FROM checks") == [("town", "2026-11", None)]
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    await owner.send("排查 3")
    assert (await owner.next_message()).text == texts.NOT_ALLOWED


async def test_a_check_logged_a_minute_before_the_reminder_stops_it(rig: Rig) -> None:
    first, second = await officer(rig), await officer(rig, "牛冲村")
    rig.clock.set(local("2026-11-26 08:59"))
    await first.send("排查 5")
    await first.expect("已登记")
    await rig.tick(local("2026-11-26 09:00"), step=timedelta(minutes=1))
    await second.expect("【排查提醒】")
    await first.assert_silent(within=0.3)


async def test_a_simulated_month_sends_exactly_the_schedule_once(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    admin = await rig.join(Role.ADMIN, name="市应急局")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    user = await officer(rig)
    # Monday 23 November: one hazard assigned with 7 days (deadline 30 November), one left unassigned.
    assigned = await submit(user, await walk_to_summary(user, photo=png(1)))
    await submit(user, await walk_to_summary(user, photo=png(2), place="村委会"))
    assert "交办给 张老板" in (await assign(boss, assigned, "张老板")).body
    await rig.tick(local("2026-11-24 11:00"))
    await user.send("排查 8")  # this week's check is done on Tuesday
    await user.expect("已登记")
    await rig.tick(local("2026-12-02 11:00"))
    await boss.send("排查 20")  # December's town check, on the 2nd
    await boss.expect("已登记")
    await rig.tick(local("2026-12-10 10:00"))
    await rig.restart()  # a deployment mid-month
    await rig.tick(local("2026-12-12 10:00"))
    rig.clock.set(local("2026-12-15 10:00"))  # stopped for three days over a Sunday and a Monday
    await rig.restart()
    await rig.tick(local("2026-12-23 10:00"))

    assert reminders(user) == {
        # weeks of 30 Nov, 7 Dec: nudge, reminder, last call; the week of 14 Dec: its Monday nudge was missed
        # during the stop and its latest rung (the nudge) came once when the bot was back; then 21 Dec's nudge.
        "【每周排查】": 4,
        "【排查提醒】": 3,
        "【排查最后提醒】": 2,  # 13 Dec's last call fell in the stop; that week was over by the restart
        "【黄牌·已逾期】": 1,
    }
    assert reminders(owner) == {
        "【整改提醒】": 2,  # D-3 (27 Nov) and D-1 (29 Nov)
        "【今天到期】": 1,
        "【黄牌·已逾期】": 1,
        "【红牌·严重逾期】": 1,
        "【逾期 15 天】": 1,  # due 14 Dec during the stop: caught up on the 15th, saying how overdue it is then
        "【逾期 21 天】": 1,
    }
    assert reminders(boss) == {
        "【上周排查未完成】": 4,  # 30 Nov, 7 Dec, 14 Dec (caught up), 21 Dec
        "【排查最后提醒】": 1,  # November's town check, 30 Nov 18:00
        "【每月排查】": 1,  # 1 Dec; logged on the 2nd, so no reminder on the 20th
        "【黄牌·已逾期】": 1,
        "【逾期 15 天】": 1,
        "【逾期 21 天】": 1,
        "【待交办提醒】": 1,  # the unassigned hazard, 24 hours after it was reported
        "【月度排名】": 1,  # 1 Dec 09:30: November's ranking, the town's place and its villages
    }
    assert reminders(admin) == {"【上月镇级排查未完成】": 1, "【红牌·严重逾期】": 1, "【月度排名】": 1}
    chart = [m for m in admin.inbox if m.method == "sendPhoto"]
    assert len(chart) == 1 and rig.server.file_bytes(chart[0].photo[-1]).startswith(b"\x89PNG")
    keys = await rig.rows("SELECT dedupe_key FROM outbox")
    assert len(keys) == len({k for (k,) in keys})
    missed = await rig.rows("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'misses:village:%'")
    assert missed == [(4 * 20,)]  # every town's supervisors, every Monday


async def test_quiet_hours_defer_all_but_major_hazard_alerts(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    admin = await rig.join(Role.ADMIN, name="市应急局")
    user = await officer(rig)
    rig.clock.set(local("2026-11-23 22:30"))
    general = await submit(user, await walk_to_summary(user, photo=png(3)))
    major = await submit(user, await walk_to_summary(user, photo=png(4), place="加油站", severity="重大隐患"))
    await admin.expect(f"【重大隐患报警】#{major}")  # at once, even at night
    await boss.expect(f"【重大隐患】【新隐患·待交办】#{major}")
    await rig.drain()
    assert not [m for m in boss.inbox if f"#{general}" in m.body]
    deferred = await rig.rows(f"SELECT DISTINCT not_before FROM outbox WHERE dedupe_key LIKE 'hazard:{general}:new:%'")
    assert deferred == [("2026-11-24T00:00:00.000000Z",)]  # 08:00 in Shanghai
    await rig.tick(local("2026-11-24 08:00"))
    await boss.expect(f"#{general}")


async def test_interrupted_sends_are_sent_again_after_a_restart(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    number = await submit(user, await walk_to_summary(user, photo=png(4)))
    await boss.expect(f"#{number}")
    await wait_for(
        rig, f"SELECT status FROM outbox WHERE dedupe_key LIKE 'hazard:{number}:new:%' AND status = 'sent'", [("sent",)]
    )
    # As if the process had died between claiming the notification and confirming it.
    async with rig.services.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET status = 'sending' WHERE dedupe_key LIKE ?", (f"hazard:{number}:new:%",))
    await rig.restart()
    await rig.drain()
    again = [m for m in boss.inbox if f"#{number}" in m.body and "新隐患" in m.body]
    assert len(again) == 2  # at-least-once: sent again, never lost
    assert await rig.rows("SELECT COUNT(*) FROM outbox WHERE status = 'sending'") == [(0,)]


async def test_someone_who_blocked_the_bot_is_reported_to_their_supervisors(rig: Rig) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    user = await officer(rig)
    await user.block_bot()
    await rig.tick(local("2026-11-26 09:00"))
    notice = await boss.expect("【无法送达】")
    assert "曾英海（信息员）" in notice.body and texts.UNREACHABLE_BLOCKED in notice.body
    failed = await rig.rows(
        "SELECT last_error FROM outbox WHERE status = 'failed' AND person_id = ("
        "SELECT id FROM people WHERE name = '曾英海')"
    )
    assert failed and "blocked" in failed[0][0]


async def _owner_with_a_hazard_due_30_november(rig: Rig) -> SimUser:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    user = await officer(rig)
    number = await submit(user, await walk_to_summary(user, photo=png(1)))
    assert "交办给 张老板" in (await assign(boss, number, "张老板")).body
    return owner


async def test_a_real_pass_ahead_of_the_clock_is_refused_and_reminders_keep_coming(rig: Rig) -> None:
    owner = await _owner_with_a_hazard_due_30_november(rig)
    await rig.tick(local("2026-11-23 12:00"))
    before = await rig.rows("SELECT value FROM scheduler_state")
    with pytest.raises(TickInFuture):
        await rig.services.reminders.run_pass(local("2026-12-20 09:00"))
    assert await rig.rows("SELECT value FROM scheduler_state") == before
    preview = await rig.services.reminders.run_pass(local("2026-12-20 09:00"), dry_run=True)
    assert preview.notifications  # a preview may look ahead; it queues nothing and moves no mark
    assert await rig.rows("SELECT value FROM scheduler_state") == before
    await rig.tick(local("2026-11-29 10:00"))
    assert reminders(owner) == {"【整改提醒】": 2}  # D-3 and D-1 came on time


async def test_a_clock_that_jumped_a_year_ahead_and_back_is_noticed_and_reminders_resume(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    owner = await _owner_with_a_hazard_due_30_november(rig)
    await rig.tick(local("2026-11-23 12:00"))
    back = rig.clock.now()
    rig.clock.set(local("2027-11-23 12:00"))  # the host clock jumps ahead for one pass
    ahead = await rig.services.reminders.run_pass()
    assert len(ahead.notifications) > 1
    rig.clock.set(back + timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="bot.services.reminders"):
        await rig.services.reminders.run_pass()
    assert any("the clock went back" in record.getMessage() for record in caplog.records)
    (mark,) = (await rig.rows("SELECT value FROM scheduler_state"))[0]
    assert from_db(mark) <= rig.clock.now()
    # Nothing stays parked in the next year; what people's actions queued is untouched.
    assert await rig.rows("SELECT COUNT(*) FROM outbox WHERE not_before > '2027'") == [(0,)]
    await rig.tick(local("2026-11-30 10:00"))
    assert reminders(owner) == {"【整改提醒】": 2, "【今天到期】": 1}
