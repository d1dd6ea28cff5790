"""Numbered SQL migrations (storage/migrations/NNNN_name.sql), each applied with its version row in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from storage.database import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema change."""

    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """Every migration shipped with GridSafe, in version order; numbers must be unique and contiguous."""
    found = []
    for entry in resources.files("storage").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise RuntimeError(f"migration numbers must run 1..n without gaps, found {[m.version for m in found]}")
    return found


async def current_version(db: Database) -> int:
    """The highest applied migration, 0 for an empty database."""
    table = await db.fetch_one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    if table is None:
        return 0
    row = await db.fetch_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(row[0]) if row else 0


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply every pending migration (GridSafe's own unless given); return those applied."""
    applied = []
    async with db.exclusive() as conn:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
        )
        async with conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cursor:
            row = await cursor.fetchone()
        done = int(row[0]) if row else 0
        for migration in available() if migrations is None else migrations:
            if migration.version <= done:
                continue
            # executescript cannot join an open transaction, so the script carries its own BEGIN/COMMIT
            # and records its version inside it: the change and its version row land together or not at all.
            script = (
                "BEGIN IMMEDIATE;\n"
                f"{migration.sql}\n;"
                f"INSERT INTO schema_migrations (version, name) VALUES ({migration.version}, '{migration.name}');\n"
                "COMMIT;"
            )
            try:
                await conn.executescript(script)
            except Exception:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                raise
            applied.append(migration)
    return applied
