"""Hazard records are official records: the database and photos are readable by their owner only."""

from __future__ import annotations

import os
import stat

from tests.flows import officer, submit, walk_to_summary
from tests.rig import Rig, png


async def test_database_wal_and_media_files_are_owner_only(rig: Rig) -> None:
    previous = os.umask(0o022)  # a usual umask, which would leave new files readable by everyone
    try:
        reporter = await officer(rig)
        await submit(reporter, await walk_to_summary(reporter, photo=png(8)))
    finally:
        os.umask(previous)
    data = rig.settings.storage.database.parent
    files = [os.path.join(folder, name) for folder, _, names in os.walk(data) for name in names]
    folders = [folder for folder, _, _ in os.walk(data)]
    names = {os.path.basename(path) for path in files}
    assert {"gridsafe.db", "gridsafe.db-wal", "gridsafe.db-shm"} <= names
    assert sum(1 for path in files if rig.settings.storage.media_dir.as_posix() in path) >= 1
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    for folder in folders:
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
