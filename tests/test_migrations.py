"""Migrations: an empty database migrates to the expected schema; each migration is all or nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from storage.database import Database
from storage.migrations import Migration, available, current_version, migrate

EXPECTED_TABLES = {
    "card_messages": {
        "channel",
        "chat_id",
        "message_key",
        "hazard_id",
        "person_id",
        "has_buttons",
        "sent_at",
    },
    "schema_migrations": {"version", "name", "applied_at"},
    "towns": {"id", "name"},
    "villages": {"id", "town_id", "name"},
    "people": {
        "id",
        "name",
        "role",
        "town_id",
        "village_id",
        "phone",
        "created_at",
        "updated_at",
        "deactivated_at",
        "moved_to",
        "wecom_userid",
        "last_channel",
    },
    "telegram_bindings": {
        "id",
        "person_id",
        "telegram_user_id",
        "chat_id",
        "invite_id",
        "bound_at",
        "ended_at",
        "end_reason",
    },
    "invites": {
        "id",
        "code_sha256",
        "person_id",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "used_by_telegram_user_id",
        "reason",
        "used_by_wecom_userid",
    },
    "group_notices": {"chat_id", "notified_at"},
    "places": {
        "id",
        "town_id",
        "village_id",
        "name",
        "type",
        "industry",
        "high_risk",
        "address",
        "latitude",
        "longitude",
        "owner_id",
        "grade",
        "status",
        "confirmed",
        "rejected",
        "uses",
        "created_at",
        "updated_at",
    },
    "place_events": {"id", "place_id", "actor_id", "at", "field", "from_value", "to_value"},
    "place_visits": {"id", "place_id", "town_id", "village_id", "person_id", "check_id", "visited_at", "photo_sha256"},
    "place_requests": {
        "id",
        "place_id",
        "requested_by",
        "requested_at",
        "field",
        "from_value",
        "to_value",
        "decided_by",
        "decided_at",
        "approved",
    },
    "hazard_voice_notes": {
        "id",
        "hazard_id",
        "event_id",
        "field",
        "sha256",
        "extension",
        "file_id",
        "seconds",
        "size",
        "added_at",
    },
}


async def _schema(db: Database) -> dict[str, set[str]]:
    tables = await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    schema = {}
    for (name,) in tables:
        columns = await db.fetch_all(f"PRAGMA table_info({name})")
        schema[name] = {c["name"] for c in columns}
    return schema


async def test_empty_database_migrates_to_the_expected_schema(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "g.db")
    try:
        applied = await migrate(db)
        assert [m.version for m in applied] == [m.version for m in available()]
        assert await current_version(db) == len(available())
        schema = await _schema(db)
        for table, columns in EXPECTED_TABLES.items():
            assert schema[table] == columns, table
        journal = await db.fetch_one("PRAGMA journal_mode")
        assert journal is not None and journal[0] == "wal"
    finally:
        await db.close()


async def test_migrating_twice_applies_nothing(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "g.db")
    try:
        await migrate(db)
        assert await migrate(db) == []
    finally:
        await db.close()


async def test_failed_migration_leaves_neither_change_nor_version(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "g.db")
    try:
        broken = [
            Migration(1, "good", "CREATE TABLE a (x INTEGER);"),
            Migration(2, "bad", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);"),
        ]
        with pytest.raises(Exception, match="nowhere"):
            await migrate(db, broken)
        schema = await _schema(db)
        assert "a" in schema and "b" not in schema
        assert await current_version(db) == 1
    finally:
        await db.close()


async def test_database_file_is_readable_by_owner_only(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "data" / "g.db")
    await db.close()
    mode = stat.S_IMODE((tmp_path / "data" / "g.db").stat().st_mode)
    assert mode & (stat.S_IRWXG | stat.S_IRWXO) == 0
