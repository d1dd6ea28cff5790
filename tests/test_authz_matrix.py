"""The authorization matrix: every command, alias and button × every role × every scope, as DESIGN.md says.

One bot runs for the whole module, with the cast of 青龙镇新龙村 bound through real invites and hazards planted in
every lifecycle state in three places seen from that cast:

- `village`: 新龙村 (the officer's and the owner's own village, in the supervisor's town),
- `town`: 牛冲村 (another village of the same town, 青龙镇),
- `city`: 民溪村 (a village of another town, 白石镇).

(The assigned ones are overdue, so /overdue has something to show and to hide.)

The EXPECTED tables below are written from DESIGN.md (sections 1, 2 and 4), not computed from bot/domain/policy.py.
Each case is sent through the loopback Bot API like a person would, followed by a sentinel button press: because a
chat's updates are handled in order, every reply to the case has arrived once the sentinel is answered, so each case
sees exactly its own replies. Every case checks the chat (the answer, and that no description, place or #number of a
hazard outside the asker's sight appears in it) and the database (nothing changes unless the case is allowed to change
it). A refusal about a hazard the asker may not see must read exactly as the answer about #999999, which does not
exist. Allowed cases that start a conversation are cancelled afterwards, and each allowed 复核通过 spends a hazard of
its own, so the planted hazards stay in their states for the next case.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot import texts
from bot.chat.commands import COMMANDS
from bot.clock import FakeClock
from bot.domain import vocabulary
from bot.domain.hazards import Hazard, Severity
from bot.domain.lifecycle import Move
from bot.domain.people import Actor, Role
from bot.domain.report import Step
from bot.services.container import Services
from bot.services.rectification import Done
from sandbox.simusers import BotMessage, SimUser
from tests import scenario
from tests.flows import walk_to_summary
from tests.rig import START, Rig, png, running_bot

pytestmark = pytest.mark.asyncio(loop_scope="module")

# ---- the EXPECTED tables, from DESIGN.md ---------------------------------------------------------------------

ROLES = ("officer", "owner", "supervisor", "admin", "unbound")
BOUND = ROLES[:4]
# Roster changes (DESIGN.md principle 2: who a person is follows the roster as it is now). "moved" was 白石镇's
# supervisor and was moved to 青龙镇: he acts exactly as a supervisor of 青龙镇 and not at all in 白石镇 (the `city`
# hazards). "removed" was a supervisor of 青龙镇 and was taken off the roster: he can do nothing and sees nothing.
CHANGED = ("moved", "removed")
MATRIX_ROLES = (*ROLES, *CHANGED)
ACTS_AS = {"moved": "supervisor"}


def acts_as(role: str) -> str:
    """The role whose powers this person of the matrix has now."""
    return ACTS_AS.get(role, role)


def shut_out(role: str) -> bool:
    """Not on the roster (never invited, or taken off it): told so, and nothing else."""
    return role in ("unbound", "removed")


SCOPES = ("village", "town", "city")
STATUSES = ("reported", "assigned", "submitted", "closed")
VILLAGE_OF = {"village": "新龙村", "town": "牛冲村", "city": "民溪村"}
OWNER_NAME = "张老板"  # the owner under test; every hazard of 新龙村 in the matrix is assigned to him once assigned
EVERYONE = frozenset(BOUND)

# DESIGN.md section 4, the command table ("who"). /hazard N is "by scope" (tested with hazards below).
COMMAND_WHO: dict[str, frozenset[str]] = {
    "start": EVERYONE,
    "help": EVERYONE,
    "report": frozenset({"officer", "supervisor"}),
    "check": frozenset({"officer", "supervisor"}),
    "open": frozenset({"officer", "supervisor", "admin"}),
    "overdue": frozenset({"officer", "supervisor", "admin"}),
    "mine": EVERYONE,
    "hazard": EVERYONE,
    "place": EVERYONE,
    "stats": frozenset({"supervisor", "admin"}),
    "rank": frozenset({"supervisor", "admin"}),
    "export": frozenset({"supervisor", "admin"}),
    "invite": frozenset({"supervisor", "admin"}),
    "person": frozenset({"admin"}),
    "cancel": EVERYONE,
}
ALIASES = {"帮助": "help", "上报": "report", "排查": "check", "未整改": "open", "逾期": "overdue", "我的": "mine"}
ALIASES |= {"统计": "stats", "排名": "rank", "导出": "export", "邀请": "invite", "人员": "person", "取消": "cancel"}
ALIASES |= {"隐患": "hazard", "场所": "place", "绑定": "start"}

# What an allowed command answers (a fragment of its first reply).
ANSWERS = {
    "start": "您已绑定为",
    "help": "可用功能：",
    "report": texts.ASK_PHOTOS,
    "check": "排查",
    "open": "未整改",
    "overdue": "逾期",
    "mine": "隐患",
    "hazard": texts.HAZARD_USAGE,
    "place": texts.PLACE_USAGE,
    "stats": "【统计】",
    "rank": "【月度排名】",
    "export": "隐患台账",
    "invite": "生成邀请链接",
    "person": "人员管理",
    "cancel": texts.NOTHING_TO_CANCEL,
}

# DESIGN.md section 2: the one state each move starts from.
MOVE_FROM = {
    "assign": "reported",
    "invalid": "reported",
    "duplicate": "reported",
    "submit": "assigned",
    "verify": "submitted",
    "reject": "submitted",
    "reopen": "closed",
    "reassign": "assigned",  # 改派: 整改中, overdue or not
}
# DESIGN.md sections 1 and 4: supervisors triage (交办 / 不属实 / 重复), verify (复核通过 / 不通过) and close; owners submit
# the evidence of their own hazards. Decision (DESIGN is silent): the city admin, whose scope is everything, may make
# every supervisor move anywhere. The officer's 代为提交 for an owner without Telegram is tested on its own below.
MOVERS: dict[str, frozenset[str]] = {
    "assign": frozenset({"supervisor", "admin"}),
    "invalid": frozenset({"supervisor", "admin"}),
    "duplicate": frozenset({"supervisor", "admin"}),
    "submit": frozenset({"owner"}),
    "verify": frozenset({"supervisor", "admin"}),
    "reject": frozenset({"supervisor", "admin"}),
    "reopen": frozenset({"supervisor", "admin"}),
    "reassign": frozenset({"supervisor", "admin"}),  # issue 13 item 11: the town's supervisors and the admins
}
MOVES = tuple(MOVE_FROM)


class Outcome(StrEnum):
    """How a case must end."""

    ALLOW = "allow"
    DENY = "deny"  # visible to the asker, but not theirs to do: told so
    HIDDEN = "hidden"  # outside what the asker may see: exactly the answer for a hazard that does not exist
    HANDLED = "handled"  # theirs to do, but the hazard is not in the state for it (该隐患已处理)
    OWNER_JOINED = "owner_joined"  # the officer's 代为提交 once the owner is on Telegram: the owner submits
    STRANGER = "stranger"  # not bound: told how to get an invite, nothing else


@dataclass(frozen=True)
class Planted:
    """A hazard planted for the matrix, with what must never leak about it."""

    id: int
    scope: str
    status: str
    owner: str | None
    reporter: str
    description: str
    place: str

    @property
    def village(self) -> str:
        return VILLAGE_OF[self.scope]


def sees(role: str, hazard: Planted) -> bool:
    """DESIGN.md section 1: officer one village; owner the hazards assigned to them; supervisor one town; admin all."""
    role = acts_as(role)
    if role == "officer":
        return hazard.scope == "village"
    if role == "owner":
        return hazard.owner == OWNER_NAME
    if role == "supervisor":
        return hazard.scope in ("village", "town")
    return role == "admin"


def may_move(role: str, move: str, hazard: Planted) -> bool:
    """Whether this role makes this move on this (visible) hazard, whatever its state."""
    role = acts_as(role)
    return role in MOVERS[move] and (move != "submit" or hazard.owner == OWNER_NAME)


def move_outcome(role: str, move: str, hazard: Planted) -> Outcome:
    if shut_out(role):
        return Outcome.STRANGER
    if not sees(role, hazard):
        return Outcome.HIDDEN
    if not may_move(role, move, hazard):
        return Outcome.DENY
    if hazard.status != MOVE_FROM[move]:
        return Outcome.HANDLED
    return Outcome.ALLOW


def card_buttons(role: str, hazard: Planted) -> set[str]:
    """The buttons a card may show: exactly the moves this person may make now."""
    return {f"hz:{hazard.id}:{m}" for m in MOVES if may_move(role, m, hazard) and hazard.status == MOVE_FROM[m]}


# What the first question of each allowed move is.
FIRST_QUESTION = {
    "assign": texts.ASK_OWNER,
    "invalid": texts.ASK_REASON[Move.INVALID],
    "duplicate": texts.ASK_ORIGINAL,
    "submit": texts.ASK_RECTIFY_PHOTOS,
    "reject": texts.ASK_REASON[Move.REJECT],
    "reopen": texts.ASK_REASON[Move.REOPEN],
    "reassign": texts.ASK_REASSIGN_OWNER,
}

NONEXISTENT = 999_999
SENTINEL = "~sentinel"
CJK = re.compile(r"[\u4e00-\u9fff]")
REFERENCED = re.compile(r"#(\d+)")

# ---- the world: one bot, the cast, the planted hazards -------------------------------------------------------


@dataclass
class Response:
    """What the bot did about one case: the callback answer (for a press) and the messages it sent."""

    answer: str | None
    messages: list[BotMessage]
    edited: str | None = None  # the pressed message's text after the case, if the case edited it

    @property
    def texts(self) -> list[str]:
        return [m.body for m in self.messages]

    def everything(self) -> str:
        """Every word the asker got, answer and edits included."""
        return "\n".join([self.answer or "", *self.texts, self.edited or ""])

    def normalized(self, asked: int | str) -> tuple[str | None, list[str]]:
        """The answer and texts with the hazard number (or word) asked about replaced, to compare two refusals."""
        mark = f"#{asked}" if isinstance(asked, int) else asked

        def norm(text: str) -> str:
            return text.replace(mark, "#N" if isinstance(asked, int) else "W")

        return (None if self.answer is None else norm(self.answer)), [norm(t) for t in self.texts]


@dataclass
class World:
    """The running bot, the people under test, the planted hazards and a cache of answers about nothing."""

    rig: Rig
    users: dict[str, SimUser]
    actors: dict[str, Actor]
    anchors: dict[str, BotMessage]
    helpers: dict[str, Actor]
    hazards: dict[tuple[str, str], Planted]
    pool: dict[tuple[str, str], Planted]  # submitted hazards kept for one allowed 复核通过 each
    proxy: dict[str, Planted]  # the officer's own reports: owner not on Telegram / owner on Telegram
    planted: list[Planted]
    ids: dict[str, int]  # village and town ids by name
    _nothing: dict[tuple[str, str], Response] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        return self.rig.services

    async def exchange(
        self, role: str, *, text: str | None = None, data: str | None = None, on: BotMessage | None = None
    ) -> Response:
        """Send a message or press (possibly forged) callback data, then a sentinel; return what came back."""
        user = self.users[role]
        anchor = self.anchors[role]
        target = on or anchor
        await (
            self.settle()
        )  # an earlier case's notifications (a co-supervisor's 您的卡片已更新) arrive before, not during
        first_message, first_answer = len(user.inbox), len(user.callback_answers)
        versions = len(target.history)
        if text is not None:
            await user.send(text)
        else:
            assert data is not None
            await user.press_data(data, target)
        await user.press_data(SENTINEL, anchor)
        wanted = first_answer + (1 if text is not None else 2)
        await user.wait_until(lambda: len(user.callback_answers) >= wanted, timeout=20, what="the sentinel's answer")
        answers = user.callback_answers[first_answer:]
        assert len(answers) == wanted - first_answer, f"more answers than presses: {answers}"
        sentinel = {"unbound": texts.UNBOUND_BUTTON, "removed": texts.DEACTIVATED_BUTTON}.get(role, texts.STALE_BUTTON)
        assert answers[-1].get("text") == sentinel, answers
        answer = None if text is not None else answers[0].get("text")
        edited = target.text if len(target.history) > versions else None
        return Response(answer=answer, messages=list(user.inbox[first_message:]), edited=edited)

    async def about_nothing(self, role: str, kind: str) -> Response:
        """The answer to the same request about hazard #999999, which does not exist (cached per role and kind)."""
        key = (role, kind)
        if key not in self._nothing:
            if kind == "hazard-command":
                self._nothing[key] = await self.exchange(role, text=f"/hazard {NONEXISTENT}")
            else:
                self._nothing[key] = await self.exchange(role, data=f"hz:{NONEXISTENT}:{kind}")
        return self._nothing[key]

    async def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """The rows a refused case must leave as they were."""
        queries = {
            "hazards": "SELECT * FROM hazards ORDER BY id",
            "events": "SELECT COUNT(*), MAX(id) FROM hazard_events",
            "photos": "SELECT COUNT(*), MAX(id) FROM hazard_photos",
            "outbox": "SELECT COUNT(*), MAX(id) FROM outbox",
            "conversations": "SELECT person_id, hazard_id, data FROM hazard_conversations ORDER BY person_id",
            "drafts": "SELECT person_id, data FROM report_drafts ORDER BY person_id",
            "checks": "SELECT COUNT(*) FROM checks",
            "invites": "SELECT COUNT(*) FROM invites",
            "bindings": "SELECT * FROM telegram_bindings ORDER BY person_id",
        }
        return {name: await self.rig.rows(sql) for name, sql in queries.items()}

    async def tidy(self, role: str) -> None:
        """Drop whatever this person has in progress, so the next case starts clean."""
        if role in self.actors:
            await self.services.rectification.cancel(self.actors[role])
            await self.services.reporting.cancel(self.actors[role])

    async def settle(self) -> None:
        """Deliver every notification due, so none arrives in the middle of a case."""
        while (await self.rig.rows("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')"))[0][0]:
            await self.rig.drain()

    def hidden_from(self, role: str) -> list[Planted]:
        return [h for h in self.planted if not sees(role, h)]

    def visible_ids(self, role: str) -> set[int]:
        return {h.id for h in self.planted if sees(role, h)}

    def assert_reveals_nothing_hidden(self, role: str, response: Response, asked: set[int] | None = None) -> None:
        """No description, place or number of a hazard the asker may not see; an owner never sees who reported."""
        said = response.everything()
        for hazard in self.hidden_from(role):
            assert hazard.description not in said, (role, hazard, said)
            assert hazard.place not in said, (role, hazard, said)
        if role == "owner":
            for name in {h.reporter for h in self.planted}:
                assert name not in said, (role, name, said)
        mentioned = {int(n) for n in REFERENCED.findall(said.replace(texts.ASK_ORIGINAL, ""))}
        allowed = self.visible_ids(role) | (asked or set())
        assert mentioned <= allowed | {NONEXISTENT}, (role, mentioned - allowed, said)


