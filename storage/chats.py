"""Chat storage: group chats already told that GridSafe works only in private chat."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database
from storage.timestamps import to_db


class ChatRepository:
    """SQL for the group_notices table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def note_group(self, chat_id: int, now: datetime) -> bool:
        """Remember a group chat was told GridSafe is private-only; True only the first time."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "INSERT INTO group_notices (chat_id, notified_at) VALUES (?, ?) ON CONFLICT (chat_id) DO NOTHING",
                (chat_id, to_db(now)),
            )
            return cursor.rowcount == 1
