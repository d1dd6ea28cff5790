"""Crashes: kill -9 a real bot process while it downloads a photo, while it submits a report and while it sends
notifications; start it again on the same database, media folder and Bot API, and let people carry on.

The bot runs as production runs it (`python -m bot.cli run`, tests/botprocess.py) against the loopback Bot API
server in this test's event loop; a fault plan of the sandbox (sandbox/faults.py) holds one request so that the kill
lands in the middle of the work. After every kill the database and the media folder are checked as the next start
will find them, then the bot is started again. What must hold (README "Delivery (the outbox)"):

- no half-written hazard: a hazard exists with its photos (and their files), its first event and a notification
  for every supervisor of its town (and every admin if major), or it does not exist and the report in progress is
  intact and can still be submitted; `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds nothing;
- no lost hazard: every hazard found after one kill is there after every later one;
- no lost notification, and none sent twice unless it was in the at-least-once window: claimed (`sending`) but
  not confirmed (`sent`) when the process died.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.clock import SystemClock
from bot.domain.notifications import Message
from bot.domain.people import Role
from bot.domain.photos import media_file
from bot.domain.report import ReportDraft, Step
from bot.services.container import Services
from sandbox.botapi import BotApiServer
from sandbox.simusers import BotMessage, SimUser
from tests.botprocess import BotProcess
from tests.flows import sha, submit, walk_to_summary
from tests.rig import import_example_roster, png

pytestmark = pytest.mark.slow

WAIT = 15.0  # for an answer of the bot: generous, the machine is small and shared
OFFICER_ID = 1001
SUPERVISORS = ("肖浩", "吕丽霞")  # both supervisors of 青龙镇, the town of the officer's village 新龙村

# ---- a deployment: the loopback Bot API, the roster, and the bot in a process of its own ----------------------


@dataclass
class Deployment:
    """The Bot API server, the bot process, and the people bound to it (by person id)."""

    server: BotApiServer
    bot: BotProcess
    officer: SimUser
    officer_person: int
    supervisors: list[SimUser]
    admins: list[SimUser]
    people: dict[int, SimUser]  # person id -> their Telegram account
    known: dict[int, str] = field(default_factory=dict)  # every hazard seen so far: id -> description

    @property
    def database(self) -> Path:
        """The bot's SQLite file."""
        return self.bot.settings.storage.database

    @property
    def media(self) -> Path:
        """The bot's media folder."""
        return self.bot.settings.storage.media_dir


async def _bind(
    services: Services, server: BotApiServer, role: Role, user_id: int, **where: str
) -> tuple[int, SimUser]:
    """A roster person with an invite redeemed by a simulated Telegram account, as after `/start <code>`."""
    created = await services.invites.create(
        role, town=where.get("town"), village=where.get("village"), name=where.get("name")
    )
    user = server.user(user_id, where.get("name", role.value))
    redeemed = await services.invites.redeem(created.code, user.id, user.id)
    return redeemed.actor.id, user


@asynccontextmanager
async def deployment(tmp_path: Path, *, admins: int = 0, **env: str) -> AsyncIterator[Deployment]:
    """The example roster with 新龙村's officer, 青龙镇's supervisors and `admins` admins on Telegram; the bot
    running in its own process. On the way out the process is killed and its log printed (pytest shows it when the
    test failed)."""
    async with BotApiServer() as server:
        bot = BotProcess(
            server,
            tmp_path / "deployment",
            REPORTING__PHOTO_BATCH_SECONDS="0.4",
            # The process runs on the system clock: without quiet hours notifications go out whenever the test runs.
            SCHEDULE__QUIET_HOURS="0:00-0:00",
            SCHEDULE__CHAT_RATE_PER_SECOND="50",
            **env,
        )
        # Set up the way an operator would before the first start: roster imported, invites made (and redeemed).
        services = await Services.open(bot.settings, SystemClock())
        try:
            await import_example_roster(services)
            officer_person, officer = await _bind(services, server, Role.OFFICER, OFFICER_ID, village="新龙村")
            people = {officer_person: officer}
            supervisors = []
            for n, name in enumerate(SUPERVISORS):
                person, user = await _bind(services, server, Role.SUPERVISOR, 2001 + n, town="青龙镇", name=name)
                people[person] = user
                supervisors.append(user)
            admin_users = []
            for n in range(admins):
                person, user = await _bind(services, server, Role.ADMIN, 3001 + n, name=f"值班员{n + 1}")
                people[person] = user
                admin_users.append(user)
        finally:
            await services.close()
        try:
            await bot.start()
            yield Deployment(server, bot, officer, officer_person, supervisors, admin_users, people)
            assert bot.errors() == [], "the bot logged errors"
        finally:
            bot.kill()
            sys.stderr.write(bot.logs())


