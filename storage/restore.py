"""Restoring a backup (storage/backup.py) to the configured database and media folder, keeping what was there."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError

from storage.backup import (
    DATABASE,
    MANIFEST,
    MEDIA,
    BackupError,
    Manifest,
    PathRefused,
    copy_hashed,
    integrity,
    references,
    schema_version,
    sha256_of,
    store_files,
    sync_dir,
    unmet,
)
from storage.owner_only import make_dir

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_COMPANIONS = ("-wal", "-shm", "-journal")


class ProblemKind(StrEnum):
    """What can be wrong with a backup."""

    NO_MANIFEST = "no_manifest"
    BAD_MANIFEST = "bad_manifest"
    DATABASE_MISSING = "database_missing"
    DATABASE_CHANGED = "database_changed"
    DATABASE_DAMAGED = "database_damaged"
    MEDIA_MISSING = "media_missing"
    MEDIA_CHANGED = "media_changed"
    REFERENCE_MISSING = "reference_missing"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a backup, with the file or detail it concerns."""

    kind: ProblemKind
    subject: str


class BackupInvalid(BackupError):
    """The backup is incomplete or was changed since it was taken."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__(path, problems)
        self.path = path
        self.problems = problems


# Problems that cost photos only: the database and every other photo can still be restored, if the operator accepts.
PHOTO_PROBLEMS = frozenset({ProblemKind.MEDIA_MISSING, ProblemKind.MEDIA_CHANGED, ProblemKind.REFERENCE_MISSING})


class PhotosDamaged(BackupInvalid):
    """The backup's database is sound but photos are missing or corrupt; restoring it needs the operator's consent."""


class TooNew(BackupError):
    """The backup comes from a GridSafe with a newer schema than this one knows."""

    def __init__(self, backup_version: int, supported: int) -> None:
        super().__init__(backup_version, supported)
        self.backup_version = backup_version
        self.supported = supported


class DatabaseInUse(PathRefused):
    """Another connection (the running bot) has the target database open."""


class TargetExists(PathRefused):
    """There is data where the backup would go, and replacing it was not asked for."""


@dataclass(frozen=True)
class Restored:
    """A restored backup: what it held, the schema version it came with, where the old data was moved, and the
    damaged photos that were left out (with the operator's consent)."""

    manifest: Manifest
    backup_version: int
    kept_aside: list[Path]
    left_out: list[Problem]


def verify(source: Path) -> Manifest:
    """Check a backup without changing anything: manifest, hashes, integrity, and that every referenced file is there."""
    manifest, problems = inspect(source)
    if problems:
        raise BackupInvalid(source, problems)
    return manifest


def inspect(source: Path) -> tuple[Manifest, list[Problem]]:
    """A backup's manifest and everything wrong with its files (an unreadable manifest is refused at once)."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupInvalid(source, [Problem(ProblemKind.NO_MANIFEST, str(path))])
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3])
        raise BackupInvalid(source, [Problem(ProblemKind.BAD_MANIFEST, detail)]) from exc
    problems: list[Problem] = []
    copy = source / DATABASE
    if not copy.is_file():
        problems.append(Problem(ProblemKind.DATABASE_MISSING, DATABASE))
    elif sha256_of(copy) != manifest.database.sha256:
        problems.append(Problem(ProblemKind.DATABASE_CHANGED, DATABASE))
    else:
        try:
            verdict = integrity(copy)
        except sqlite3.DatabaseError as exc:
            verdict = [str(exc)]
        if verdict != ["ok"]:
            problems.append(Problem(ProblemKind.DATABASE_DAMAGED, "; ".join(verdict[:3])))
        else:
            for missing in unmet(references(copy), manifest.media):
                problems.append(Problem(ProblemKind.REFERENCE_MISSING, missing))
    for file in manifest.media:
        stored = source / MEDIA / file.path
        if not stored.is_file():
            problems.append(Problem(ProblemKind.MEDIA_MISSING, file.path))
        elif sha256_of(stored) != file.sha256:
            problems.append(Problem(ProblemKind.MEDIA_CHANGED, file.path))
    return manifest, problems


def in_use(database: Path) -> bool:
    """Whether any connection (any process) has the database open, e.g. a running bot.

    An exclusive lock in EXCLUSIVE locking mode is only granted when no other connection holds the file: in WAL mode
    every open connection does, even an idle one, so this tells a running bot from a stopped one.
    """
    if not database.exists():
        return False
    conn = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return True
        raise
    except sqlite3.DatabaseError:
        return False  # not a database at all: nothing can be using it as one
    finally:
        conn.close()
    return False


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def _free_name(path: Path, stamp: str) -> Path:
    candidate = path.with_name(f"{path.name}.before-restore-{stamp}")
    number = 2
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", *_COMPANIONS)):
        candidate = path.with_name(f"{path.name}.before-restore-{stamp}-{number}")
        number += 1
    return candidate


def _move_aside(database: Path, media_dir: Path, stamp: str) -> list[tuple[Path, Path]]:
    """Rename the database (with its -wal, which may hold committed data) and the media folder; return the moves."""
    moves: list[tuple[Path, Path]] = []
    aside = _free_name(database, stamp)
    for suffix in ("", *_COMPANIONS):
        current = Path(f"{database}{suffix}")
        if current.exists():
            moves.append((current, Path(f"{aside}{suffix}")))
    if media_dir.exists():
        moves.append((media_dir, _free_name(media_dir, stamp)))
    done: list[tuple[Path, Path]] = []
    try:
        for current, target in moves:
            os.rename(current, target)
            done.append((current, target))
    except BaseException:
        _move_back(done)
        raise
    return done


def _move_back(moves: list[tuple[Path, Path]]) -> None:
    for original, aside in reversed(moves):
        os.rename(aside, original)


def _place_media(source: Path, manifest: Manifest, media_dir: Path, left_out: set[str]) -> None:
    """Copy the backup's media (but the damaged files left out) into a new folder beside media_dir, checking every
    hash, then rename it into place."""
    building = media_dir.with_name(f".{media_dir.name}.restoring")
    if building.exists():
        shutil.rmtree(building)  # left by an interrupted restore
    make_dir(building)
    try:
        expected = {file.path: file.sha256 for file in manifest.media if file.path not in left_out}
        for relative, file in store_files(source / MEDIA):
            if relative not in expected:
                continue  # not part of the backup
            make_dir(building / relative.split("/")[0])
            sha256, _ = copy_hashed(file, building / relative)
            if sha256 != expected.pop(relative):
                raise BackupInvalid(source, [Problem(ProblemKind.MEDIA_CHANGED, relative)])
        if expected:
            problems = [Problem(ProblemKind.MEDIA_MISSING, path) for path in sorted(expected)]
            raise BackupInvalid(source, problems)
        for folder in building.iterdir():
            sync_dir(folder)
        os.rename(building, media_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _place_database(source: Path, manifest: Manifest, database: Path) -> None:
    """Copy the backup's database beside the target, check its hash and integrity, then rename it into place."""
    building = database.with_name(f".{database.name}.restoring")
    try:
        sha256, _ = copy_hashed(source / DATABASE, building)
        if sha256 != manifest.database.sha256:
            raise BackupInvalid(source, [Problem(ProblemKind.DATABASE_CHANGED, DATABASE)])
        verdict = integrity(building)
        if verdict != ["ok"]:
            raise BackupInvalid(source, [Problem(ProblemKind.DATABASE_DAMAGED, "; ".join(verdict[:3]))])
        os.rename(building, database)
    except BaseException:
        building.unlink(missing_ok=True)
        raise


def restore(
    source: Path,
    database: Path,
    media_dir: Path,
    now: datetime,
    *,
    supported: int,
    force: bool = False,
    accept_missing_photos: bool = False,
) -> Restored:
    """Restore a backup to the database and media paths; the old data, if any and if `force`, is renamed, not deleted.

    Nothing is touched unless the backup checks out completely (or only photos are missing or corrupt and
    `accept_missing_photos` is given: they are left out), no connection has the database open and either there is no
    data yet or `force` is given.
    """
    manifest, problems = inspect(source)
    if any(problem.kind not in PHOTO_PROBLEMS for problem in problems):
        raise BackupInvalid(source, problems)
    if problems and not accept_missing_photos:
        raise PhotosDamaged(source, problems)
    backup_version = schema_version(source / DATABASE)
    if backup_version > supported:
        raise TooNew(backup_version, supported)
    if in_use(database):
        raise DatabaseInUse(database)
    if not force and (database.exists() or _has_files(media_dir)):
        raise TargetExists(database if database.exists() else media_dir)
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_dir.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    moves = _move_aside(database, media_dir, now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    try:
        damaged = {p.subject for p in problems if p.kind in (ProblemKind.MEDIA_MISSING, ProblemKind.MEDIA_CHANGED)}
        _place_media(source, manifest, media_dir, damaged)
        try:
            _place_database(source, manifest, database)
        except BaseException:
            shutil.rmtree(media_dir, ignore_errors=True)
            raise
    except BaseException:
        _move_back(moves)
        raise
    sync_dir(database.parent)
    sync_dir(media_dir.parent)
    kept_aside = [aside for original, aside in moves if original in (database, media_dir)]
    return Restored(manifest, backup_version, kept_aside, problems)