async def _report(rig: Rig, reporter: Actor, village_id: int, n: int, *, fixed: bool = False) -> Hazard:
    """A report through every step of the report service, as the chat would make it."""
    return await scenario.report(
        rig.services,
        reporter,
        description=f"矩阵隐患{n:03d}号描述",
        place=f"矩阵场所{n:03d}号",
        fixed_on_spot=fixed,
        village_id=village_id,
        photo=lambda: scenario.served(rig),
    )


async def build_world(rig: Rig) -> World:
    """Bind the cast through real invites and plant the hazards through the real services."""
    services = rig.services
    users = {
        "officer": await rig.join(Role.OFFICER, village="新龙村"),
        "owner": await rig.join(Role.OWNER, village="新龙村", name=OWNER_NAME),
        "supervisor": await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩"),
        "admin": await rig.join(Role.ADMIN, name="市应急局"),
        "unbound": rig.stranger("路人"),
        "moved": await rig.join(Role.SUPERVISOR, town="白石镇", name="钱卫东"),
        "removed": await rig.join(Role.SUPERVISOR, town="青龙镇", name="孙立新"),
    }
    helper_users = {
        "deputy": await rig.join(Role.SUPERVISOR, town="青龙镇", name="吕丽霞"),  # reports and assigns in 青龙镇
        "outsider": await rig.join(Role.SUPERVISOR, town="白石镇", name="余秀琴"),
        "far_officer": await rig.join(Role.OFFICER, village="民溪村"),
        "neighbour_owner": await rig.join(Role.OWNER, village="牛冲村", name="王老板"),
        "far_owner": await rig.join(Role.OWNER, village="民溪村", name="赵老板"),
    }
    actors: dict[str, Actor] = {}
    for role in BOUND:
        actor = await services.access.actor(users[role].id)
        assert actor is not None
        actors[role] = actor
    helpers: dict[str, Actor] = {}
    for name, user in helper_users.items():
        actor = await services.access.actor(user.id)
        assert actor is not None
        helpers[name] = actor
    offline = (await services.invites.create(Role.OWNER, village="新龙村", name="李老板")).person  # no Telegram
    ids: dict[str, int] = {}
    for table, name in [("villages", v) for v in VILLAGE_OF.values()] + [("towns", "青龙镇"), ("towns", "白石镇")]:
        ids[name] = (await rig.rows(f"SELECT id FROM {table} WHERE name = ?", (name,)))[0][0]

    where = {
        "village": (helpers["deputy"], helpers["deputy"], actors["owner"], "吕丽霞"),
        "town": (helpers["deputy"], helpers["deputy"], helpers["neighbour_owner"], "吕丽霞"),
        "city": (helpers["far_officer"], helpers["outsider"], helpers["far_owner"], "冯军"),
    }
    owner_names = {"village": OWNER_NAME, "town": "王老板", "city": "赵老板"}
    counter = itertools.count(1)
    planted: list[Planted] = []

    def keep(hazard: Hazard, scope: str, status: str, owner: str | None, reporter: str) -> Planted:
        record = Planted(hazard.id, scope, status, owner, reporter, hazard.description, hazard.place)
        assert hazard.status.value == status
        planted.append(record)
        return record

    hazards: dict[tuple[str, str], Planted] = {}
    for scope in SCOPES:
        reporter, supervisor, owner, reporter_name = where[scope]
        for status in STATUSES:
            # The assigned ones were reported and assigned ten days ago with seven days to go: overdue (逾期) now.
            rig.clock.set(START - timedelta(days=10) if status == "assigned" else START)
            hazard = await _report(rig, reporter, ids[VILLAGE_OF[scope]], next(counter))
            if status != "reported":
                hazard = await scenario.assign(services, supervisor, hazard.id, owner.id)
            rig.clock.set(START)
            if status in ("submitted", "closed"):
                hazard = await scenario.rectify(services, owner, hazard.id, "已整改完毕", lambda: scenario.served(rig))
            if status == "closed":
                hazard = await scenario.verify(services, supervisor, hazard.id)
            owned = owner_names[scope] if status != "reported" else None
            hazards[scope, status] = keep(hazard, scope, status, owned, reporter_name)
    # 即查即改 reports wait for 复核 with no owner: one for each allowed 复核通过 of the matrix.
    pool: dict[tuple[str, str], Planted] = {}
    spenders = [("supervisor", "village"), ("supervisor", "town"), ("admin", "village"), ("moved", "village")]
    for role, scope in [*spenders, ("moved", "town")]:
        hazard = await _report(rig, helpers["deputy"], ids[VILLAGE_OF[scope]], next(counter), fixed=True)
        pool[role, scope] = keep(hazard, scope, "submitted", None, "吕丽霞")
    for role, scope in (("admin", "town"), ("admin", "city")):
        reporter = helpers["deputy"] if scope == "town" else helpers["far_officer"]
        hazard = await _report(rig, reporter, ids[VILLAGE_OF[scope]], next(counter), fixed=True)
        pool[role, scope] = keep(hazard, scope, "submitted", None, "吕丽霞" if scope == "town" else "冯军")
    # The officer's own reports, assigned to an owner without Telegram (代为提交) and to the owner under test.
    proxy = {}
    for key, owner_id, owner_name in (("offline", offline.id, "李老板"), ("bound", actors["owner"].id, OWNER_NAME)):
        hazard = await _report(rig, actors["officer"], ids["新龙村"], next(counter))
        hazard = await scenario.assign(services, helpers["deputy"], hazard.id, owner_id)
        proxy[key] = keep(hazard, "village", "assigned", owner_name, "曾英海")

    # The roster changes, as an admin makes them (人员 调动 / 人员 停用 share this service with the import).
    roster = services.roster
    await roster.move(await roster.one("钱卫东", "白石镇"), "青龙镇")
    await roster.deactivate(await roster.one("孙立新"))
    moved = await services.access.actor(users["moved"].id)
    assert moved is not None and moved.town_name == "青龙镇"
    actors["moved"] = moved
    world = World(rig, users, actors, {}, helpers, hazards, pool, proxy, planted, ids)
    await world.settle()
    for role in ("unbound", "removed"):
        user = users[role]
        seen = len(user.inbox)
        await user.send("/start")

        def answered(user: SimUser = user, seen: int = seen) -> bool:
            return len(user.inbox) > seen

        await user.wait_until(answered, what="the answer to /start")
    world.anchors = {role: user.inbox[-1] for role, user in users.items()}
    return world


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    folder: Path = tmp_path_factory.mktemp("authz")
    # Notifications go out at once; the scheduler's pass runs at start-up only, so no reminder lands inside a case.
    clock = FakeClock(START)
    async with running_bot(
        folder, clock, SCHEDULE__CHAT_RATE_PER_SECOND="1000", SCHEDULE__PASS_INTERVAL_SECONDS="86400"
    ) as rig:
        yield await build_world(rig)