# ---- what the database and the media folder hold ----------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    """One notification."""

    id: int
    dedupe_key: str
    person_id: int
    status: str
    last_error: str | None
    message: Message


@dataclass(frozen=True)
class Durable:
    """What a start of the bot finds: hazards (id -> description, photo hashes), drafts, notifications."""

    hazards: dict[int, str]
    photos: dict[int, list[str]]  # hazard id -> SHA-256 of its before-photos, in order
    drafts: dict[int, ReportDraft]  # person id -> report in progress
    outbox: dict[int, OutboxRow]

    def sending(self) -> set[int]:
        """Notifications claimed but not confirmed: the at-least-once window."""
        return {row.id for row in self.outbox.values() if row.status == "sending"}

    def hazard_named(self, description: str) -> list[int]:
        """Ids of the hazards with this description."""
        return [number for number, text in self.hazards.items() if text == description]


def _rows(connection: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(sql, params).fetchall()]


def _media_file(world: Deployment, sha256: str, extension: str) -> Path:
    return world.media / sha256[:2] / f"{sha256}.{extension}"


def _check_media(world: Deployment, sha256: str, extension: str, what: str) -> None:
    path = _media_file(world, sha256, extension)
    assert path.exists(), f"{what}: media file {path.name} is missing"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, f"{what}: media file {path.name} is damaged"


