"""Backups of a live GridSafe: a consistent SQLite snapshot (online backup API) plus the media files it refers to.

A backup is a folder, readable by the owner only:

    manifest.json          what the backup holds, with the SHA-256 of every file (written last: no manifest, no backup),
                           and the photos the database refers to that could not be backed up (missing or corrupt)
    gridsafe.db            the database as of one moment (rollback-journal mode, no -wal file beside it)
    media/ab/<sha256>.ext  the media store's files, named by their content hash as in storage/media.py
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, field_validator, model_validator

from storage.owner_only import DIR_MODE, create_file, make_dir

FORMAT = "gridsafe-backup"
FORMAT_VERSION = 2
# Version 1 had no damaged_media: a backup it describes is read as one without damaged photos.
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"
DATABASE = "gridsafe.db"
MEDIA = "media"
# A snapshot whose referenced media vanished meanwhile (a report in progress was cancelled) is taken again.
SNAPSHOT_ATTEMPTS = 3
BUSY_TIMEOUT_MS = 5000

_MEDIA_PATH = re.compile(r"^([0-9a-f]{2})/(\1[0-9a-f]{62})\.([a-z0-9]{1,10})$")
_IMAGE_NAME = re.compile(r"^([0-9a-f]{64})\.([a-z0-9]{1,10})$")
_CHUNK = 1 << 20


class MediaFile(BaseModel):
    """One file of the media store, by its path under media/ ("ab/<sha256>.<ext>")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    sha256: str
    size: int

    @field_validator("path")
    @classmethod
    def _content_addressed(cls, value: str) -> str:
        # The name is the hash: no other path (and so no "../") can come from a tampered manifest.
        if not _MEDIA_PATH.match(value):
            raise ValueError(f"not a media store path: {value!r}")
        return value

    @model_validator(mode="after")
    def _named_by_hash(self) -> MediaFile:
        if _MEDIA_PATH.match(self.path).group(2) != self.sha256:  # type: ignore[union-attr]
            raise ValueError(f"{self.path} is not named by its hash {self.sha256}")
        return self


class DatabaseFile(BaseModel):
    """The database copy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: Literal["gridsafe.db"] = "gridsafe.db"
    sha256: str
    size: int


class DamagedMedia(BaseModel):
    """A photo the database refers to that is not in the backup: gone from the media store, or not what its name says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str  # <sha256>.<ext>, or the bare hash where the database keeps no extension
    reason: Literal["missing", "corrupt"]


class Manifest(BaseModel):
    """What a backup holds: written last, checked first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["gridsafe-backup"] = "gridsafe-backup"
    format_version: int = FORMAT_VERSION
    created_at: AwareDatetime
    schema_version: int
    database: DatabaseFile
    counts: dict[str, int]
    media: list[MediaFile]
    damaged_media: list[DamagedMedia] = []

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value not in READABLE_VERSIONS:
            raise ValueError(f"backup format {value} is not supported (this GridSafe reads {READABLE_VERSIONS})")
        return value


class BackupError(Exception):
    """A backup or restore that cannot be done; nothing was changed."""


class PathRefused(BackupError):
    """Nothing was done because of what is (or is not) at `path`."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.path = path


class TargetNotEmpty(PathRefused):
    """The backup folder exists and holds something (or is no folder)."""


class NoDatabase(PathRefused):
    """There is no database to back up."""


class SnapshotDamaged(BackupError):
    """The live database fails PRAGMA integrity_check."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# ---- files ----


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's content."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def copy_hashed(source: Path, target: Path) -> tuple[str, int]:
    """Copy a file to a new owner-only file, flushed to disk; return the SHA-256 and size of what was copied."""
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, os.fdopen(create_file(target), "wb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def sync_dir(path: Path) -> None:
    """Make a folder's entries (new names, renames) durable."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def store_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The complete files of a media store as (path under root, file); temporaries and strays are left out."""
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for file in sorted(folder.iterdir()):
            relative = f"{folder.name}/{file.name}"
            if file.is_file() and not file.is_symlink() and _MEDIA_PATH.match(relative):
                yield relative, file