@pytest_asyncio.fixture(autouse=True, loop_scope="module")
async def tidy(world: World) -> AsyncIterator[None]:
    """After each case: whatever a case left in progress (an allowed 交办, a report) is dropped, whatever failed."""
    yield
    busy = await world.rig.rows("SELECT person_id FROM hazard_conversations UNION SELECT person_id FROM report_drafts")
    if busy:
        for role in world.actors:
            await world.tidy(role)


# ---- shared checks -------------------------------------------------------------------------------------------


async def mark_all_read(user: SimUser) -> None:
    """Let expect() start after everything already received (the matrix reads the inbox by position instead)."""
    while True:
        try:
            await user.next_message(timeout=0)
        except AssertionError:
            return


def assert_stranger(response: Response, *, pressed: bool, role: str = "unbound") -> None:
    """A person not bound learns how to get an invite (one taken off the roster: that they were), and nothing else."""
    removed = role == "removed"
    if pressed:
        assert response.answer == (texts.DEACTIVATED_BUTTON if removed else texts.UNBOUND_BUTTON)
        assert response.messages == []
    else:
        assert response.texts == [texts.DEACTIVATED if removed else texts.UNBOUND]


def assert_clear_refusal(response: Response) -> None:
    """A refused press is answered, in Chinese, with no message and no internal error."""
    assert response.answer is not None and CJK.search(response.answer), response.answer
    assert response.answer != texts.INTERNAL_ERROR
    assert response.messages == [], response.texts
    assert response.edited is None