def durable_state(world: Deployment) -> Durable:
    """Open the database as the next start will (WAL recovery included), check every invariant, return the state."""
    with closing(sqlite3.connect(world.database, timeout=10)) as db:
        assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
        assert _rows(db, "PRAGMA foreign_key_check") == []
        hazards = dict(_rows(db, "SELECT id, description FROM hazards"))
        outbox = {
            row[0]: OutboxRow(row[0], row[1], row[2], row[3], row[4], Message.model_validate_json(row[5]))
            for row in _rows(db, "SELECT id, dedupe_key, person_id, status, last_error, payload FROM outbox")
        }
        keys = {row.dedupe_key for row in outbox.values()}
        photos: dict[int, list[str]] = {}
        for number, town, severity in _rows(db, "SELECT id, town_id, severity FROM hazards"):
            stored = _rows(
                db,
                "SELECT position, sha256, extension FROM hazard_photos WHERE hazard_id = ? AND stage = 'before'"
                " ORDER BY position",
                (number,),
            )
            assert stored, f"hazard #{number} has no photos"
            assert [position for position, _, _ in stored] == list(range(1, len(stored) + 1)), f"#{number}: photo order"
            for _, sha256, extension in stored:
                _check_media(world, sha256, extension, f"hazard #{number}")
            photos[number] = [sha256 for _, sha256, _ in stored]
            events = _rows(db, "SELECT kind, to_status FROM hazard_events WHERE hazard_id = ? ORDER BY id", (number,))
            assert events[:1] == [("reported", "reported")], f"hazard #{number} has no 'reported' event"
            supervisors = _rows(db, "SELECT id FROM people WHERE role = 'supervisor' AND town_id = ?", (town,))
            expected = {f"hazard:{number}:new:{person}" for (person,) in supervisors}
            if severity == "major":
                admins = _rows(db, "SELECT id FROM people WHERE role = 'admin'")
                expected |= {f"hazard:{number}:major:{person}" for (person,) in admins}
            assert expected and expected <= keys, f"hazard #{number} lacks notifications {sorted(expected - keys)}"
        drafts = {
            person: ReportDraft.model_validate_json(data)
            for person, data in _rows(db, "SELECT person_id, data FROM report_drafts")
        }
    for person, draft in drafts.items():
        for photo in draft.photos + draft.after_photos:
            _check_media(world, photo.sha256, photo.extension, f"the draft of person {person}")
    # A photo file is complete under its final name or not there at all (temporary .part files aside).
    for path in world.media.rglob("*"):
        if path.is_file() and not path.name.endswith(".part"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.stem, f"half-written media file {path}"
    lost = {number: text for number, text in world.known.items() if hazards.get(number) != text}
    assert lost == {}, f"hazards lost: {lost}"
    world.known.update(hazards)
    return Durable(hazards, photos, drafts, outbox)


# ---- the Bot API's view: which update the bot has fetched and acknowledged, what reached each chat -------------


def last_update(server: BotApiServer) -> int:
    """The id of the update a simulated person has just sent."""
    return max(server.enqueued_at)


def fetched_at(server: BotApiServer, update_id: int) -> float | None:
    """When the getUpdates that handed this update to the bot arrived (None: not fetched yet)."""
    for call in server.calls_to("getUpdates"):
        if call.status == 200 and any(update["update_id"] == update_id for update in call.response["result"]):
            return call.arrived
    return None


def acknowledged(server: BotApiServer, update_id: int) -> bool:
    """Whether the bot has confirmed the update (a later getUpdates carried a higher offset), so that Telegram will
    not hand it out again after a restart. PTB polls again as soon as it has queued what it fetched, so an update is
    usually confirmed while it is still being handled; on a busy machine the kill can come first."""
    return fetched_at(server, update_id) is not None and server.confirmed(update_id)


async def redelivered(server: BotApiServer, update_id: int, since: float) -> bool:
    """After a restart: whether Telegram handed the update to the new process. A request the killed process had
    already written (its next poll, carrying the confirming offset) can still reach the server after the kill, so
    this is read from what the new process was given, not guessed at the moment of the kill."""

    def fetched_again() -> bool:
        return any(
            call.arrived >= since and any(update["update_id"] == update_id for update in call.response["result"])
            for call in server.calls_to("getUpdates")
            if call.status == 200
        )

    await until(lambda: fetched_again() or server.confirmed(update_id), "the update is confirmed or fetched again")
    return fetched_again()


async def until(predicate: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    """Wait until the predicate holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out after {timeout} s waiting until {what}"
        await asyncio.sleep(0.002)


def deliveries(world: Deployment, user: SimUser, message: Message) -> tuple[int, int]:
    """How many times the photo part (a photo or an album) and the text of a notification reached the person."""
    photos = 0
    if message.photos:
        # A notification names a photo by its file in the media store (or, queued before that, a Telegram file id);
        # what the person got is recognised by its content.
        stored = media_file(message.photos[0])
        first = stored[0] if stored else hashlib.sha256(world.server.file_bytes(message.photos[0])).hexdigest()
        photos = sum(
            1
            for m in user.inbox
            if m.method in ("sendPhoto", "sendMediaGroup")
            and hashlib.sha256(world.server.file_bytes(m.photo[-1])).hexdigest() == first
        )
    texts = sum(1 for m in user.inbox if m.method == "sendMessage" and m.text == message.text)
    return photos, texts


async def settled(world: Deployment) -> Durable:
    """Wait until no hazard notification is waiting or being sent, and return the state then."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while True:
        state = durable_state(world)
        busy = [
            r
            for r in state.outbox.values()
            if r.dedupe_key.startswith("hazard:") and r.status in ("pending", "sending")
        ]
        if not busy:
            return state
        assert loop.time() < deadline, f"notifications never sent: {[(r.dedupe_key, r.status) for r in busy]}"
        await asyncio.sleep(0.1)


def check_delivery(world: Deployment, state: Durable, window: set[int]) -> None:
    """Every hazard notification reached its person once; twice at most if it was in the at-least-once window."""
    for row in state.outbox.values():
        if not row.dedupe_key.startswith("hazard:"):
            continue  # the scheduler's reminders, which depend on the wall clock the process runs on
        user = world.people.get(row.person_id)
        if user is None:
            assert (row.status, row.last_error) == ("failed", "not bound to Telegram"), row  # not on Telegram
            continue
        assert row.status == "sent", row
        photos, texts = deliveries(world, user, row.message)
        most = 2 if row.id in window else 1
        assert 1 <= texts <= most, f"{row.dedupe_key}: text delivered {texts} times (window: {row.id in window})"
        if row.message.photos:
            assert 1 <= photos <= most, f"{row.dedupe_key}: photos delivered {photos} times"


# ---- driving a report ---------------------------------------------------------------------------------------------


async def answer_steps(user: SimUser, confirmation: BotMessage, *, description: str, severity: str) -> BotMessage:
    """From the photo confirmation to the summary: description, category, severity, place, no location."""
    await user.press("下一步", message=confirmation)
    await user.expect("请简要描述", WAIT)
    await user.send(description)
    await user.press("消防", message=await user.expect("请选择隐患类别", WAIT))
    await user.press(severity, message=await user.expect("请选择隐患等级", WAIT))
    await user.expect("场所", WAIT)
    await user.send("幸福超市")
    await user.expect("发送当前位置", WAIT)
    await user.send("跳过")
    return await user.expect("请核对隐患信息", WAIT)


async def report_album(user: SimUser, photos: list[bytes], *, description: str, severity: str) -> BotMessage:
    """Send the photos as one album and answer every step up to the summary."""
    await user.send_album(photos)
    confirmation = await user.expect(f"已收到 {len(photos)} 张照片", WAIT)
    return await answer_steps(user, confirmation, description=description, severity=severity)


# ---- the tests ----------------------------------------------------------------------------------------------------


async def test_kill_during_photo_download_keeps_the_draft_and_the_photos_already_kept(tmp_path: Path) -> None:
    async with deployment(tmp_path) as world:
        officer, server = world.officer, world.server
        first, second, third = png(101), png(102), png(103)
        await officer.send_album([first, second])
        await officer.expect("已收到 2 张照片", WAIT)

        held = server.faults.add("file", "slow", delay=30)  # the third photo's download hangs until the kill
        await officer.send_photo(third)
        update = last_update(server)
        await asyncio.wait_for(held.arrived.wait(), WAIT)
        await until(lambda: acknowledged(server, update), "the bot has confirmed the photo's update")
        world.bot.kill()

        state = durable_state(world)
        draft = state.drafts[world.officer_person]
        assert draft.step is Step.PHOTOS
        assert [p.sha256 for p in draft.photos] == [sha(first), sha(second)]
        files = sorted(path.name for path in world.media.rglob("*") if path.is_file())
        assert files == sorted(f"{sha(photo)}.png" for photo in (first, second))  # nothing of the third
        assert state.hazards == {}

        await world.bot.start()
        # Telegram does not hand out the photo again (it was confirmed): the officer sends it again and goes on.
        await officer.send_photo(third)
        confirmation = await officer.expect("已收到 3 张照片", WAIT)
        summary = await answer_steps(officer, confirmation, description="仓库电线私拉乱接", severity="一般隐患")
        number = await submit(officer, summary)

        state = await settled(world)
        assert state.photos == {number: [sha(first), sha(second), sha(third)]}
        assert world.officer_person not in state.drafts
        check_delivery(world, state, window=set())
        for supervisor in world.supervisors:
            album = [m for m in supervisor.inbox if m.method == "sendMediaGroup"]
            assert [server.file_bytes(m.photo[-1]) for m in album] == [first, second, third]


async def test_kill_after_submit_commits_but_before_the_answer(tmp_path: Path) -> None:
    async with deployment(tmp_path) as world:
        officer, server = world.officer, world.server
        summary = await walk_to_summary(officer, photo=png(201), location=False)
        held = server.faults.add("answerCallbackQuery", "slow", delay=30)  # the answer to 提交 hangs
        await officer.press("提交", message=summary)
        update = last_update(server)
        await asyncio.wait_for(held.arrived.wait(), WAIT)
        await until(lambda: acknowledged(server, update), "the bot has confirmed the press")
        world.bot.kill()

        # The officer never heard back, but the hazard is registered whole, with its notifications queued.
        state = durable_state(world)
        window = state.sending()
        assert list(state.hazards.values()) == ["超市后门消防通道堆放纸箱"]
        assert world.officer_person not in state.drafts
        (number,) = state.hazards
        assert state.photos[number] == [sha(png(201))]

        await world.bot.start()
        state = await settled(world)
        check_delivery(world, state, window)
        for supervisor in world.supervisors:
            await supervisor.expect(f"【新隐患·待交办】#{number}", WAIT)
        await officer.send("/mine")
        mine = await officer.expect("我的上报", WAIT)
        assert f"#{number}" in mine.body


# Kill moments after the bot fetched the press of 提交. The first is sure to land before the hazard is written (the
# test holds SQLite's write lock, so the bot's write waits), the last after it (the officer was told 已登记); those
# between land wherever the machine happens to be, and either outcome is checked as it comes.
BEFORE_THE_WRITE, AFTER_THE_ANSWER = "before the write", "after the answer"
SUBMIT_KILL_MOMENTS: tuple[float | str, ...] = (BEFORE_THE_WRITE, 0.0, 0.003, 0.01, 0.03, AFTER_THE_ANSWER)


@pytest.mark.timeout(150)  # six kills and restarts of a real bot process, on a slow shared machine
async def test_kill_at_any_moment_of_submit_leaves_all_or_nothing(tmp_path: Path) -> None:
    async with deployment(tmp_path) as world:
        officer, server = world.officer, world.server
        window: set[int] = set()
        committed_at_kill: list[bool] = []
        for n, moment in enumerate(SUBMIT_KILL_MOMENTS):
            description = f"第{n + 1}处：配电箱门锁损坏"
            photo = png(300 + n)
            summary = await walk_to_summary(officer, photo=photo, description=description, location=False)
            token = summary.button_data("提交")
            with closing(sqlite3.connect(world.database, timeout=10, isolation_level=None)) as lock:
                if moment == BEFORE_THE_WRITE:
                    lock.execute("BEGIN IMMEDIATE")  # the bot's write of the hazard now waits for this lock
                await officer.press("提交", message=summary)
                update = last_update(server)
                await until(lambda: fetched_at(server, update) is not None, "the bot has fetched the press")  # noqa: B023
                if moment == AFTER_THE_ANSWER:
                    await officer.expect("已登记", WAIT)
                elif isinstance(moment, float):
                    await asyncio.sleep(moment)
                world.bot.kill()
                if lock.in_transaction:
                    lock.execute("ROLLBACK")

            state = durable_state(world)
            window |= state.sending()
            found = state.hazard_named(description)
            committed = bool(found)
            committed_at_kill.append(committed)
            if committed:
                assert world.officer_person not in state.drafts
                assert state.photos[found[0]] == [sha(photo)]
            else:
                draft = state.drafts[world.officer_person]
                assert draft.step is Step.SUMMARY and draft.token in token
                assert draft.description == description and [p.sha256 for p in draft.photos] == [sha(photo)]
            restarted = time.monotonic()
            await world.bot.start()
            if not committed:
                if not await redelivered(server, update, restarted):
                    await officer.press("提交", message=summary)  # the same summary, pressed again
                await officer.expect("已登记", WAIT)
            state = durable_state(world)
            assert len(state.hazard_named(description)) == 1
            assert world.officer_person not in state.drafts

        # Both outcomes were seen: the kill landed before the hazard was written and after.
        assert committed_at_kill[0] is False and committed_at_kill[-1] is True, committed_at_kill
        state = await settled(world)
        assert sorted(state.hazards.values()) == sorted(
            f"第{n + 1}处：配电箱门锁损坏" for n in range(len(SUBMIT_KILL_MOMENTS))
        )
        check_delivery(world, state, window)


@pytest.mark.parametrize("method", ["sendMediaGroup", "sendMessage"])
async def test_kill_during_outbox_dispatch_loses_no_notification(tmp_path: Path, method: str) -> None:
    # A major hazard goes at once to both supervisors and every admin: eleven people on Telegram, an album and a card
    # each. The dispatcher sends to several chats side by side (each chat's album, then its card) at 8 requests a
    # second, and the sixth request of `method` is held until the kill. The kill finds notifications sent, half sent
    # (album delivered, card not), in flight and not yet begun, in proportions that depend on the machine's speed:
    # each is checked for what it is.
    async with deployment(tmp_path, admins=9, SCHEDULE__GLOBAL_RATE_PER_SECOND="8") as world:
        officer, server = world.officer, world.server
        recipients = {user.id: user for user in world.supervisors + world.admins}
        photos = [png(400 + n) for n in range(3)]
        summary = await report_album(officer, photos, description="液化气钢瓶露天存放", severity="重大隐患")
        counted = itertools.count(1)

        def sixth_of_the_hazard(params: dict[str, Any]) -> bool:
            # Albums are only the hazard's; a text must be its card (a scheduled reminder could fall due meanwhile).
            ours = method == "sendMediaGroup" or "液化气钢瓶露天存放" in str(params.get("text"))
            return _chat(params) in recipients and ours and next(counted) == 6

        held = server.faults.add(method, "slow", delay=4, match=sixth_of_the_hazard)
        number = await submit(officer, summary)
        await asyncio.wait_for(held.arrived.wait(), WAIT)
        world.bot.kill()
        target = recipients[_chat(held.calls[0].params)]

        state = durable_state(world)
        rows = [row for row in state.outbox.values() if row.dedupe_key.startswith(f"hazard:{number}:")]
        assert len(rows) == 2 + 10  # the town's 2 supervisors; 9 admins on Telegram and the roster's, who is not
        # What had reached each person at the kill, the held request counted as reached (it will be carried out).
        reached = {
            row.id: deliveries(world, world.people[row.person_id], row.message)
            for row in rows
            if row.person_id in world.people
        }
        target_row = next(row for row in rows if world.people.get(row.person_id) is target)
        photos_then, texts_then = reached[target_row.id]
        reached[target_row.id] = (
            (photos_then + 1, texts_then) if method == "sendMediaGroup" else (photos_then, texts_then + 1)
        )
        status_then = {row.id: row.status for row in rows}
        unconfirmed = {row_id for row_id, got in reached.items() if got != (0, 0) and status_then[row_id] != "sent"}
        not_begun = {row_id for row_id, got in reached.items() if got == (0, 0)}
        assert target_row.id in unconfirmed
        assert unconfirmed <= state.sending()  # whatever went out was claimed first
        assert all(status_then[row_id] in ("pending", "sending") for row_id in not_begun), status_then
        assert all(reached[row_id] == (1, 1) for row_id, status in status_then.items() if status == "sent")

        await world.bot.start()
        # The held request is carried out after its delay although its sender is gone (Telegram would have got it).
        await until(lambda: held.calls[0].carried_out, "the held request is carried out")
        state = await settled(world)
        check_delivery(world, state, window=unconfirmed)
        # Part by part: a confirmed notification is not sent again; of an unconfirmed one, what had not gone out
        # arrives once and what had gone out may arrive once more (the at-least-once duplicate); one claimed but
        # not begun arrives exactly once.
        for row_id, then in reached.items():
            row = state.outbox[row_id]
            got = deliveries(world, world.people[row.person_id], row.message)
            if status_then[row_id] == "sent":
                allowed = [{then[0]}, {then[1]}]
            else:
                allowed = [{max(then[0], 1), then[0] + 1}, {max(then[1], 1), then[1] + 1}]
            assert got[0] in allowed[0] and got[1] in allowed[1], (row.dedupe_key, status_then[row_id], then, got)
        # The held part reached Telegram before the kill and, unconfirmed, again after the restart.
        held_part = 0 if method == "sendMediaGroup" else 1
        assert deliveries(world, target, target_row.message)[held_part] == 2


def _chat(params: dict[str, Any]) -> int:
    """The chat a Bot API request goes to (form fields arrive as text)."""
    return int(str(params.get("chat_id", 0)))
