"""The routing rule: where a person's notifications go when they are on Telegram, WeCom or both."""

from __future__ import annotations

import pytest

from bot.domain.notifications import Message, Notification
from bot.domain.people import Channel
from bot.domain.routing import Reach, channels, fallback, is_alarm
from bot.domain.schedule import RungKind
from bot.services.container import Services
from storage.roster import RosterRepository

T, W = Channel.TELEGRAM, Channel.WECOM


@pytest.mark.parametrize(
    ("reach", "must_not_miss", "expected"),
    [
        (Reach(telegram=True, wecom=False), False, [T]),
        (Reach(telegram=True, wecom=False, last=W), True, [T]),  # WeCom account gone: Telegram only
        (Reach(telegram=False, wecom=True), False, [W]),
        (Reach(telegram=False, wecom=True, last=T), True, [W]),
        (Reach(telegram=True, wecom=True, last=T), False, [T]),  # both: where they last wrote
        (Reach(telegram=True, wecom=True, last=W), False, [W]),
        (Reach(telegram=True, wecom=True), False, [W]),  # both, never wrote: the county's working chat
        (Reach(telegram=True, wecom=True, last=T), True, [T, W]),  # must not be missed: everywhere
        (Reach(telegram=False, wecom=False), False, [T]),  # on none: a row that fails as not bound
        (Reach(telegram=False, wecom=False, last=W), True, [T]),
    ],
)
def test_the_routing_table(reach: Reach, must_not_miss: bool, expected: list[Channel]) -> None:
    assert channels(reach, must_not_miss=must_not_miss) == expected


def test_the_deadline_ladder_alarms_from_its_last_day_on() -> None:
    assert [kind for kind in RungKind if is_alarm(kind)] == [
        RungKind.D_DAY,
        RungKind.YELLOW,
        RungKind.RED,
        RungKind.OVERDUE,
    ]


def test_a_channel_that_cannot_reach_the_person_falls_back_to_their_others() -> None:
    assert fallback(Reach(telegram=True, wecom=True, last=W), W) == [T]
    assert fallback(Reach(telegram=True, wecom=True, last=T), T) == [W]
    assert fallback(Reach(telegram=False, wecom=True), W) == []  # nowhere else: the supervisors are told
    assert fallback(Reach(telegram=False, wecom=False), T) == []


async def test_without_wecom_configured_a_wecom_account_changes_nothing(services: Services) -> None:
    """A roster may carry WeCom accounts before the county's app exists: everything still goes to Telegram."""
    (person,) = await services.roster.matching("肖浩")
    roster = RosterRepository(services.db)
    async with services.db.transaction() as tx:
        await roster.bind_wecom(tx, person.id, "xiaohao", services.clock.now())
    await roster.set_last_channel(person.id, Channel.WECOM)
    alarm = Notification(person_id=person.id, dedupe_key="test:1", message=Message(text="x"), urgent=True)
    routine = Notification(person_id=person.id, dedupe_key="test:2", message=Message(text="y"))
    async with services.db.transaction() as tx:
        await services.notifier.enqueue(tx, alarm, services.clock.now())
        await services.notifier.enqueue_many(tx, [routine], services.clock.now())
    rows = await services.db.fetch_all("SELECT dedupe_key, channel FROM outbox ORDER BY id")
    assert [tuple(row) for row in rows] == [("test:1", "telegram"), ("test:2", "telegram")]
