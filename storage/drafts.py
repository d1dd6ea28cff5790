"""Reports in progress, stored as JSON per person."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.report import ReportDraft
from storage.database import Database
from storage.timestamps import to_db


class DraftRepository:
    """SQL for report_drafts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, person_id: int) -> ReportDraft | None:
        """The person's report in progress."""
        row = await self._db.fetch_one("SELECT data FROM report_drafts WHERE person_id = ?", (person_id,))
        return ReportDraft.model_validate_json(row[0]) if row else None

    async def save(self, draft: ReportDraft, now: datetime) -> None:
        """Store the draft as it is now."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO report_drafts (person_id, data, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (person_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (draft.person_id, draft.model_dump_json(), to_db(now)),
            )

    async def delete(self, tx: aiosqlite.Connection, person_id: int) -> None:
        """Remove the person's draft (inside the caller's transaction)."""
        await tx.execute("DELETE FROM report_drafts WHERE person_id = ?", (person_id,))

    async def discard(self, person_id: int) -> None:
        """Remove the person's draft on its own."""
        async with self._db.transaction() as tx:
            await self.delete(tx, person_id)

    async def photo_in_use(self, sha256: str) -> bool:
        """Whether any hazard or any draft still refers to this photo."""
        row = await self._db.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM hazard_photos WHERE sha256 = ?)"
            " OR EXISTS (SELECT 1 FROM report_drafts WHERE instr(data, ?) > 0)",
            (sha256, sha256),
        )
        return bool(row and row[0])