# ---- the database ----


def _read_only(path: Path) -> sqlite3.Connection:
    # immutable: a copy nobody writes; opening it creates no -wal/-shm file and takes no lock.
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def snapshot(source: Path, target: Path) -> None:
    """Copy the live database as of one moment to a new owner-only file, with the online backup API.

    The copy is made in one step: in WAL mode that step is one read transaction, which sees one committed state and
    never blocks the bot's writer (readers and the writer do not wait for each other in WAL). Copying in several steps
    would gain nothing here and lose much: SQLite restarts a stepped backup whenever another connection writes, so a
    busy bot could keep it from ever finishing.
    """
    part = target.with_name(target.name + ".part")
    os.close(create_file(part))
    live = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        copy = sqlite3.connect(part)
        try:
            live.backup(copy)
            # A self-contained file: no -wal beside it, and its hash is the hash of the whole database.
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        finally:
            copy.close()
    finally:
        live.close()
    if problems != ["ok"]:
        part.unlink()
        raise SnapshotDamaged("; ".join(str(p) for p in problems[:5]))
    with os.fdopen(os.open(part, os.O_RDONLY)) as handle:
        os.fsync(handle.fileno())
    os.replace(part, target)


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")
    return [str(row[0]) for row in rows]


def schema_version(path: Path) -> int:
    """The highest migration applied to a database copy (0 when it has none)."""
    conn = _read_only(path)
    try:
        if "schema_migrations" not in _tables(conn):
            return 0
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        return int(row[0])
    finally:
        conn.close()


def counts(path: Path) -> dict[str, int]:
    """The number of rows of every table of a database copy."""
    conn = _read_only(path)
    try:
        return {name: int(conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]) for name in _tables(conn)}
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    """What PRAGMA integrity_check says about a database copy (["ok"] when sound)."""
    conn = _read_only(path)
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def references(path: Path) -> dict[str, str | None]:
    """Every media file a database copy refers to: SHA-256 -> extension (None where only the hash is stored).

    Hazard photos and voice notes, check photos, the photos and voice notes of reports and rectifications in progress
    (JSON), and images queued in the outbox (the monthly ranking chart). Tables a database of an older schema does not
    have yet are skipped.
    """
    found: dict[str, str | None] = {}
    conn = _read_only(path)
    try:
        tables = set(_tables(conn))
        if "hazard_photos" in tables:
            for sha256, extension in conn.execute("SELECT DISTINCT sha256, extension FROM hazard_photos"):
                found[str(sha256)] = str(extension)
        if "hazard_voice_notes" in tables:
            for sha256, extension in conn.execute("SELECT DISTINCT sha256, extension FROM hazard_voice_notes"):
                found[str(sha256)] = str(extension)
        if "checks" in tables:
            for (sha256,) in conn.execute("SELECT DISTINCT photo_sha256 FROM checks WHERE photo_sha256 IS NOT NULL"):
                found.setdefault(str(sha256), None)
        for table in ("report_drafts", "hazard_conversations"):
            if table in tables:
                for (data,) in conn.execute(f"SELECT data FROM {table}"):
                    for sha256, extension in _photos_in(json.loads(data)):
                        found[sha256] = extension
        if "outbox" in tables:
            for (payload,) in conn.execute("SELECT payload FROM outbox WHERE instr(payload, '\"image\"') > 0"):
                image = json.loads(payload).get("image")
                if isinstance(image, str) and (match := _IMAGE_NAME.match(image)):
                    found[match.group(1)] = match.group(2)
    finally:
        conn.close()
    return found


def _photos_in(value: Any) -> Iterator[tuple[str, str]]:
    """The (sha256, extension) of every photo object anywhere in a JSON document."""
    if isinstance(value, dict):
        sha256, extension = value.get("sha256"), value.get("extension")
        if isinstance(sha256, str) and isinstance(extension, str):
            yield sha256, extension
        for child in value.values():
            yield from _photos_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from _photos_in(child)


