"""`gridsafe backup` and `gridsafe restore`: a consistent copy of a running bot, checked before it is restored."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import EXIT_INCOMPLETE
from bot.clock import FakeClock
from bot.domain.people import Role
from bot.services.backup import restore_backup, take_backup
from bot.services.container import Services
from bot.settings import Settings
from sandbox.simusers import EVENT_TIMEOUT, SimUser
from storage.backup import (
    DATABASE,
    MANIFEST,
    MEDIA,
    Manifest,
    TargetNotEmpty,
    sha256_of,
    write_manifest,
)
from storage.database import Database
from storage.migrations import available, migrate
from storage.restore import BackupInvalid, DatabaseInUse, ProblemKind, TooNew, verify
from tests.flows import new_report_photos, officer, sha, submit
from tests.rig import Rig, gridsafe, import_example_roster, make_settings, png, running_bot
from tests.scenario import Cast, report, upload

# Villages of four different towns of the example roster, each with its officer.
VILLAGES = ["新龙村", "牛冲村", "西庄村", "松溪村"]


# ---- helpers ----


async def report_album(user: SimUser, photos: list[bytes], place: str) -> int:
    """An officer reports a hazard with an album of photos, tapping through every step."""
    await user.send_album(photos)
    await user.press("下一步", message=await new_report_photos(user, f"已收到 {len(photos)} 张照片"))
    await user.expect("请简要描述")
    await user.send(f"{place}门口堆放杂物")
    await user.press("消防", message=await user.expect("请选择隐患类别"))
    await user.press("一般隐患", message=await user.expect("请选择隐患等级"))
    await user.expect("场所")
    await user.send(place)
    await user.expect("发送当前位置")
    await user.send("跳过")
    await user.expect("已跳过位置")
    return await submit(user, await user.expect("请核对隐患信息"))


def rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its content."""
    return {str(p.relative_to(folder)): sha256_of(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def photos_check_out(settings: Settings) -> list[tuple[int, int]]:
    """(hazard id, photo count) of every hazard, asserting each photo's file is in the media folder with its hash."""
    database, media = settings.storage.database, settings.storage.media_dir
    for sha256, extension in rows(database, "SELECT sha256, extension FROM hazard_photos"):
        stored = media / str(sha256)[:2] / f"{sha256}.{extension}"
        assert stored.is_file(), stored
        assert sha256_of(stored) == sha256
    return [
        (int(str(hazard)), int(str(count)))
        for hazard, count in rows(
            database,
            "SELECT h.id, COUNT(p.id) FROM hazards h LEFT JOIN hazard_photos p ON p.hazard_id = h.id GROUP BY h.id",
        )
    ]


async def live_with_photos(tmp_path: Path, clock: FakeClock, hazards: int = 3) -> Settings:
    """A stopped GridSafe's data: the example roster and a few reported hazards with their photos."""
    settings = make_settings(tmp_path)
    services = await Services.open(settings, clock)
    try:
        await import_example_roster(services)
        cast = await Cast.assemble(services)
        for _ in range(hazards):
            await report(services, cast.officer, fixed_on_spot=True)
    finally:
        await services.close()
    return settings


async def backup_of(tmp_path: Path, clock: FakeClock) -> tuple[Settings, Path, Manifest]:
    """Data with hazards and photos, and a backup of it."""
    source = await live_with_photos(tmp_path / "source", clock)
    target = tmp_path / "backup"
    return source, target, await take_backup(source, clock, target)


# ---- (1) the round trip under load ----


async def test_backup_of_a_busy_bot_restores_a_consistent_snapshot_the_bot_runs_on(
    tmp_path: Path, clock: FakeClock
) -> None:
    backup_dir = tmp_path / "backup"
    async with running_bot(tmp_path / "live", clock) as rig:
        officers = [await officer(rig, village) for village in VILLAGES]
        backup_done = asyncio.Event()

        async def keep_reporting(k: int, user: SimUser) -> list[int]:
            # Each officer reports from before the first backup starts until after both have ended, and the last
            # report is begun after they ended: the bot is busy throughout however fast or slow the machine is,
            # and at least one hazard is surely committed after the snapshot.
            numbers: list[int] = []
            for i in itertools.count():
                last = backup_done.is_set()
                photos = [png(1 + k * 100_000 + i * 3 + j) for j in range(2 + (i + k) % 2)]
                numbers.append(await report_album(user, photos, f"{VILLAGES[k]}第{i}号商铺"))
                if last:
                    return numbers
            raise AssertionError("unreachable")

        reporting = [asyncio.create_task(keep_reporting(k, user)) for k, user in enumerate(officers)]
        await _until(rig, "SELECT COUNT(*) FROM hazards", lambda n: n >= 2)
        before = (await rig.rows("SELECT COUNT(*) FROM hazards"))[0][0]
        code, out, err = await gridsafe(rig.settings, "backup", str(backup_dir))
        after = (await rig.rows("SELECT COUNT(*) FROM hazards"))[0][0]
        # The same, in the bot's own process (the file work runs in a thread beside the bot's event loop).
        in_process = await take_backup(rig.settings, clock, tmp_path / "in-process")
        later = (await rig.rows("SELECT COUNT(*) FROM hazards"))[0][0]
        backup_done.set()
        reported = [n for numbers in await asyncio.gather(*reporting) for n in numbers]
        assert code == 0, err
        assert f"备份完成：{backup_dir}" in out and f"数据库版本 {available()[-1].version}" in out

        manifest = Manifest.model_validate_json((backup_dir / MANIFEST).read_bytes())
        assert before <= manifest.counts["hazards"] <= after
        assert after <= in_process.counts["hazards"] <= later
        assert verify(tmp_path / "in-process") == in_process
        live_hazards = await rig.rows("SELECT id, reporter_id, place, description FROM hazards ORDER BY id")
        live_photos = await rig.rows("SELECT hazard_id, stage, position, sha256 FROM hazard_photos ORDER BY id")
        assert len(live_hazards) == len(reported)

        # Restore into a fresh location, as on a spare machine, through the real command.
        restored = rig.settings.model_copy(update={"storage": make_settings(tmp_path / "restored").storage})
        code, out, err = await gridsafe(restored, "restore", str(backup_dir))
        assert code == 0, err
        assert "数据库完整性检查通过" in out and "原有数据" not in out
        database = restored.storage.database
        assert rows(database, "PRAGMA integrity_check") == [("ok",)]

        # One moment of the single writer: the hazards #1..#K, each with all its photos, exactly as the bot has them.
        kept = rows(database, "SELECT id, reporter_id, place, description FROM hazards ORDER BY id")
        count = manifest.counts["hazards"]
        assert len(kept) == count and kept == live_hazards[:count]
        ids = {row[0] for row in kept}
        assert rows(database, "SELECT hazard_id, stage, position, sha256 FROM hazard_photos ORDER BY id") == [
            p for p in live_photos if p[0] in ids
        ]
        per_hazard = photos_check_out(restored)
        assert all(2 <= photos <= 3 for _, photos in per_hazard)
        assert rows(database, "SELECT COUNT(DISTINCT hazard_id) FROM hazard_events WHERE kind = 'reported'") == [
            (count,)
        ]
        # Every photo the snapshot refers to (hazards and reports in progress) is in the backup; photos stored after
        # the snapshot may be there too.
        referenced = {p[3] for p in live_photos if p[0] in ids} | _draft_photos(database)
        assert referenced <= {f.sha256 for f in manifest.media}

        # The bot starts on the restored data: the reporter of the last restored hazard asks for it.
        rig.settings = restored
        await rig.restart()

        def reporter_of(place: object) -> SimUser:
            return next(user for village, user in zip(VILLAGES, officers, strict=True) if village in str(place))

        reporter = reporter_of(kept[-1][2])
        await reporter.send(f"/hazard {count}")
        card = await reporter.expect(f"#{count}")
        assert str(kept[-1][2]) in card.body
        photos = [str(row[0]) for row in rows(database, f"SELECT sha256 FROM hazard_photos WHERE hazard_id = {count}")]
        shown = [m for m in reporter.inbox if m.photo and m.message_id < card.message_id][-len(photos) :]
        assert [hashlib.sha256(rig.server.file_bytes(m.photo[-1])).hexdigest() for m in shown] == photos
        assert len(live_hazards) > count
        late = reporter_of(live_hazards[-1][2])  # their own hazard, reported after the snapshot: not restored
        await late.send(f"/hazard {len(live_hazards)}")
        await late.expect(f"没有找到隐患 #{len(live_hazards)}")


async def _until(rig: Rig, sql: str, condition: Callable[[int], bool], timeout: float = EVENT_TIMEOUT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition((await rig.rows(sql))[0][0]):
        assert asyncio.get_running_loop().time() < deadline, sql
        await asyncio.sleep(0.05)


def _draft_photos(database: Path) -> set[str]:
    found: set[str] = set()
    for (data,) in rows(database, "SELECT data FROM report_drafts"):
        draft = json.loads(str(data))
        found |= {p["sha256"] for p in draft.get("photos", []) + draft.get("after_photos", [])}
    return found


# ---- (2) the backup folder must be new or empty ----


async def test_backup_into_a_folder_with_something_in_it_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    settings = await live_with_photos(tmp_path / "live", clock, hazards=1)
    target = tmp_path / "backups" / "monday"
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    code, out, err = await gridsafe(settings, "backup", str(target))
    assert code != 0 and out == ""
    assert f"备份目录 {target} 已存在且不为空" in err
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "backups" / "a-file"
    a_file.write_text("", encoding="utf-8")
    with pytest.raises(TargetNotEmpty):
        await take_backup(settings, clock, a_file)
    # An existing empty folder is fine.
    empty = tmp_path / "backups" / "empty"
    empty.mkdir()
    manifest = await take_backup(settings, clock, empty)
    assert manifest.counts["hazards"] == 1 and (empty / MANIFEST).is_file()


async def test_backup_with_a_lost_and_a_corrupt_photo_keeps_the_rest_and_names_them(
    tmp_path: Path, clock: FakeClock
) -> None:
    settings = await live_with_photos(tmp_path / "live", clock, hazards=3)
    photos = [
        (str(sha256), str(extension))
        for sha256, extension in rows(
            settings.storage.database, "SELECT sha256, extension FROM hazard_photos ORDER BY id"
        )
    ]
    assert len(photos) == 6
    store = settings.storage.media_dir
    (lost_sha, lost_ext), (bad_sha, bad_ext) = photos[0], photos[3]
    (store / lost_sha[:2] / f"{lost_sha}.{lost_ext}").unlink()
    _flip_byte(store / bad_sha[:2] / f"{bad_sha}.{bad_ext}", 30)

    target = tmp_path / "backup"
    code, out, err = await gridsafe(settings, "backup", str(target))
    # The backup is written (database and every intact photo) and the exit status tells a timer something is wrong.
    assert code == EXIT_INCOMPLETE, err
    assert f"备份完成：{target}" in out and "照片文件 4 个" in out
    assert "数据库引用的 2 个照片文件" in err and "没有备份" in err
    assert f"缺失：{lost_sha}.{lost_ext}" in err and f"损坏（内容与文件名的校验值不符）：{bad_sha}.{bad_ext}" in err
    manifest = verify_manifest(target)
    assert [(d.file, d.reason) for d in manifest.damaged_media] == sorted(
        [(f"{lost_sha}.{lost_ext}", "missing"), (f"{bad_sha}.{bad_ext}", "corrupt")]
    )
    assert rows(target / DATABASE, "SELECT COUNT(*) FROM hazards") == [(3,)]
    assert {f.sha256 for f in manifest.media} == {sha256 for sha256, _ in photos} - {lost_sha, bad_sha}
    for file in manifest.media:
        assert sha256_of(target / MEDIA / file.path) == file.sha256

    # Restoring it names the damaged photos and needs the operator's consent.
    fresh = make_settings(tmp_path / "restored")
    code, out, err = await gridsafe(fresh, "restore", str(target))
    assert code != 0 and out == ""
    assert f"备份 {target} 中有 2 个照片文件缺失或损坏，未做任何改动" in err and "--accept-missing-photos" in err
    assert f"数据库引用的照片 {lost_sha}.{lost_ext} 不在备份中" in err
    assert not fresh.storage.database.parent.exists()
    code, out, err = await gridsafe(fresh, "restore", "--accept-missing-photos", str(target))
    assert code == 0, err
    assert "隐患 3 条，照片文件 4 个" in out and "以下 2 个照片文件缺失或损坏，没有恢复" in out
    assert rows(fresh.storage.database, "SELECT sha256 FROM hazard_photos ORDER BY id") == [(s,) for s, _ in photos]
    assert tree(fresh.storage.media_dir) == {f.path: f.sha256 for f in manifest.media}


async def test_one_flipped_bit_in_one_photo_of_a_backup_costs_that_photo_only(tmp_path: Path, clock: FakeClock) -> None:
    source, backup, manifest = await backup_of(tmp_path, clock)
    assert manifest.damaged_media == []
    damaged = manifest.media[0]
    _flip_byte(backup / MEDIA / damaged.path, 20)
    live = make_settings(tmp_path / "live")
    code, out, err = await gridsafe(live, "restore", str(backup))
    assert code != 0 and out == ""
    assert "中有 1 个照片文件缺失或损坏，未做任何改动" in err
    assert f"照片文件 {damaged.path} 的校验值与清单不符" in err and "--accept-missing-photos" in err
    assert not live.storage.database.parent.exists()

    code, out, err = await gridsafe(live, "restore", "--accept-missing-photos", str(backup))
    assert code == 0, err
    assert f"照片文件 {len(manifest.media) - 1} 个" in out
    assert f"没有恢复：\n- 照片文件 {damaged.path} 的校验值与清单不符" in out
    assert rows(live.storage.database, "SELECT COUNT(*) FROM hazards") == [(manifest.counts["hazards"],)]
    assert tree(live.storage.media_dir) == {f.path: f.sha256 for f in manifest.media[1:]}
    # Every photo but the damaged one is where the database says, as it was at the source.
    stored = rows(live.storage.database, "SELECT sha256, extension FROM hazard_photos")
    assert rows(source.storage.database, "SELECT sha256, extension FROM hazard_photos") == stored
    present = {str(sha256) for sha256, extension in stored if _in_store(live, str(sha256), str(extension))}
    assert present == {sha256 for sha256, _ in stored} - {damaged.sha256}


def _in_store(settings: Settings, sha256: str, extension: str) -> bool:
    path = settings.storage.media_dir / sha256[:2] / f"{sha256}.{extension}"
    return path.is_file() and sha256_of(path) == sha256


def verify_manifest(backup: Path) -> Manifest:
    """The manifest of a backup as written."""
    return Manifest.model_validate_json((backup / MANIFEST).read_bytes())


# ---- (3) a corrupt or incomplete backup is refused before anything is touched ----


def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _first_media(backup: Path, manifest: Manifest) -> Path:
    return backup / MEDIA / manifest.media[0].path


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("database byte", ProblemKind.DATABASE_CHANGED),
        ("media missing", ProblemKind.MEDIA_MISSING),
        ("media byte", ProblemKind.MEDIA_CHANGED),
        ("media and its entry missing", ProblemKind.REFERENCE_MISSING),
        ("no manifest", ProblemKind.NO_MANIFEST),
        ("manifest path", ProblemKind.BAD_MANIFEST),
    ],
)
async def test_corrupt_backup_is_refused_and_live_data_is_untouched(
    tmp_path: Path, clock: FakeClock, damage: str, problem: ProblemKind
) -> None:
    _, backup, manifest = await backup_of(tmp_path, clock)
    live = await live_with_photos(tmp_path / "live", clock, hazards=1)
    live_data = live.storage.database.parent
    untouched = tree(live_data), live_data.stat().st_mtime_ns  # nothing renamed, created or removed there either
    if damage == "database byte":
        _flip_byte(backup / DATABASE, (backup / DATABASE).stat().st_size // 2)
    elif damage == "media missing":
        _first_media(backup, manifest).unlink()
    elif damage == "media byte":
        _flip_byte(_first_media(backup, manifest), 20)
    elif damage == "media and its entry missing":
        _first_media(backup, manifest).unlink()
        write_manifest(backup, manifest.model_copy(update={"media": manifest.media[1:]}))
    elif damage == "no manifest":
        (backup / MANIFEST).unlink()
    else:
        document = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
        document["media"][0]["path"] = "../../live/data/gridsafe.db"
        (backup / MANIFEST).write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(BackupInvalid) as refused:
        await restore_backup(live, clock, backup, force=True)
    assert problem in [p.kind for p in refused.value.problems]
    assert (tree(live_data), live_data.stat().st_mtime_ns) == untouched

    if problem is ProblemKind.DATABASE_CHANGED:  # the command says it in Chinese
        code, out, err = await gridsafe(live, "restore", "--force", "--accept-missing-photos", str(backup))
        assert code != 0 and out == ""
        assert f"备份 {backup} 不完整或已被改动，未做任何改动" in err
        assert "数据库文件 gridsafe.db 的校验值与清单不符" in err
        assert (tree(live_data), live_data.stat().st_mtime_ns) == untouched
    if problem is ProblemKind.REFERENCE_MISSING:
        code, out, err = await gridsafe(live, "restore", "--force", str(backup))
        assert code != 0 and out == ""
        assert f"备份 {backup} 中有 1 个照片文件缺失或损坏，未做任何改动" in err
        assert f"数据库引用的照片 {manifest.media[0].path[3:]}" in err
        assert (tree(live_data), live_data.stat().st_mtime_ns) == untouched


async def test_backup_from_a_newer_gridsafe_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    _, backup, manifest = await backup_of(tmp_path, clock)
    with sqlite3.connect(backup / DATABASE) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    database = manifest.database.model_copy(update={"sha256": sha256_of(backup / DATABASE)})
    write_manifest(backup, manifest.model_copy(update={"database": database}))
    target = make_settings(tmp_path / "target")
    with pytest.raises(TooNew) as refused:
        await restore_backup(target, clock, backup)
    assert (refused.value.backup_version, refused.value.supported) == (99, len(available()))
    assert not target.storage.database.parent.exists()


# ---- (4) existing data is replaced only with --force, and then kept aside ----


async def test_restore_over_existing_data_needs_force_and_keeps_the_old_data_aside(
    tmp_path: Path, clock: FakeClock
) -> None:
    source, backup, manifest = await backup_of(tmp_path, clock)
    live = await live_with_photos(tmp_path / "live", clock, hazards=1)
    data = live.storage.database.parent
    old_db, old_media = tree(data)["gridsafe.db"], tree(live.storage.media_dir)

    code, out, err = await gridsafe(live, "restore", str(backup))
    assert code != 0 and out == ""
    assert f"{live.storage.database} 已有数据，未做任何改动。确定要用备份替换时请加 --force" in err
    assert tree(data)["gridsafe.db"] == old_db and tree(live.storage.media_dir) == old_media

    code, out, err = await gridsafe(live, "restore", "--force", str(backup))
    assert code == 0, err
    # The command uses the wall clock: the moved names are found rather than predicted.
    kept_db = [p for p in data.iterdir() if p.name.startswith("gridsafe.db.before-restore-")]
    kept_media = [p for p in data.iterdir() if p.name.startswith("media.before-restore-")]
    assert len(kept_db) == 1 and len(kept_media) == 1
    assert f"原有数据已改名保留：{kept_db[0]}" in out and f"原有数据已改名保留：{kept_media[0]}" in out
    # The old data is whole where it was moved: its database opens with its one hazard, its photos are all there.
    assert rows(kept_db[0], "SELECT COUNT(*) FROM hazards") == [(1,)]
    assert tree(kept_media[0]) == old_media
    # The restored data is the backup's.
    assert rows(live.storage.database, "SELECT COUNT(*) FROM hazards") == [(manifest.counts["hazards"],)]
    assert tree(live.storage.media_dir) == {f.path: f.sha256 for f in manifest.media}
    assert photos_check_out(live) == photos_check_out(source)


async def test_restore_is_refused_while_the_bot_runs_on_the_target(tmp_path: Path, clock: FakeClock) -> None:
    _, backup, _ = await backup_of(tmp_path, clock)
    async with running_bot(tmp_path / "live", clock) as rig:
        await rig.join(Role.OFFICER, village="新龙村")
        database = rig.settings.storage.database
        with pytest.raises(DatabaseInUse):
            await restore_backup(rig.settings, clock, backup, force=True)
        code, _, err = await gridsafe(rig.settings, "restore", "--force", str(backup))
        assert code != 0 and "正在使用中（机器人可能仍在运行）" in err
        assert not [p for p in database.parent.iterdir() if "before-restore" in p.name]
        assert await rig.rows("SELECT COUNT(*) FROM telegram_bindings") == [(1,)]  # the bot's data, still in place
    # Stopped, the same restore goes ahead.
    done = await restore_backup(rig.settings, clock, backup, force=True)
    assert [p.name for p in done.kept_aside] == ["gridsafe.db.before-restore-20261123T020000Z"]


async def test_restore_of_an_older_schema_applies_the_pending_migrations(tmp_path: Path, clock: FakeClock) -> None:
    old = make_settings(tmp_path / "old")
    db = await Database.open(old.storage.database)
    try:
        await migrate(db, available()[:3])  # roster, hazards, rectification: before checks existed
    finally:
        await db.close()
    with sqlite3.connect(old.storage.database) as conn:
        conn.execute("INSERT INTO towns (name) VALUES ('青龙镇')")
    backup = tmp_path / "backup"
    manifest = await take_backup(old, clock, backup)
    assert manifest.schema_version == 3
    target = make_settings(tmp_path / "target")
    done = await restore_backup(target, clock, backup)
    assert (done.backup_version, done.schema_version) == (3, len(available()))
    assert rows(target.storage.database, "SELECT name FROM towns") == [("青龙镇",)]
    assert rows(target.storage.database, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target.storage.database, "SELECT COUNT(*) FROM checks") == [(0,)]


# ---- (5) owner-only files and folders ----


async def test_backup_and_restored_files_are_readable_by_the_owner_only(tmp_path: Path, clock: FakeClock) -> None:
    previous = os.umask(0)  # even with the most permissive umask
    try:
        _, backup, manifest = await backup_of(tmp_path, clock)
        target = make_settings(tmp_path / "target")
        await restore_backup(target, clock, backup)
    finally:
        os.umask(previous)
    assert manifest.media
    for root in (backup, target.storage.media_dir):
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"
    assert stat.S_IMODE(target.storage.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.storage.database.parent.stat().st_mode) == 0o700


# ---- a photo shared by a check and an abandoned report stays in the store, so backups stay complete ----


async def test_cancelling_a_report_keeps_its_photo_when_a_check_uses_it(tmp_path: Path, clock: FakeClock) -> None:
    settings = make_settings(tmp_path / "live")
    services = await Services.open(settings, clock)
    try:
        await import_example_roster(services)
        cast = await Cast.assemble(services)
        photo = upload()
        await services.checks.log(cast.officer, 12, "全村走访", photo)
        await services.reporting.add_photo(cast.officer, photo)  # the same picture, sent again for a report
        assert await services.reporting.cancel(cast.officer)
    finally:
        await services.close()
    stored = settings.storage.media_dir / sha(photo.data)[:2] / f"{sha(photo.data)}.png"
    assert stored.is_file()
    manifest = await take_backup(settings, clock, tmp_path / "backup")
    assert sha(photo.data) in {f.sha256 for f in manifest.media}
