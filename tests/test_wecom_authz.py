"""The authorization matrix and the fuzzing, extended to WeCom's inputs: unknown and deactivated accounts, forged and
stale card keys, replayed callbacks, bad signatures, garbage XML, odd texts — each gets a clear Chinese answer or a
refusal, and nothing is stored wrongly (the rows that matter are compared before and after)."""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot import texts
from bot.clock import FakeClock
from bot.domain.people import Role
from bot.domain.report import Step
from sandbox.wecom import WeComMember, post_callback
from tests import scenario
from tests.rig import png
from tests.scenario import bind, report
from tests.wecom_rig import WeComRig, running_wecom_bot

CJK = re.compile(r"[\u4e00-\u9fff]")
HELP = "\n\n可用功能："  # in the answer to 帮助, and in no other
STATE = (
    "SELECT id, status, owner_id, deadline FROM hazards",
    "SELECT id, hazard_id, kind FROM hazard_events",
    "SELECT id, wecom_userid, deactivated_at FROM people WHERE wecom_userid IS NOT NULL",
    "SELECT id, used_at FROM invites",
    "SELECT person_id FROM report_drafts",
    "SELECT person_id FROM hazard_conversations",
    "SELECT COUNT(*) FROM hazard_photos",
)


@pytest.fixture
async def world(tmp_path: Path, clock: FakeClock) -> AsyncIterator[WeComRig]:
    async with running_wecom_bot(tmp_path, clock) as running:
        yield running


async def snapshot(world: WeComRig) -> list[list[tuple[Any, ...]]]:
    return [await world.rig.rows(sql) for sql in STATE]


async def answer(member: WeComMember, plaintext: str) -> list[str]:
    """Deliver one callback; what the member is shown for it (read up to the answer of a 帮助 sent after it, which
    comes after everything the first one made, since a member's callbacks are handled in order)."""
    await member.deliver(plaintext)
    await member.deliver(member.text("帮助"))
    said = []
    while HELP not in (message := await member.next_message()).text:
        said.append(message.text or message.msgtype)
    return said


def clear(said: list[str], what: str = "") -> None:
    assert said, f"no answer to {what!r}"
    for text in said:
        assert CJK.search(text), text
        assert text != texts.INTERNAL_ERROR


