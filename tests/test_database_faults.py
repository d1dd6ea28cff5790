"""The database file under the running bot: deleted, replaced, or locked by another process."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from bot import texts
from bot.clock import FakeClock, SystemClock
from bot.domain.people import Role
from bot.services.container import Services
from sandbox.botapi import BotApiServer
from sandbox.simusers import SimUser
from storage.database import DatabaseGone
from tests.botprocess import BotProcess
from tests.flows import officer, sha, submit, walk_to_summary
from tests.rig import gridsafe, import_example_roster, png, running_bot

WAIT = 15.0  # for an answer of the bot: generous, the machine is small and shared


async def told(user: SimUser, text: str, timeout: float = WAIT) -> None:
    """Wait until the person is told `text`, in the chat or as the answer to the button they pressed."""
    await user.wait_until(
        lambda: (
            any(text in (m.text or "") for m in user.inbox) or any(a.get("text") == text for a in user.callback_answers)
        ),
        timeout,
        repr(text),
    )


async def until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Wait for a condition outside the chat (a file on disk) to hold."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met"
        await asyncio.sleep(0.02)


def said(user: SimUser, fragment: str) -> bool:
    return any(fragment in (m.text or "") for m in user.inbox)


# ---- the database file deleted or replaced while the bot runs ----


async def test_database_deleted_while_running_stops_the_bot_and_the_person_is_not_told_it_is_saved(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with running_bot(tmp_path, clock) as rig:
        stopped = asyncio.Event()
        rig.app.bot_data.stop_running = stopped.set  # run_polling's stop, as the rig starts the application itself
        reporter = await officer(rig)
        summary = await walk_to_summary(reporter)
        rig.settings.storage.database.unlink()
        await reporter.press("提交", message=summary)
        await told(reporter, texts.DATABASE_GONE_REPLY)
        await asyncio.wait_for(stopped.wait(), WAIT)
        fatal = rig.app.bot_data.fatal
        assert isinstance(fatal, DatabaseGone) and not fatal.replaced
        assert not said(reporter, "已登记")
        # Nothing went into the deleted file (still readable through the bot's open connection).
        assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(0,)]


async def test_database_replaced_while_running_stops_the_bot(tmp_path: Path, clock: FakeClock) -> None:
    async with running_bot(tmp_path, clock) as rig:
        stopped = asyncio.Event()
        rig.app.bot_data.stop_running = stopped.set
        reporter = await officer(rig)
        database = rig.settings.storage.database
        other = database.with_name("other.db")
        other.write_bytes(database.read_bytes())
        other.replace(database)  # e.g. a file copied over it: the bot's connections still write to the old one
        await reporter.send_photo(png(3))
        await told(reporter, texts.DATABASE_GONE_REPLY)
        await asyncio.wait_for(stopped.wait(), WAIT)
        fatal = rig.app.bot_data.fatal
        assert isinstance(fatal, DatabaseGone) and fatal.replaced
        assert not said(reporter, "已收到 1 张照片")


async def test_bot_process_stops_when_its_database_is_deleted_and_will_not_start_on_an_empty_one(
    tmp_path: Path,
) -> None:
    async with BotApiServer() as server:
        bot = BotProcess(server, tmp_path / "deployment", REPORTING__PHOTO_BATCH_SECONDS="0.4")
        settings = bot.settings
        services = await Services.open(settings, SystemClock())
        try:
            await import_example_roster(services)
            created = await services.invites.create(Role.OFFICER, village="新龙村")
            reporter = server.user(1001, "信息员")
            await services.invites.redeem(created.code, reporter.id, reporter.id)
        finally:
            await services.close()
        async with bot:
            await bot.start()
            await reporter.send_photo(png(5))
            await reporter.expect("已收到 1 张照片", timeout=WAIT)
            database = settings.storage.database
            database.unlink()
            # The bot notices by itself (its outbox job writes every second), without anyone writing to it.
            assert await bot.exited() == 1
            logs = bot.logs()
            assert f"the database file {database} was deleted while the bot was running: stopping" in logs
            assert f"数据库文件 {database} 在运行中被删除，机器人已停止" in logs
            assert not database.exists(), "no empty database was made on the way out"

        # Started again, it refuses to create an empty database beside the photos; so does `gridsafe migrate`.
        token = {"TELEGRAM__TOKEN": server.token, "TELEGRAM__BASE_URL": server.base_url}
        polls = len(server.poll_arrivals)
        for command in ("run", "migrate"):
            code, out, err = await gridsafe(settings, command, **token)
            assert code == 1 and out == "", err
            assert f"找不到数据库 {database}，但照片目录 {settings.storage.media_dir} 里有 1 个文件" in err
            assert "gridsafe migrate --create-database" in err
            assert not database.exists()
        assert len(server.poll_arrivals) == polls, "the refused start never polled Telegram"
        # Told to, it creates one.
        code, out, err = await gridsafe(settings, "migrate", "--create-database")
        assert code == 0, err
        assert database.is_file() and "已升级数据库" in out


async def test_first_start_creates_the_database(tmp_path: Path) -> None:
    async with BotApiServer() as server:
        bot = BotProcess(server, tmp_path / "fresh")
        assert not bot.settings.storage.database.exists()
        async with bot:
            await bot.start()
        assert bot.settings.storage.database.is_file()


# ---- the database locked by another process ----


class _StillLocked(logging.Handler):
    """Set when a write has waited a full step for another process's lock and asks again (the wait under test)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("database ") and " still locked after " in record.getMessage():
            self.event.set()


