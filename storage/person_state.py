"""One JSON document per person (a report in progress, a hazard conversation), so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

import aiosqlite
from pydantic import BaseModel

from storage.database import Database
from storage.timestamps import to_db

Model = TypeVar("Model", bound=BaseModel)


class PersonState(Generic[Model]):
    """SQL for a table (person_id PRIMARY KEY, data, updated_at) holding one `Model` per person."""

    def __init__(self, db: Database, table: str, model: type[Model]) -> None:
        self._db = db
        self._table = table
        self._model = model

    async def photo_in_use(self, sha256: str) -> bool:
        """Whether any hazard, check, report in progress or hazard conversation still refers to this photo (or voice
        note)."""
        row = await self._db.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM hazard_photos WHERE sha256 = ?)"
            " OR EXISTS (SELECT 1 FROM hazard_voice_notes WHERE sha256 = ?)"
            " OR EXISTS (SELECT 1 FROM checks WHERE photo_sha256 = ?)"
            " OR EXISTS (SELECT 1 FROM report_drafts WHERE instr(data, ?) > 0)"
            " OR EXISTS (SELECT 1 FROM hazard_conversations WHERE instr(data, ?) > 0)",
            (sha256, sha256, sha256, sha256, sha256),
        )
        return bool(row and row[0])

    async def get(self, person_id: int) -> Model | None:
        """The person's document."""
        row = await self._db.fetch_one(f"SELECT data FROM {self._table} WHERE person_id = ?", (person_id,))
        return self._model.model_validate_json(row[0]) if row else None

    async def all(self) -> list[Model]:
        """Every person's document."""
        return [
            self._model.model_validate_json(row[0])
            for row in await self._db.fetch_all(f"SELECT data FROM {self._table}")
        ]

    async def save(self, person_id: int, document: Model, now: datetime, *extra: tuple[str, object]) -> None:
        """Store the document as it is now."""
        columns = ", ".join(["person_id", "data", "updated_at", *(name for name, _ in extra)])
        marks = ", ".join("?" * (3 + len(extra)))
        updates = ", ".join(f"{c} = excluded.{c}" for c in ["data", "updated_at", *(name for name, _ in extra)])
        async with self._db.transaction() as tx:
            await tx.execute(
                f"INSERT INTO {self._table} ({columns}) VALUES ({marks})"
                f" ON CONFLICT (person_id) DO UPDATE SET {updates}",
                (person_id, document.model_dump_json(), to_db(now), *(value for _, value in extra)),
            )

    async def delete(self, tx: aiosqlite.Connection, person_id: int) -> None:
        """Remove the person's document (inside the caller's transaction)."""
        await tx.execute(f"DELETE FROM {self._table} WHERE person_id = ?", (person_id,))

    async def discard(self, person_id: int) -> None:
        """Remove the person's document on its own."""
        async with self._db.transaction() as tx:
            await self.delete(tx, person_id)
