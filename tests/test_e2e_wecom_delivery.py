"""End to end: notifications reach people on WeCom through the outbox, the routing rule picks the channels of people
on both, and one channel's failure neither blocks nor repeats the other's copy.

GridSafe runs on the loopback Bot API and the loopback WeCom server, both on the test's FakeClock; the WeCom
client's pacer waits by moving that clock, so WeCom's per-minute rule holds in test time and the server counts any
message it would have dropped.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.chat.actions import HazardPress, decode
from bot.clock import FakeClock
from bot.domain.hazards import Severity
from bot.domain.lifecycle import Move
from bot.domain.people import Channel, Role
from bot.domain.roster import validate
from bot.roster_file import read_roster
from sandbox.wecom import Delivered, WeComServer
from storage.roster import RosterRepository
from tests import scenario
from tests.flows import assign, officer, reported, submit, supervisor, wait_for, walk_to_summary
from tests.rig import Rig, png
from tests.wecom_rig import WeComRig, running_wecom_bot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
async def both(tmp_path: Path, clock: FakeClock) -> AsyncIterator[WeComRig]:
    async with running_wecom_bot(tmp_path, clock) as running:
        yield running


@pytest.fixture
def rig(both: WeComRig) -> Rig:
    return both.rig


@pytest.fixture
def wecom(both: WeComRig) -> WeComServer:
    return both.wecom


async def on_wecom(rig: Rig, name: str, userid: str, *, last: Channel | None = None) -> int:
    """Give a roster person a WeCom account (as the roster column or 绑定 would), and the channel they last used."""
    (person,) = [p for p in await rig.services.roster.matching(name) if p.active]
    roster = RosterRepository(rig.services.db)
    async with rig.services.db.transaction() as tx:
        await roster.bind_wecom(tx, person.id, userid, rig.clock.now())
    if last is not None:
        await roster.set_last_channel(person.id, last)
    return person.id


def shown(message: Delivered) -> str:
    """What a WeCom message shows first: a text's content, a card's title."""
    if message.msgtype == "text":
        return str(message.body["text"]["content"])
    if message.msgtype == "template_card":
        return str(message.body["template_card"]["main_title"]["title"])
    return message.msgtype


def card_actions(message: Delivered) -> list[Any]:
    return [decode(button["key"]) for button in message.body["template_card"]["button_list"]]


async def test_a_wecom_only_owner_gets_the_card_and_the_deadline_ladder_on_wecom(
    rig: Rig, wecom: WeComServer, tmp_path: Path
) -> None:
    roster = tmp_path / "owners.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(
            [
                ["镇", "村", "姓名", "角色", "电话", "企业微信账号"],
                ["青龙镇", "新龙村", "王老板", "责任人", "", "WangLaoban"],
            ]
        )
    await rig.services.roster.import_entries(validate(read_roster(roster)))
    user, boss = await officer(rig), await supervisor(rig)
    number = await reported(user)
    assert "交办给 王老板" in (await assign(boss, number, "王老板")).body  # deadline Monday 30 November
    await rig.tick(local("2026-11-30 12:00"))

    received = wecom.delivered_to("WangLaoban")
    assert [(m.msgtype, shown(m)) for m in received] == [
        ("image", "image"),  # the assignment: the hazard's photo, then its card
        ("template_card", f"【整改通知】隐患 #{number}"),
        ("template_card", f"【整改提醒】隐患 #{number}"),  # D-3, 27 November
        ("template_card", f"【整改提醒】隐患 #{number}"),  # D-1, 29 November
        ("template_card", f"【今天到期】隐患 #{number}"),  # D-day
    ]
    assert "整改期限：2026-11-30（今天到期）" in received[-1].body["template_card"]["sub_title_text"]
    cards = [m for m in received if m.msgtype == "template_card"]
    assert all(card_actions(card) == [HazardPress(number, Move.SUBMIT)] for card in cards)
    assert wecom.dropped == []
    rows = await rig.rows(
        "SELECT channel, status FROM outbox o JOIN people p ON p.id = o.person_id WHERE p.name = '王老板'"
    )
    assert rows == [("wecom", "sent")] * 4


async def test_people_on_both_channels_get_routine_cards_where_they_last_wrote_and_alarms_on_both(
    rig: Rig, wecom: WeComServer
) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    await on_wecom(rig, "吕丽霞", "lvlixia", last=Channel.TELEGRAM)
    user = await officer(rig)
    first = await reported(user)
    await boss.expect(f"【新隐患·待交办】#{first}")  # last wrote on Telegram: there only
    assert wecom.delivered_to("lvlixia") == []
    await on_wecom(rig, "吕丽霞", "lvlixia", last=Channel.WECOM)
    second = await reported(user, seed=2)
    await wait_for(
        rig,
        f"SELECT channel, status FROM outbox WHERE dedupe_key = 'hazard:{second}:new:' || "
        "(SELECT id FROM people WHERE name = '吕丽霞')",
        [("wecom", "sent")],
    )
    got = wecom.delivered_to("lvlixia")
    assert [m.msgtype for m in got] == ["image", "text", "template_card"]  # the photo, the card's text, its buttons
    assert shown(got[1]).startswith(f"【新隐患·待交办】#{second}\n")
    assert card_actions(got[2]) == [HazardPress(second, move) for move in (Move.ASSIGN, Move.INVALID, Move.DUPLICATE)]
    major = await submit(user, await walk_to_summary(user, photo=png(3), severity="重大隐患"))
    await boss.expect(f"【重大隐患】【新隐患·待交办】#{major}")  # a major hazard: on both channels
    await wait_for(
        rig,
        f"SELECT channel, status FROM outbox WHERE dedupe_key LIKE 'hazard:{major}:new:%' AND person_id = "
        "(SELECT id FROM people WHERE name = '吕丽霞') ORDER BY channel",
        [("telegram", "sent"), ("wecom", "sent")],
    )
    assert any(shown(m).startswith(f"【重大隐患】【新隐患·待交办】#{major}") for m in wecom.delivered_to("lvlixia"))
    assert sum(1 for m in boss.inbox if "新隐患" in m.body) == 2  # the first and the major one, each once
    await boss.assert_silent(within=0.3)
    assert wecom.dropped == []


async def test_one_channels_failure_neither_blocks_nor_repeats_the_other(rig: Rig, wecom: WeComServer) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    await on_wecom(rig, "吕丽霞", "lvlixia", last=Channel.WECOM)
    wecom.members = {"someoneelse"}  # 吕丽霞 is outside the app's visible range: WeCom answers 81013
    user = await officer(rig)
    major = await submit(user, await walk_to_summary(user, photo=png(4), severity="重大隐患"))
    await boss.expect(f"#{major}")  # Telegram's copy arrives, whatever WeCom does
    await wait_for(
        rig,
        f"SELECT channel, status FROM outbox WHERE dedupe_key LIKE 'hazard:{major}:new:%' AND person_id = "
        "(SELECT id FROM people WHERE name = '吕丽霞') ORDER BY channel",
        [("telegram", "sent"), ("wecom", "failed")],
    )
    wecom.members = None
    wecom.refuse_next(-1)  # WeCom busy once: its copy is tried again and sent once; Telegram's is not repeated
    again = await submit(user, await walk_to_summary(user, photo=png(5), severity="重大隐患"))
    await boss.expect(f"#{again}")
    await wait_for(
        rig,
        f"SELECT channel, status, attempts FROM outbox WHERE dedupe_key LIKE 'hazard:{again}:new:%' AND person_id = "
        "(SELECT id FROM people WHERE name = '吕丽霞') ORDER BY channel",
        [("telegram", "sent", 1), ("wecom", "sent", 1)],
    )
    assert sum(1 for m in boss.inbox if f"#{again}" in m.body and "新隐患" in m.body) == 1
    assert sum(1 for m in wecom.delivered_to("lvlixia") if f"#{again}" in shown(m)) >= 1
    (told,) = await rig.rows("SELECT payload FROM outbox WHERE dedupe_key LIKE 'unreachable:%'")
    # her town's other supervisor (肖浩, not bound here) is told she cannot be reached on WeCom, and why
    assert texts.unreachable("吕丽霞", Role.SUPERVISOR, texts.UNREACHABLE_NOT_IN_APP, Channel.WECOM) in told[0]


async def test_a_burst_to_one_wecom_supervisor_is_paced_with_nothing_dropped(rig: Rig, wecom: WeComServer) -> None:
    boss = await on_wecom(rig, "肖浩", "xiaohao")
    reporter = await scenario.bind(rig.services, Role.OFFICER, village="新龙村")
    started = rig.clock.now()
    numbers = [(await scenario.report(rig.services, reporter, severity=Severity.GENERAL)).id for _ in range(20)]
    # The dispatcher's every-second job may be draining already: wait until 肖浩's cards are all confirmed.
    await wait_for(rig, f"SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND person_id = {boss}", [(20,)])
    received = wecom.delivered_to("xiaohao")
    assert wecom.dropped == []
    assert len(received) >= 40  # each: the photo, then the card (and its text when it does not fit)
    cards = [m for m in received if m.msgtype == "template_card"]
    assert [card_actions(card)[0] for card in cards] == [HazardPress(n, Move.ASSIGN) for n in numbers]
    assert received[-1].at - received[0].at >= timedelta(minutes=(len(received) - 1) // 30)  # 30 a minute
    assert rig.clock.now() > started  # the pacer waited (on the test's clock)
    statuses = await rig.rows(
        "SELECT DISTINCT channel, status FROM outbox WHERE person_id = (SELECT id FROM people WHERE name = '肖浩')"
    )
    assert statuses == [("wecom", "sent")]


async def test_a_card_wecom_cannot_deliver_goes_to_the_persons_telegram_instead(rig: Rig, wecom: WeComServer) -> None:
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞")
    await on_wecom(rig, "吕丽霞", "lvlixia", last=Channel.WECOM)  # routine cards go to WeCom only ...
    wecom.members = {"someoneelse"}  # ... where she is outside the app's visible range
    user = await officer(rig)
    number = await reported(user)
    card = await boss.expect(f"【新隐患·待交办】#{number}")  # so it comes on Telegram, with its buttons
    assert card.buttons == ["交办", "不属实", "重复"]
    await wait_for(
        rig,
        f"SELECT channel, status FROM outbox WHERE dedupe_key LIKE 'hazard:{number}:new:%' AND person_id = "
        "(SELECT id FROM people WHERE name = '吕丽霞') ORDER BY channel",
        [("telegram", "sent"), ("wecom", "failed")],
    )
    await boss.assert_silent(within=0.3)  # once
    assert wecom.delivered_to("lvlixia") == []