@asynccontextmanager
async def still_locked() -> AsyncIterator[asyncio.Event]:
    """An event for "a write is still waiting for the lock", from the database's own log."""
    handler = _StillLocked()
    logger = logging.getLogger("storage.database")
    previous = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield handler.event
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@contextmanager
def write_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock (BEGIN IMMEDIATE), as an operator's sqlite3 would, until released."""
    other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


async def test_photo_sent_while_the_database_is_locked_is_stored_once_the_lock_is_released(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with running_bot(tmp_path, clock) as rig:
        reporter = await officer(rig)
        photo = png(11)
        async with still_locked() as waiting:
            with write_lock(rig.settings.storage.database) as other:
                await reporter.send_photo(photo)
                # The photo is downloaded and kept on disk; the write naming it waits for the lock.
                stored = rig.settings.storage.media_dir / sha(photo)[:2] / f"{sha(photo)}.png"
                await until(stored.is_file)
                # Past the old single busy timeout a write would have failed; now it asks again, still waiting.
                waiting.clear()
                await asyncio.wait_for(waiting.wait(), WAIT)
                assert await rig.draft_of(reporter) is None  # nothing stored while locked (the reader still reads)
                other.execute("ROLLBACK")  # the operator is done
                await reporter.expect("已收到 1 张照片", timeout=WAIT)
        draft = await rig.draft_of(reporter)
        assert draft is not None and [p.sha256 for p in draft.photos] == [sha(photo)]
        assert not said(reporter, texts.INTERNAL_ERROR) and not said(reporter, texts.DATABASE_BUSY)


async def test_submit_while_the_database_stays_locked_past_the_wait_is_refused_plainly_and_saves_nothing(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with running_bot(tmp_path, clock, STORAGE__WRITE_WAIT_SECONDS="1") as rig:
        reporter = await officer(rig)
        summary = await walk_to_summary(reporter, photo=png(12))
        before = await rig.draft_of(reporter)
        with write_lock(rig.settings.storage.database):
            await reporter.press("提交", message=summary)
            await told(reporter, texts.DATABASE_BUSY)
            assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(0,)]
            assert await rig.draft_of(reporter) == before  # the report in progress is as it was
        assert not said(reporter, "已登记")
        # Once the lock is gone, the same button works and the report is whole.
        number = await submit(reporter, summary)
        assert await rig.rows("SELECT COUNT(*) FROM hazard_photos WHERE hazard_id = ?", (number,)) == [(1,)]
        assert await rig.rows("SELECT COUNT(*) FROM hazards") == [(1,)]
