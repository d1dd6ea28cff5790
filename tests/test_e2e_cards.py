"""End to end: the messages that show a hazard are remembered, so they stay true and can be replied to (issue 16)."""

from __future__ import annotations

from bot.domain.people import Role
from tests.flows import assign, officer, reported, supervisor, wait_for
from tests.rig import Rig

CARDS = "SELECT channel, chat_id, message_key, hazard_id, person_id, has_buttons FROM card_messages ORDER BY rowid"


async def person_id(rig: Rig, name: str) -> int:
    rows = await rig.rows("SELECT id FROM people WHERE name = ?", (name,))
    return int(rows[0][0])


async def test_every_card_sent_about_a_hazard_is_recorded_with_its_message_id(rig: Rig) -> None:
    boss = await supervisor(rig)
    reporter = await officer(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    number = await reported(reporter)
    card = await boss.expect(f"#{number}")  # the new hazard's card, through the outbox
    xiao, zeng, zhang = [await person_id(rig, n) for n in ("肖浩", "曾英海", "张老板")]
    await wait_for(rig, CARDS, [("telegram", boss.chat_id, str(card.message_id), number, xiao, 1)])

    await reporter.send(f"/hazard {number}")  # a direct answer: the officer's card has no buttons
    shown = await reporter.expect(f"隐患 #{number} ·")
    await assign(boss, number, "张老板", card=card)
    owner_card = await owner.expect("【整改通知】")
    rows = await rig.rows(CARDS)
    assert ("telegram", reporter.chat_id, str(shown.message_id), number, zeng, 0) in rows
    await wait_for(
        rig,
        f"SELECT message_key, has_buttons FROM card_messages WHERE person_id = {zhang}",
        [(str(owner_card.message_id), 1)],
    )
    # Messages about no hazard (a list, a welcome) are not recorded.
    await boss.send("/open")
    await boss.expect("未整改隐患 ·")
    assert all(row[3] == number for row in await rig.rows(CARDS))
