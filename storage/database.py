"""The SQLite database: one writer connection serialised by a lock, one reader connection, WAL."""

from __future__ import annotations

import asyncio
import logging
import math
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

BUSY_TIMEOUT_MS = 5000
# How long a write waits by default for another process's write lock (an operator's sqlite3, a long roster import).
WRITE_WAIT_SECONDS = 60.0
# A write asks for the lock again after each step (SQLite's busy handler waits within a step), saying in the log that
# it still waits.
WRITE_STEP_SECONDS = 1.0
_SQLITE_BUSY = 5

log = logging.getLogger(__name__)


class DatabaseGone(Exception):
    """The database file was deleted or replaced under the running process: its writes would be lost."""

    def __init__(self, path: Path, replaced: bool) -> None:
        super().__init__(path, replaced)
        self.path = path
        self.replaced = replaced


class DatabaseMissing(Exception):
    """There is no database file, but photos beside it say there was one: an empty new one would lose everyone."""

    def __init__(self, path: Path, media_dir: Path, files: int) -> None:
        super().__init__(path, media_dir, files)
        self.path = path
        self.media_dir = media_dir
        self.files = files


class DatabaseBusy(Exception):
    """Another process kept the database's write lock longer than writes wait for it; nothing was written."""

    def __init__(self, path: Path, waited_seconds: float) -> None:
        super().__init__(path, waited_seconds)
        self.path = path
        self.waited_seconds = waited_seconds


def require_database(path: Path, media_dir: Path) -> None:
    """Refuse to create a database where one is missing but the media folder holds photos (it was lost, not new).

    A first start (no database, no photos) is fine: the database is created empty.
    """
    if path.exists() or not media_dir.is_dir():
        return
    files = sum(1 for entry in media_dir.rglob("*") if entry.is_file())
    if files:
        raise DatabaseMissing(path, media_dir, files)


async def _connect(path: Path, busy_timeout_ms: int) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    await conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    await conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _identity(path: Path) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino


def _step_ms(write_wait_seconds: float) -> int:
    return max(1, round(min(WRITE_STEP_SECONDS, write_wait_seconds) * 1000))


def _busy(exc: sqlite3.OperationalError) -> bool:
    return exc.sqlite_errorcode & 0xFF == _SQLITE_BUSY


class Database:
    """Both connections of one database file; every write goes through `transaction()`."""

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        identity: tuple[int, int],
        write_wait_seconds: float,
    ) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._identity = identity
        self._write_wait_seconds = write_wait_seconds
        self._step_ms = _step_ms(write_wait_seconds)
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, write_wait_seconds: float = WRITE_WAIT_SECONDS) -> Database:
        """Open (creating if needed, readable by the owner only) and switch the file to WAL.

        A write waits up to `write_wait_seconds` for another process's write lock, in steps of WRITE_STEP_SECONDS.
        """
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        writer = await _connect(path, _step_ms(write_wait_seconds))
        await writer.execute("PRAGMA journal_mode = WAL")
        await writer.execute("PRAGMA synchronous = NORMAL")
        reader = await _connect(path, BUSY_TIMEOUT_MS)
        return cls(path, writer, reader, _identity(path), write_wait_seconds)

    async def close(self) -> None:
        """Close both connections."""
        await self._reader.close()
        await self._writer.close()

    def check_file(self) -> None:
        """Raise DatabaseGone if the path no longer names the file the connections write to (deleted or replaced)."""
        try:
            current = _identity(self.path)
        except FileNotFoundError:
            raise DatabaseGone(self.path, replaced=False) from None
        if current != self._identity:
            raise DatabaseGone(self.path, replaced=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run a write transaction (BEGIN IMMEDIATE): committed on success, rolled back on error.

        The file is checked just before COMMIT: a write into a deleted database would look saved and be lost.
        """
        async with self._write_lock:
            await self._begin()
            try:
                yield self._writer
                self.check_file()
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting for another process's write lock step by step, up to the write wait."""
        step = self._step_ms / 1000
        steps = max(1, math.ceil(self._write_wait_seconds / step))
        for attempt in range(steps):
            try:
                await self._writer.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                # An operator sees why answers are slow (and who holds the lock is theirs to find).
                if attempt == 0:
                    log.warning(
                        "database %s is locked by another process; writes wait up to %s s",
                        self.path,
                        self._write_wait_seconds,
                    )
                else:
                    log.info("database %s still locked after %.0f s", self.path, (attempt + 1) * step)
                continue
            if attempt:
                log.info("database %s: the other process's write lock was released", self.path)
            return
        log.error("database %s stayed locked by another process for %s s", self.path, self._write_wait_seconds)
        raise DatabaseBusy(self.path, self._write_wait_seconds)

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the writer connection outside any transaction (for migrations, which manage their own)."""
        async with self._write_lock:
            # Migrations take the lock inside their own scripts: they wait for it the whole write wait in one go.
            await self._writer.execute(f"PRAGMA busy_timeout = {round(self._write_wait_seconds * 1000)}")
            try:
                yield self._writer
            finally:
                await self._writer.execute(f"PRAGMA busy_timeout = {self._step_ms}")

    # A read runs to its end in one step of the reader's thread. Executing, fetching and closing as separate steps let
    # other coroutines' reads run in between while the statement was open, inside its (older) read transaction: under
    # load a person could read their own draft as it was before their last write.
    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Run a read query on the reader connection and return every row."""
        return list(await self._reader.execute_fetchall(sql, tuple(params)))

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """Run a read query on the reader connection and return the first row, if any."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