async def test_strangers_learn_how_to_bind_and_nothing_is_kept(world: WeComRig, caplog: Any) -> None:
    stranger = world.member("nobody")
    before = await snapshot(world)
    for plaintext, expected in (
        (stranger.text("上报"), texts.WECOM_UNBOUND),
        (stranger.image(png(1)), texts.WECOM_UNBOUND),
        (stranger.location(28.2, 112.9), texts.WECOM_UNBOUND),
        (stranger.menu_click("report"), texts.WECOM_UNBOUND),
        (stranger.card_press("hz:1:view", "gforged"), texts.WECOM_UNBOUND_BUTTON),
        (stranger.text("绑定"), texts.WECOM_UNBOUND),
    ):
        await stranger.deliver(plaintext)
        assert (await stranger.next_message()).text == expected
    assert await snapshot(world) == before
    assert not list((world.rig.settings.storage.media_dir).rglob("*.png"))  # the picture was never downloaded
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_deactivated_member_is_told_so_and_may_follow_a_new_invite(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    services = world.rig.services
    person = (await services.roster.matching("曾英海"))[0]
    await services.roster.deactivate(person)
    before = await snapshot(world)
    for plaintext, expected in (
        (officer.text("未整改"), texts.DEACTIVATED),
        (officer.image(png(2)), texts.DEACTIVATED),
        (officer.text("绑定"), texts.DEACTIVATED),
        (officer.card_press("hz:1:view", "gforged"), texts.DEACTIVATED_BUTTON),
    ):
        await officer.deliver(plaintext)
        assert (await officer.next_message()).text == expected
    assert await snapshot(world) == before
    # Put back on the roster (here by a new invite naming them): the WeCom account it kept is theirs again at once.
    created = await services.invites.create(Role.OFFICER, village="新龙村", name="曾英海")
    await officer.send(f"绑定 {created.code}")
    await officer.expect("您已绑定为【青龙镇新龙村 · 信息员】")


async def test_forged_and_stale_card_keys_change_nothing(world: WeComRig, caplog: Any) -> None:
    services = world.rig.services
    reporter = await bind(services, Role.OFFICER, village="牛冲村")
    hazard = await report(services, reporter)
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    before = await snapshot(world)
    for key in (
        f"hz:{hazard.id}:assign",  # a supervisor's move
        f"hz:{hazard.id}:verify",
        f"hz:{hazard.id}:view",  # another village's hazard: as if it did not exist
        f"hz:00{hazard.id}:view",  # not what the codec writes
        "rp:forgedtoken:submit",
        "hc:forgedtoken:days:7",
        "q:open:99999:::::",
        "bind:ok:not-a-code",
        "",
        "x" * 1024,
        "<b>hz:1:view</b>&amp;",
    ):
        said = await answer(officer, officer.card_press(key, "gforged", "code"))
        clear(said, key)
    assert await snapshot(world) == before
    stale = await answer(officer, officer.card_press("hz:1:VIEW", "gforged"))
    assert stale == [texts.STALE_BUTTON]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_odd_texts_get_clear_answers(world: WeComRig, caplog: Any) -> None:
    boss = await world.join("xiao", Role.SUPERVISOR, town="青龙镇", name="肖浩")
    owner = await world.join("zhang", Role.OWNER, village="新龙村", name="张老板")
    before = await snapshot(world)
    for text in ("/unknown", "隐患 99999999999999999999", "#0", "排查 -1", "人员 停用 肖浩", "<xml/>&amp;", "🔥" * 700):
        clear(await answer(boss, boss.text(text)), text)
    for text in ("导出", "统计", "邀请 信息员 新龙村", "上报"):
        said = await answer(owner, owner.text(text))
        clear(said, text)
        assert not any("生成邀请" in s or "隐患台账" in s for s in said), (text, said)
    # The only trace: the supervisor's visible words with nothing in progress, kept as the next report's description.
    kept = await world.rig.rows("SELECT id FROM people WHERE wecom_userid = 'xiao'")
    assert await snapshot(world) == [*before[:4], kept, *before[5:]]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_replayed_callbacks_are_handled_once(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    results = await officer.deliver(officer.text("未整改"), times=3)  # WeCom's retries of one message
    assert [(r.status, r.body) for r in results] == [(200, "success")] * 3
    press = officer.card_press("q:open:0:::::", "gforged")
    assert [r.status for r in await officer.deliver(press, times=2)] == [200, 200]
    await officer.send("帮助")
    said = []
    while HELP not in (message := await officer.next_message()).text:
        said.append(message.text)
    assert len(said) == 2, said  # one list, one answer to the press


async def test_bad_signatures_and_garbage_xml_are_refused_and_reach_nothing(world: WeComRig) -> None:
    officer = await world.join("zeng", Role.OFFICER, village="新龙村")
    before = await snapshot(world)
    query, body = officer.sealed(officer.text("上报"))
    forged = dict(query, msg_signature="0" * 40)
    assert (await post_callback(world.wecom.callback_url, forged, body)).status == 403
    for garbage in (b"", b"not xml", b"<xml><Encrypt>!!!</Encrypt></xml>", b'<!DOCTYPE x [<!ENTITY a "b">]><xml/>'):
        result = await post_callback(world.wecom.callback_url, query, garbage)
        assert result.status in (400, 403), garbage
    sealed_garbage = officer.sealed("<xml><FromUserName>zeng</FromUserName></xml>")
    assert (await post_callback(world.wecom.callback_url, *sealed_garbage)).status == 400
    await officer.send("帮助")
    assert HELP in (await officer.next_message()).text  # nothing before it: the rest reached nobody
    assert await snapshot(world) == before


# ---- fuzzing: generated WeCom inputs at every step of a report --------------------------------------------------

STEPS = ("idle", "photos", "description", "category", "severity", "place", "location", "summary")
KINDS = ("text", "press", "step-press", "image", "location", "menu", "voice")
SUFFIXES = ("next", "submit", "cancel", "cat:3", "cat:99", "sev:m", "sev:x", "edit", "edit:description", "fix", "pl:0")
WECOM_FUZZ = settings(
    max_examples=int(os.environ.get("GRIDSAFE_FUZZ_EXAMPLES", "40")),
    deadline=None,
    derandomize=os.environ.get("GRIDSAFE_FUZZ_RANDOM") != "1",
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_seeds = itertools.count(500)


def _plaintext(member: WeComMember, kind: str, words: str, token: str | None, suffix: str) -> str:
    # Whatever WeCom sends is well-formed XML: a CDATA section cannot hold "]]>", nor XML any control character.
    words = "".join(c for c in words if c >= " " or c in "\t\n").replace("]]>", "") or "　"
    if kind == "text":
        return member.text(words)
    if kind == "press":
        return member.card_press(words[:200], "gfuzz")
    if kind == "step-press":
        return member.card_press(f"rp:{token or 'none'}:{suffix}", "gfuzz")
    if kind == "image":
        return member.image(png(next(_seeds)))
    if kind == "location":
        return member.location(len(words) % 90, -len(words), words)
    if kind == "menu":
        return member.menu_click(words[:40])
    return member._xml("voice", {"MediaId": "v" + words[:20], "Format": "amr"})


@WECOM_FUZZ
@example(step="summary", kind="step-press", words="", suffix="submit")
@example(step="photos", kind="image", words="", suffix="next")
@given(
    step=st.sampled_from(STEPS),
    kind=st.sampled_from(KINDS),
    words=st.text(max_size=80),
    suffix=st.sampled_from(SUFFIXES),
)
async def test_fuzz_a_wecom_officer_at_every_step_of_a_report(
    world: WeComRig, caplog: Any, step: str, kind: str, words: str, suffix: str
) -> None:
    services = world.rig.services
    if await services.access.wecom_actor("fuzz") is None:
        await world.join("fuzz", Role.OFFICER, village="新龙村")
    member = world.member("fuzz")
    member.consumed = len(world.wecom.inbox("fuzz"))
    # A minute later: an event is no retry of the last example's, and WeCom's 30 messages a minute to a member (which
    # the pacer keeps to, on this clock) start afresh.
    world.rig.clock.advance(timedelta(seconds=61))
    actor = await services.access.wecom_actor("fuzz")
    assert actor is not None
    await services.reporting.cancel(actor)
    draft = None if step == "idle" else await scenario.draft_until(services, actor, Step(step))
    before = await world.rig.rows("SELECT COUNT(*), MAX(id) FROM hazards")
    plaintext = _plaintext(member, kind, words, draft.token if draft else None, suffix)
    if kind == "image" and step in ("idle", "photos"):
        said = [(await member.next_message()).text for _ in (await member.deliver(plaintext))]  # the confirmation
        assert "已收到" in said[0], said
    else:
        said = await answer(member, plaintext)
    clear(said, f"{kind} {words!r} at {step}")
    submitted = kind == "step-press" and suffix == "submit" and step == "summary"
    after = await world.rig.rows("SELECT COUNT(*), MAX(id) FROM hazards")
    assert (after[0][0] - before[0][0]) == (1 if submitted else 0), (kind, suffix, step)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