async def assert_hidden(world: World, role: str, response: Response, hazard: Planted, kind: str) -> None:
    """Exactly what the asker gets for a hazard that does not exist, and no word about this one."""
    nothing = await world.about_nothing(role, kind)
    assert response.normalized(hazard.id) == nothing.normalized(NONEXISTENT)
    said = response.everything()
    for secret in (hazard.description, hazard.place, hazard.village, hazard.reporter):
        assert secret not in said, (secret, said)
    if kind != "hazard-command":
        assert response.answer == texts.hazard_not_found(hazard.id)


# ---- commands and aliases × roles ----------------------------------------------------------------------------


def _command_cases() -> list[Any]:
    cases = [pytest.param(f"/{c}", c, role, id=f"/{c}-{role}") for c in COMMAND_WHO for role in MATRIX_ROLES]
    cases += [
        pytest.param(alias, c, role, id=f"{c}-alias-{role}") for alias, c in ALIASES.items() for role in MATRIX_ROLES
    ]
    return cases


async def test_the_matrix_covers_every_command_and_alias() -> None:
    assert {c.name for c in COMMANDS} | {"start"} == set(COMMAND_WHO)
    assert vocabulary.COMMAND_ALIASES == ALIASES


@pytest.mark.parametrize(("said", "command", "role"), _command_cases())
async def test_command(world: World, said: str, command: str, role: str) -> None:
    before = await world.snapshot()
    response = await world.exchange(role, text=said)
    after = await world.snapshot()
    world.assert_reveals_nothing_hidden(role, response)
    if shut_out(role):
        assert_stranger(response, pressed=False, role=role)
        assert after == before
        return
    if acts_as(role) not in COMMAND_WHO[command]:
        refusal = texts.REPORT_NOT_ALLOWED if command == "report" else texts.NOT_ALLOWED
        assert response.texts == [refusal]
        assert after == before
        return
    assert response.messages, f"{said} got no answer"
    assert ANSWERS[command] in response.texts[0], response.texts
    refusals = {texts.NOT_ALLOWED, texts.REPORT_NOT_ALLOWED, texts.UNKNOWN_MESSAGE, texts.INTERNAL_ERROR}
    assert not refusals & set(response.texts)
    if command == "help":
        lines = response.texts[0].splitlines()
        for other, who in COMMAND_WHO.items():
            listed = any(line.startswith((f"/{other}（", f"/{other} ")) for line in lines)
            assert listed == (acts_as(role) in who and other != "start"), (other, lines)
    if command in ("open", "overdue"):
        # Most urgent first: the overdue hazards the asker may see lead the list.
        overdue = [f"#{h.id} " for h in (world.hazards[s, "assigned"] for s in SCOPES) if sees(role, h)]
        shown = [number for number in overdue if number in response.texts[0]]
        assert shown == overdue and overdue, (overdue, response.texts[0])
    if command == "report":
        drafts = after.pop("drafts")
        before.pop("drafts")
        assert [row[0] for row in drafts] == [world.actors[role].id]
    assert after == before


