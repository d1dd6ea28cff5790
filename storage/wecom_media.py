"""WeCom media_ids of stored bytes, with their upload time: an image is uploaded once and reused within its 3 days."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database
from storage.timestamps import from_db, to_db


class WeComMediaRepository:
    """SQL for wecom_media_ids: per (kind, sha256), the media_id WeCom gave and when (WeCom forgets it after 3 days).

    The WeCom client reads and writes it through its MediaIds protocol (handlers/wecom/client.py), so every process
    and every restart reuses what was uploaded.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def media_id(self, kind: str, sha256: str) -> tuple[str, datetime] | None:
        """The media_id kept for these bytes and when they were uploaded, if any."""
        row = await self._db.fetch_one(
            "SELECT media_id, uploaded_at FROM wecom_media_ids WHERE kind = ? AND sha256 = ?", (kind, sha256)
        )
        return None if row is None else (str(row[0]), from_db(row[1]))

    async def keep_media_id(self, kind: str, sha256: str, media_id: str, uploaded: datetime) -> None:
        """Keep a new upload's media_id (replacing an older one)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO wecom_media_ids (kind, sha256, media_id, uploaded_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (kind, sha256) DO UPDATE SET media_id = excluded.media_id,"
                " uploaded_at = excluded.uploaded_at",
                (kind, sha256, media_id, to_db(uploaded)),
            )

    async def forget_media_id(self, kind: str, sha256: str) -> None:
        """WeCom refused the kept media_id: the next send uploads the bytes again."""
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM wecom_media_ids WHERE kind = ? AND sha256 = ?", (kind, sha256))
