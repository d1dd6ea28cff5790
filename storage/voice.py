"""Voice notes of hazards: the audio kept where a description or a move's note was spoken instead of typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.voice import VoiceField, VoiceNote
from storage.database import Database
from storage.timestamps import to_db


@dataclass(frozen=True)
class HazardVoice:
    """One voice note of a hazard: what it stands for, the event it belongs to, the audio."""

    field: VoiceField
    event_id: int
    note: VoiceNote


class VoiceRepository:
    """The hazard_voice_notes table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        tx: aiosqlite.Connection,
        *,
        hazard_id: int,
        event_id: int,
        field: VoiceField,
        note: VoiceNote,
        now: datetime,
    ) -> None:
        """Link a stored voice note to the hazard and the event whose text it replaces."""
        await tx.execute(
            "INSERT INTO hazard_voice_notes (hazard_id, event_id, field, sha256, extension, file_id, seconds, size,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                hazard_id,
                event_id,
                field.value,
                note.sha256,
                note.extension,
                note.file_id,
                note.seconds,
                note.size,
                to_db(now),
            ),
        )

    async def of_hazard(self, hazard_id: int) -> list[HazardVoice]:
        """A hazard's voice notes, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT field, event_id, sha256, extension, file_id, seconds, size FROM hazard_voice_notes"
            " WHERE hazard_id = ? ORDER BY id",
            (hazard_id,),
        )
        return [
            HazardVoice(
                VoiceField(row["field"]),
                int(row["event_id"]),
                VoiceNote(
                    sha256=row["sha256"],
                    extension=row["extension"],
                    file_id=row["file_id"],
                    seconds=int(row["seconds"]),
                    size=int(row["size"]),
                ),
            )
            for row in rows
        ]