# ---- /hazard N and the 查看详情 button × roles × scopes × states --------------------------------------------------


def _hazard_cases() -> list[Any]:
    return [
        pytest.param(scope, status, role, id=f"{status}-{scope}-{role}")
        for status in STATUSES
        for scope in SCOPES
        for role in MATRIX_ROLES
    ]


async def _check_card(world: World, role: str, hazard: Planted, response: Response) -> None:
    cards = [m for m in response.messages if m.text and f"隐患 #{hazard.id} " in m.text]
    assert len(cards) == 1, response.texts
    card = cards[0].body
    assert hazard.description in card and hazard.place in card
    assert (hazard.reporter in card) == (role != "owner"), card
    shown = {str(b["callback_data"]) for row in (cards[0].reply_markup or {}).get("inline_keyboard", []) for b in row}
    assert shown == card_buttons(role, hazard)


async def _card_or_nothing(world: World, role: str, hazard: Planted, *, pressed: bool) -> None:
    """/hazard N (or 查看详情 when pressed): the card for who may see it, else exactly what a missing hazard gets."""
    before = await world.snapshot()
    if pressed:
        response = await world.exchange(role, data=f"hz:{hazard.id}:view")
    else:
        response = await world.exchange(role, text=f"/hazard {hazard.id}")
    assert await world.snapshot() == before
    world.assert_reveals_nothing_hidden(role, response, asked={hazard.id})
    if shut_out(role):
        assert_stranger(response, pressed=pressed, role=role)
    elif sees(role, hazard):
        assert not pressed or response.answer is None
        await _check_card(world, role, hazard, response)
    else:
        if pressed:
            assert_clear_refusal(response)
        await assert_hidden(world, role, response, hazard, "view" if pressed else "hazard-command")


@pytest.mark.parametrize(("scope", "status", "role"), _hazard_cases())
async def test_hazard_command(world: World, scope: str, status: str, role: str) -> None:
    await _card_or_nothing(world, role, world.hazards[scope, status], pressed=False)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("number", ["²", "١٢", "-1", "1_0", "+1", "0x1", "99999999999999999999", "9" * 200])
async def test_hazard_command_with_a_number_that_is_no_id(world: World, number: str, role: str) -> None:
    """Unicode digits, signs and numbers too large for the database: usage or "not found", never an error."""
    before = await world.snapshot()
    response = await world.exchange(role, text=f"/hazard {number}")
    assert await world.snapshot() == before
    world.assert_reveals_nothing_hidden(role, response, asked={int(n) for n in re.findall(r"[0-9]+", number)})
    if role == "unbound":
        assert_stranger(response, pressed=False)
    else:
        assert response.texts in ([texts.HAZARD_USAGE], [texts.hazard_not_found(number)]), response.texts


@pytest.mark.parametrize(("scope", "status", "role"), _hazard_cases())
async def test_view_button(world: World, scope: str, status: str, role: str) -> None:
    await _card_or_nothing(world, role, world.hazards[scope, status], pressed=True)


# ---- every hazard button × roles × scopes × states -------------------------------------------------------------


def _move_cases() -> list[Any]:
    return [
        pytest.param(move, scope, status, role, id=f"{move}-{status}-{scope}-{role}")
        for move in MOVES
        for status in STATUSES
        for scope in SCOPES
        for role in MATRIX_ROLES
    ]


async def assert_pressed_and_refused(
    world: World, role: str, response: Response, hazard: Planted, move: str, expected: Outcome
) -> None:
    """A hazard button refused as expected: the stranger's notice, "not found", "not allowed" or "already handled"."""
    if expected is Outcome.STRANGER:
        assert_stranger(response, pressed=True, role=role)
        return
    assert_clear_refusal(response)
    if expected is Outcome.HIDDEN:
        await assert_hidden(world, role, response, hazard, move)
    else:
        answers = {
            Outcome.DENY: texts.NOT_ALLOWED,
            Outcome.HANDLED: texts.HAZARD_HANDLED,
            Outcome.OWNER_JOINED: texts.OWNER_JOINED,
        }
        assert response.answer == answers[expected]


@pytest.mark.parametrize(("move", "scope", "status", "role"), _move_cases())
async def test_hazard_button(world: World, move: str, scope: str, status: str, role: str) -> None:
    hazard = world.hazards[scope, status]
    expected = move_outcome(role, move, hazard)
    if expected is Outcome.ALLOW and move == "verify":
        hazard = world.pool[role, scope]  # 复核通过 closes at once: each allowed case spends a hazard of its own
    before = await world.snapshot()
    response = await world.exchange(role, data=f"hz:{hazard.id}:{move}")
    after = await world.snapshot()
    world.assert_reveals_nothing_hidden(role, response, asked={hazard.id})
    if expected is not Outcome.ALLOW:
        await assert_pressed_and_refused(world, role, response, hazard, move, expected)
        assert after == before
        return
    actor = world.actors[role]
    assert response.answer is None
    if move == "verify":
        assert [f"#{hazard.id}" in t for t in response.texts] == [True], response.texts
        rows = await world.rig.rows("SELECT status, closure FROM hazards WHERE id = ?", (hazard.id,))
        assert rows == [("closed", "verified")]
        kinds = await world.rig.rows("SELECT kind, actor_id FROM hazard_events WHERE hazard_id = ?", (hazard.id,))
        assert kinds[-1] == ("verify", actor.id)
    else:
        assert response.texts == [FIRST_QUESTION[move]]
        assert after["hazards"] == before["hazards"] and after["events"] == before["events"]
        rows = await world.rig.rows("SELECT person_id, hazard_id FROM hazard_conversations")
        assert rows == [(actor.id, hazard.id)]


# ---- 代为提交: only the reporting officer, only for an owner without Telegram ---------------------------------------


