"""Backup and restore as use cases: the file work runs in a worker thread, a restored database is migrated."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock
from bot.settings import Settings
from storage.backup import Manifest, take
from storage.database import Database
from storage.migrations import available, current_version, migrate
from storage.restore import Problem, restore


@dataclass(frozen=True)
class RestoreDone:
    """A restored backup: its manifest, the schema before and after migrating, where the old data was kept, and the
    damaged photos left out."""

    manifest: Manifest
    backup_version: int
    schema_version: int
    kept_aside: list[Path]
    left_out: list[Problem]


async def take_backup(settings: Settings, clock: Clock, target: Path) -> Manifest:
    """Back up the configured database and media store into `target` (new or empty); the bot may keep running.

    Photos that are missing or corrupt in the store are named in the manifest's damaged_media, not backed up.
    """
    storage = settings.storage
    return await asyncio.to_thread(take, storage.database, storage.media_dir, target, clock.now())


async def restore_backup(
    settings: Settings, clock: Clock, source: Path, *, force: bool = False, accept_missing_photos: bool = False
) -> RestoreDone:
    """Check and restore a backup to the configured paths (the bot must be stopped), then apply pending migrations."""
    storage = settings.storage
    restored = await asyncio.to_thread(
        restore,
        source,
        storage.database,
        storage.media_dir,
        clock.now(),
        supported=len(available()),
        force=force,
        accept_missing_photos=accept_missing_photos,
    )
    db = await Database.open(storage.database)
    try:
        await migrate(db)
        version = await current_version(db)
    finally:
        await db.close()
    return RestoreDone(restored.manifest, restored.backup_version, version, restored.kept_aside, restored.left_out)
