"""Telegram photo file_ids of stored images: sent once from the bytes, then by the file_id Telegram gave back."""

from __future__ import annotations

from storage.database import Database


class PhotoIdRepository:
    """SQL for telegram_photo_ids: per image (by SHA-256), a file_id Telegram accepts in sendPhoto."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def known(self, sha256s: list[str]) -> dict[str, str]:
        """The photo file_ids kept for these images (images without one are left out)."""
        if not sha256s:
            return {}
        marks = ", ".join("?" * len(sha256s))
        rows = await self._db.fetch_all(
            f"SELECT sha256, file_id FROM telegram_photo_ids WHERE sha256 IN ({marks})", sha256s
        )
        return {str(row[0]): str(row[1]) for row in rows}

    async def remember(self, file_ids: dict[str, str]) -> None:
        """Keep the photo file_ids Telegram gave for images just uploaded (sha256 -> file_id)."""
        if not file_ids:
            return
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO telegram_photo_ids (sha256, file_id) VALUES (?, ?)"
                " ON CONFLICT (sha256) DO UPDATE SET file_id = excluded.file_id",
                list(file_ids.items()),
            )

    async def forget(self, sha256s: list[str]) -> None:
        """Telegram refused these kept file_ids (e.g. after a change of bot token): upload the images again."""
        async with self._db.transaction() as tx:
            await tx.executemany("DELETE FROM telegram_photo_ids WHERE sha256 = ?", [(s,) for s in sha256s])