@pytest.mark.parametrize(
    ("which", "role", "expected"),
    [
        ("offline", "officer", Outcome.ALLOW),  # the officer reported it and the owner has no Telegram
        ("bound", "officer", Outcome.OWNER_JOINED),  # the owner is on Telegram: they submit themselves
        ("bound", "owner", Outcome.ALLOW),
        ("offline", "owner", Outcome.HIDDEN),  # another owner's hazard in the same village
        ("offline", "supervisor", Outcome.DENY),
        ("offline", "admin", Outcome.DENY),
        ("offline", "unbound", Outcome.STRANGER),
    ],
)
async def test_submit_for_an_owner_without_telegram(world: World, which: str, role: str, expected: Outcome) -> None:
    hazard = world.proxy[which]
    before = await world.snapshot()
    response = await world.exchange(role, data=f"hz:{hazard.id}:submit")
    after = await world.snapshot()
    world.assert_reveals_nothing_hidden(role, response, asked={hazard.id})
    if expected is not Outcome.ALLOW:
        await assert_pressed_and_refused(world, role, response, hazard, "submit", expected)
        assert after == before
        return
    actor = world.actors[role]
    assert response.answer is None and response.texts == [texts.ASK_RECTIFY_PHOTOS]
    assert after["hazards"] == before["hazards"]
    assert await world.rig.rows("SELECT person_id, hazard_id FROM hazard_conversations") == [(actor.id, hazard.id)]


# ---- lists: /open and /overdue narrowed to a village, and their ◀ ▶ buttons × roles × scopes ----------------------

# Whose lists may reach where: an officer lists their village, a supervisor their town, an admin the city.
LISTS_REACH = {
    "officer": {"village"},
    "supervisor": {"village", "town"},
    "admin": {"village", "town", "city"},
}


def _list_cases() -> list[Any]:
    return [
        pytest.param(command, scope, role, id=f"{command}-{scope}-{role}")
        for command in ("/open", "/overdue", "未整改", "逾期")
        for scope in SCOPES
        for role in ROLES
    ]


@pytest.mark.parametrize(("command", "scope", "role"), _list_cases())
async def test_list_narrowed_to_a_village(world: World, command: str, scope: str, role: str) -> None:
    village = VILLAGE_OF[scope]
    before = await world.snapshot()
    response = await world.exchange(role, text=f"{command} {village}")
    assert await world.snapshot() == before
    world.assert_reveals_nothing_hidden(role, response)
    if role == "unbound":
        assert_stranger(response, pressed=False)
    elif role == "owner":
        assert response.texts == [texts.NOT_ALLOWED]
    elif scope in LISTS_REACH[role]:
        assert len(response.texts) == 1 and village in response.texts[0], response.texts
        assert not response.texts[0].startswith("没有看懂")
    else:
        nothing = await world.exchange(role, text=f"{command} 无此村")
        assert response.normalized(village) == nothing.normalized("无此村")


def _page_cases() -> list[Any]:
    cases = [pytest.param(f"village:{scope}", role, id=f"village-{scope}-{role}") for scope in SCOPES for role in ROLES]
    cases += [
        pytest.param(f"town:{scope}", role, id=f"town-{scope}-{role}") for scope in ("town", "city") for role in ROLES
    ]
    return cases


@pytest.mark.parametrize(("target", "role"), _page_cases())
async def test_page_button(world: World, target: str, role: str) -> None:
    """◀ ▶ carry town and village ids: a forged one is re-checked against the presser's scope."""
    kind, scope = target.split(":")
    if kind == "village":
        name = VILLAGE_OF[scope]
        data, nothing_data = f"q:o:0::{world.ids[name]}::", f"q:o:0::{NONEXISTENT}::"
        allowed = scope in LISTS_REACH.get(role, set())
    else:
        town = "青龙镇" if scope == "town" else "白石镇"
        data, nothing_data = f"q:o:0:{world.ids[town]}:::", f"q:o:0:{NONEXISTENT}:::"
        # A town is listed by its supervisor or an admin; the officer naming their own town still gets their village.
        allowed = role == "admin" or (role in ("supervisor", "officer") and scope == "town")
        name = VILLAGE_OF["village"] if role == "officer" else town
    user = world.users[role]
    page = user.inbox[-1]  # any message of the chat: the page is edited into it when allowed
    before = await world.snapshot()
    response = await world.exchange(role, data=data, on=page)
    assert await world.snapshot() == before
    world.assert_reveals_nothing_hidden(role, response)
    if role == "unbound":
        assert_stranger(response, pressed=True)
    elif role == "owner":
        assert_clear_refusal(response)
        assert response.answer == texts.NOT_ALLOWED
    elif allowed:
        # Edited into the pressed message (unless it already showed this very page: Telegram keeps it as it is).
        assert response.answer is None and response.messages == []
        assert page.text is not None and page.text.startswith("未整改隐患 · "), page.text
        assert name in page.text.splitlines()[0]
    else:
        assert_clear_refusal(response)
        nothing = await world.exchange(role, data=nothing_data, on=page)
        assert response.answer == nothing.answer == texts.STALE_BUTTON


# ---- forged callback data ------------------------------------------------------------------------------------