def unmet(wanted: dict[str, str | None], media: list[MediaFile]) -> list[str]:
    """The referenced files (sha256.ext, or the bare hash) that are not among the media files."""
    have = {file.sha256: file.path.rsplit(".", 1)[1] for file in media}
    missing = []
    for sha256, extension in sorted(wanted.items()):
        if sha256 not in have or (extension is not None and have[sha256] != extension):
            missing.append(f"{sha256}.{extension}" if extension else sha256)
    return missing


# ---- taking a backup ----


def _prepare_target(target: Path) -> bool:
    """Make sure the backup folder is new or empty; return whether it was created here."""
    if target.exists() or target.is_symlink():
        if not target.is_dir() or any(target.iterdir()):
            raise TargetNotEmpty(target)
        os.chmod(target, DIR_MODE)
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    make_dir(target)
    return True


def _copy_store(source: Path, target: Path, copied: dict[str, MediaFile]) -> None:
    """Copy the store's files not copied yet; a file whose content does not match its name is left out."""
    for relative, file in store_files(source):
        name_hash = relative.split("/")[1].split(".")[0]
        if name_hash in copied:
            continue
        destination = target / relative
        make_dir(target)
        make_dir(destination.parent)
        try:
            sha256, size = copy_hashed(file, destination)
        except FileNotFoundError:
            destination.unlink(missing_ok=True)  # removed meanwhile (an abandoned report's photo)
            continue
        if sha256 != name_hash:
            destination.unlink()
            continue
        copied[sha256] = MediaFile(path=relative, sha256=sha256, size=size)


def take(database: Path, media_dir: Path, target: Path, now: datetime) -> Manifest:
    """Back up the database and media store (while the bot may be running) into a new or empty folder."""
    if not database.is_file():
        raise NoDatabase(database)
    created = _prepare_target(target)
    try:
        return _take(database, media_dir, target, now)
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in target.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        raise


def damage(media_dir: Path, missing: list[str]) -> list[DamagedMedia]:
    """Why each referenced file could not be backed up: absent from the store, or there with other content."""
    found = []
    for file in missing:
        sha256 = file.split(".")[0]
        pattern = file if "." in file else f"{sha256}.*"
        present = any((media_dir / sha256[:2]).glob(pattern))
        found.append(DamagedMedia(file=file, reason="corrupt" if present else "missing"))
    return found


def _take(database: Path, media_dir: Path, target: Path, now: datetime) -> Manifest:
    copy = target / DATABASE
    copied: dict[str, MediaFile] = {}
    missing: list[str] = []
    # The snapshot first, then the files: every file it refers to was written before it (a photo is stored before
    # the row naming it is committed) and content-addressed files never change, so they can be copied afterwards.
    # A file missing after one snapshot may belong to a report cancelled meanwhile: a new snapshot no longer names it.
    # Files still missing after that are damage to the store: the backup is written anyway (a lost photo must not
    # cost the database its backups) and names them.
    for _ in range(SNAPSHOT_ATTEMPTS):
        snapshot(database, copy)
        _copy_store(media_dir, target / MEDIA, copied)
        previous, missing = missing, unmet(references(copy), list(copied.values()))
        if not missing or missing == previous:
            break
    manifest = Manifest(
        created_at=now,
        schema_version=schema_version(copy),
        database=DatabaseFile(sha256=sha256_of(copy), size=copy.stat().st_size),
        counts=counts(copy),
        media=sorted(copied.values(), key=lambda file: file.path),
        damaged_media=damage(media_dir, missing),
    )
    for folder in [target / MEDIA, *(target / MEDIA).glob("*")]:
        if folder.is_dir():
            sync_dir(folder)
    write_manifest(target, manifest)
    return manifest


def write_manifest(target: Path, manifest: Manifest) -> None:
    """Write manifest.json atomically (its presence marks a complete backup)."""
    part = target / f"{MANIFEST}.part"
    with os.fdopen(create_file(part), "w", encoding="utf-8") as handle:
        handle.write(manifest.model_dump_json(indent=2))
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, target / MANIFEST)
    sync_dir(target)
