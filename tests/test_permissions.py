"""Hazard records are official records: the database and photos are readable by their owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.clock import FakeClock
from bot.services.container import Services
from tests.flows import officer, submit, walk_to_summary
from tests.rig import Rig, gridsafe, png
from tests.scenario import Cast, report


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


async def test_ledger_and_geojson_exports_are_owner_only(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    cast = await Cast.assemble(services)
    await report(services, cast.officer, location=(28.22817, 112.93881))  # on the map, with the owner's village
    xlsx, geojson = tmp_path / "ledger.xlsx", tmp_path / "hazards.geojson"
    geojson.write_text("", encoding="utf-8")
    os.chmod(geojson, 0o644)  # an older export overwritten: its wider rights go too
    month = clock.now().strftime("%Y-%m")
    previous = os.umask(0o022)  # a usual umask (the command inherits it), which leaves new files readable by all
    try:
        code, out, err = await gridsafe(
            services.settings, "export", "--month", month, "-o", str(xlsx), "--geojson", str(geojson)
        )
    finally:
        os.umask(previous)
    assert code == 0, err
    assert "隐患 1 条" in out and "有位置的隐患 1 条" in out
    for path in (xlsx, geojson):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gridsafe-ledger-")] == []