GARBAGE = [
    "",
    "hz",
    "hz:",
    "hz::",
    "hz:::",
    "hz:1",
    "hz:abc:verify",
    "hz:-1:verify",
    "hz:1.5:verify",
    "hz:1e3:view",
    "hz: 1:view",
    "hz:0x1:view",
    "hz:99999999999999999999:view",
    "hz:99999999999999999999:verify",
    "hz:1:verify:extra",
    "hz:1:VERIFY",
    "hz:1:explode",
    "q",
    "q:o:-1::::",
    "q:x:0::::",
    "q:o:0:abc:::",
    "q:o:0::-3::",
    "q:o:0:::999:",
    "q:o:0::::z",
    "q:o:99999999999999999999::::",
    "q:o:0:99999999999999999999:::",
    "q:o:0::99999999999999999999::",
    "rp",
    "rp:::",
    "rp:deadbeef:next",
    "rp:deadbeef:cat:-1",
    "rp:deadbeef:vil:99999999999999999999",
    "hc",
    "hc:deadbeef:days:7",
    "hc:deadbeef:owner:99999999999999999999",
    "\x00\x01\x02\x7f",
    "\u202e\u200b\ufeff",
    "🙂" * 16,
    "null",
    "hz:1:view\n",
    "'; DROP TABLE hazards; --",
    "hz:" + "1" * 70 + ":view",  # over-long: more than Telegram's 64 bytes
    "q:o:0:" + "9" * 80 + ":::",
    "rp:" + "a" * 100 + ":submit",
    "x" * 4096,
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("data", GARBAGE, ids=[f"garbage{i}" for i in range(len(GARBAGE))])
async def test_garbage_callback_data(world: World, data: str, role: str) -> None:
    before = await world.snapshot()
    response = await world.exchange(role, data=data)
    assert await world.snapshot() == before
    world.assert_reveals_nothing_hidden(role, response, asked={int(n) for n in re.findall(r"\d+", data)})
    if role == "unbound":
        assert_stranger(response, pressed=True)
    else:
        assert_clear_refusal(response)


async def test_a_real_button_with_another_hazards_id_or_another_action(world: World) -> None:
    """The owner's real 提交整改 and the supervisor's real 复核通过, edited: other ids and other actions are refused."""
    own = world.hazards["village", "assigned"]
    card = (await world.exchange("owner", text=f"/hazard {own.id}")).messages[-1]
    real = card.button_data("提交整改")
    assert real == f"hz:{own.id}:submit"
    before = await world.snapshot()
    for other in (world.hazards["town", "assigned"], world.hazards["city", "assigned"], world.proxy["offline"]):
        response = await world.exchange("owner", data=real.replace(f":{own.id}:", f":{other.id}:"), on=card)
        assert_clear_refusal(response)
        await assert_hidden(world, "owner", response, other, "submit")
    for move in ("verify", "reject", "assign", "invalid", "duplicate", "reopen", "reassign"):
        response = await world.exchange("owner", data=real.replace(":submit", f":{move}"), on=card)
        assert_clear_refusal(response)
        assert response.answer == texts.NOT_ALLOWED
    review = world.hazards["village", "submitted"]
    review_card = (await world.exchange("supervisor", text=f"/hazard {review.id}")).messages[-1]
    verify = review_card.button_data("复核通过")
    far = world.hazards["city", "submitted"]
    response = await world.exchange("supervisor", data=verify.replace(f":{review.id}:", f":{far.id}:"), on=review_card)
    assert_clear_refusal(response)
    await assert_hidden(world, "supervisor", response, far, "verify")
    # The officer of the village presses 复核通过 and 不通过 data of a hazard they can see.
    for move in ("verify", "reject"):
        response = await world.exchange("officer", data=f"hz:{review.id}:{move}")
        assert_clear_refusal(response)
        assert response.answer == texts.NOT_ALLOWED
    assert await world.snapshot() == before


async def _draft_at(world: World, role: str, step: Step, village: str = "新龙村") -> str:
    """A report of this person walked through the report service up to `step`; its token."""
    draft = await scenario.draft_until(
        world.services,
        world.actors[role],
        step,
        description="进行中的草稿",
        place="进行中的场所",
        category=1,
        village_id=world.ids[village],
        photo=lambda: scenario.served(world.rig),
    )
    return draft.token


async def test_buttons_of_a_cancelled_report_change_nothing(world: World) -> None:
    """A report walked to its summary in chat and cancelled: its buttons are stale, also for the next report."""
    officer = world.users["officer"]
    await mark_all_read(officer)
    summary = await walk_to_summary(officer, photo=png(4242), place="取消后的场所")
    token_buttons = [summary.button_data(label) for label in summary.buttons]
    assert any(d.endswith(":submit") for d in token_buttons)
    await officer.send("/cancel")
    await officer.press("确定取消", message=await officer.expect("确定取消吗"))
    await officer.expect(texts.REPORT_CANCELLED)
    assert (await world.snapshot())["drafts"] == []
    # The officer starts another report and brings it to its summary: the old buttons must not act on it.
    await _draft_at(world, "officer", Step.SUMMARY)
    before = await world.snapshot()
    token = token_buttons[0].split(":")[1]
    forged = [f"rp:{token}:edit:place", f"rp:{token}:fix", f"rp:{token}:edit:back"]
    for data in [*token_buttons, *forged]:
        response = await world.exchange("officer", data=data, on=summary)
        assert_clear_refusal(response)
        assert response.answer == texts.STALE_BUTTON, data
    assert await world.snapshot() == before
    assert await world.rig.rows("SELECT COUNT(*) FROM hazards WHERE place LIKE '%后的场所'") == [(0,)]


async def test_buttons_of_another_persons_report_or_action_are_stale(world: World) -> None:
    """The supervisor's report and 交办 in progress: others, at the very same steps of their own, cannot press them."""
    services = world.services
    boss = world.actors["supervisor"]
    token = await _draft_at(world, "supervisor", Step.CATEGORY)
    await _draft_at(world, "officer", Step.CATEGORY)
    target = world.hazards["village", "reported"]
    conversation = await services.rectification.begin(boss, target.id, Move.ASSIGN)
    assert not isinstance(conversation, Done)
    await services.rectification.begin(world.actors["admin"], target.id, Move.ASSIGN)  # the admin, at the same step
    before = await world.snapshot()
    owner_id = world.actors["owner"].id
    datas = [
        f"rp:{token}:cat:0",
        f"rp:{token}:edit",
        f"rp:{token}:cancel",
        f"rp:{token}:submit",
        f"hc:{conversation.token}:owner:{owner_id}",
        f"hc:{conversation.token}:newowner",
        f"hc:{conversation.token}:days:7",
        f"hc:{conversation.token}:photos",
    ]
    for role in ("officer", "owner", "admin", "unbound"):
        for data in datas:
            response = await world.exchange(role, data=data)
            if role == "unbound":
                assert_stranger(response, pressed=True)
            else:
                assert_clear_refusal(response)
                assert response.answer == texts.STALE_BUTTON, (role, data)
    assert await world.snapshot() == before


@pytest.mark.parametrize("scope", [*SCOPES, "nowhere"])
async def test_owner_button_of_assign_only_offers_the_hazards_village(world: World, scope: str) -> None:
    """交办 on a 新龙村 hazard with a forged owner id: only an owner of 新龙村 is taken, the rest look alike."""
    services = world.services
    boss = world.actors["supervisor"]
    target = world.hazards["village", "reported"]
    owners = {"village": world.actors["owner"].id, "town": world.helpers["neighbour_owner"].id}
    owners |= {"city": world.helpers["far_owner"].id, "nowhere": NONEXISTENT}
    conversation = await services.rectification.begin(boss, target.id, Move.ASSIGN)
    assert not isinstance(conversation, Done)
    before = await world.snapshot()
    response = await world.exchange("supervisor", data=f"hc:{conversation.token}:owner:{owners[scope]}")
    world.assert_reveals_nothing_hidden("supervisor", response)
    if scope == "village":
        assert response.answer is None
        assert len(response.texts) == 1 and "请选择整改期限" in response.texts[0]
        for days in ("-7", "0", "1000", "99999999999999999999"):
            stale = await world.exchange("supervisor", data=f"hc:{conversation.token}:days:{days}")
            assert_clear_refusal(stale)
            assert stale.answer == texts.STALE_BUTTON, days
        assert (await world.snapshot())["hazards"] == before["hazards"]
    else:
        assert_clear_refusal(response)
        assert response.answer == texts.STALE_BUTTON
        assert await world.snapshot() == before


@pytest.mark.parametrize("scope", [*SCOPES, "nowhere"])
async def test_village_button_of_a_supervisors_report_stays_in_the_town(world: World, scope: str) -> None:
    """A supervisor's report picks a village by button: a forged village of another town is refused."""
    services = world.services
    boss = world.actors["supervisor"]
    await services.reporting.add_photo(boss, scenario.served(world.rig))
    draft = await services.reporting.answer_text(boss, "村按钮测试")
    draft = await services.reporting.choose_category(boss, draft.token, 0)
    draft = await services.reporting.choose_severity(boss, draft.token, Severity.GENERAL)
    assert draft.step is Step.VILLAGE
    village = world.ids.get(VILLAGE_OF.get(scope, ""), NONEXISTENT)
    before = await world.snapshot()
    response = await world.exchange("supervisor", data=f"rp:{draft.token}:vil:{village}")
    stored = await world.rig.draft_of(world.users["supervisor"])
    assert stored is not None
    if scope in ("village", "town"):
        assert response.answer is None
        assert stored.village_id == village and stored.step is Step.PLACE
    else:
        assert_clear_refusal(response)
        assert response.answer == texts.STALE_BUTTON
        assert await world.snapshot() == before
    # An officer's report never has a village step: the same button is stale for them.
    officer = world.actors["officer"]
    await services.reporting.add_photo(officer, scenario.served(world.rig))
    begun = await services.reporting.draft(officer)
    if begun is not None and begun.follows is not None:  # right after their last report: 新的隐患
        await services.reporting.as_new(officer, begun.token)
    own = await services.reporting.answer_text(officer, "信息员的草稿")
    forged = await world.exchange("officer", data=f"rp:{own.token}:vil:{village}")
    assert_clear_refusal(forged)
    assert forged.answer == texts.STALE_BUTTON


async def test_owner_sees_only_own_hazards_in_mine_and_never_the_reporter(world: World) -> None:
    response = await world.exchange("owner", text="/mine")
    world.assert_reveals_nothing_hidden("owner", response)
    listed = {int(n) for n in REFERENCED.findall(response.texts[0])}
    open_owned = {h.id for h in world.planted if h.owner == OWNER_NAME and h.status in ("assigned", "submitted")}
    assert listed == open_owned


# ---- rebinding: an account holds one binding, and its old powers end the moment it changes ----------------------


async def _answer(user: SimUser, data: str, on: BotMessage) -> str | None:
    seen = len(user.callback_answers)
    await user.press_data(data, on)
    await user.wait_until(lambda: len(user.callback_answers) > seen, what="a callback answer")
    text = user.callback_answers[seen].get("text")
    return str(text) if text is not None else None


async def test_an_account_that_becomes_someone_else_loses_its_old_powers_at_once(world: World) -> None:
    """A fresh admin account opens an owner's invite and confirms: from that moment it is the owner, nothing more."""
    rig = world.rig
    account = await rig.join(Role.ADMIN, name="临时值班员")
    await account.send(f"/start {await rig.invite(Role.OWNER, village='新龙村', name='孙老板')}")
    await account.press(texts.BUTTON_SWITCH_CONFIRM, message=await account.expect("一个账号只能绑定一个身份"))
    await account.expect("绑定成功")
    await world.settle()
    assert await rig.rows(
        "SELECT p.name FROM telegram_bindings b JOIN people p ON p.id = b.person_id"
        " WHERE b.telegram_user_id = ? AND b.ended_at IS NULL",
        (account.id,),
    ) == [("孙老板",)]
    before = await world.snapshot()
    for command in ("/invite", "/export", "/open", "/stats", "邀请 信息员 新龙村", "/person", "人员 停用 孙立新"):
        await account.send(command)
        assert (await account.next_message()).text == texts.NOT_ALLOWED, command
    anchor = account.inbox[-1]
    moves = ((("city", "reported"), "assign"), (("village", "submitted"), "verify"), (("town", "assigned"), "reassign"))
    for (scope, status), move in moves:
        hazard = world.hazards[scope, status]
        assert await _answer(account, f"hz:{hazard.id}:{move}", anchor) == texts.hazard_not_found(hazard.id)
    assert await world.snapshot() == before


async def test_an_account_whose_person_moved_to_another_account_is_a_stranger_at_once(world: World) -> None:
    rig = world.rig
    old = await rig.join(Role.OFFICER, village="牛冲村")
    await old.send("/open")
    assert "未整改" in (await old.next_message()).body
    new = rig.stranger("新手机")
    await new.send(f"/start {await rig.invite(Role.OFFICER, village='牛冲村', reason='换了手机')}")
    await new.expect("已为您更换绑定的 Telegram 账号")
    await old.expect("【绑定变更】")
    await world.settle()
    before = await world.snapshot()
    for command in ("/open", "/person", "人员 停用 孙立新"):
        await old.send(command)
        assert (await old.next_message()).text == texts.UNBOUND, command
    for hazard, move in ((world.hazards["town", "reported"], "view"), (world.hazards["town", "assigned"], "reassign")):
        assert await _answer(old, f"hz:{hazard.id}:{move}", old.inbox[-1]) == texts.UNBOUND_BUTTON
    assert await world.snapshot() == before
    await new.send("/open")
    assert "未整改" in (await new.next_message()).body


async def test_nobody_verifies_a_rectification_they_submitted(world: World) -> None:
    """The supervisor's own 即查即改: 复核通过 and 不通过 are refused to him (and not shown), allowed to the admin."""
    boss = world.actors["supervisor"]
    hazard = await _report(world.rig, boss, world.ids["新龙村"], 900, fixed=True)
    await world.settle()
    before = await world.snapshot()
    for move in ("verify", "reject"):
        response = await world.exchange("supervisor", data=f"hz:{hazard.id}:{move}")
        assert_clear_refusal(response)
        assert response.answer == texts.OWN_SUBMISSION
    card = await world.exchange("supervisor", text=f"/hazard {hazard.id}")
    shown = {
        str(b["callback_data"])
        for row in (card.messages[-1].reply_markup or {}).get("inline_keyboard", [])
        for b in row
    }
    assert shown == {f"hz:{hazard.id}:add"}  # no move; as its reporter, 补充照片 only
    assert await world.snapshot() == before
    response = await world.exchange("admin", data=f"hz:{hazard.id}:verify")
    assert response.answer is None
    assert await world.rig.rows("SELECT status FROM hazards WHERE id = ?", (hazard.id,)) == [("closed",)]
