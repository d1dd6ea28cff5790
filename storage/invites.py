"""Invite and binding storage: one-time codes (hashed) and the history of Telegram bindings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timestamps import from_db, to_db


@dataclass(frozen=True)
class InviteRecord:
    """A stored invite."""

    id: int
    person_id: int
    expires_at: datetime
    used_at: datetime | None
    used_by_telegram_user_id: int | None
    created_by: int | None = None
    reason: str | None = None  # why a person who was bound already was invited again
    used_by_wecom_userid: str | None = None  # the WeCom account that redeemed it (绑定 <code> in WeCom)


@dataclass(frozen=True)
class BindingRecord:
    """A current binding: which person, which Telegram account, which chat."""

    person_id: int
    telegram_user_id: int
    chat_id: int


class InviteRepository:
    """SQL for invites and bindings; every method runs inside the caller's transaction."""

    async def insert(
        self,
        tx: aiosqlite.Connection,
        *,
        code_sha256: str,
        person_id: int,
        created_by: int | None,
        now: datetime,
        expires_at: datetime,
        reason: str | None = None,
    ) -> int:
        """Store a new invite."""
        cursor = await tx.execute(
            "INSERT INTO invites (code_sha256, person_id, created_by, created_at, expires_at, reason)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code_sha256, person_id, created_by, to_db(now), to_db(expires_at), reason),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def find(self, tx: aiosqlite.Connection, code_sha256: str) -> InviteRecord | None:
        """The invite with this code hash."""
        async with tx.execute(
            "SELECT id, person_id, expires_at, used_at, used_by_telegram_user_id, created_by, reason,"
            " used_by_wecom_userid FROM invites WHERE code_sha256 = ?",
            (code_sha256,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        return InviteRecord(
            id=row["id"],
            person_id=row["person_id"],
            expires_at=from_db(row["expires_at"]),
            used_at=from_db(row["used_at"]) if row["used_at"] else None,
            used_by_telegram_user_id=row["used_by_telegram_user_id"],
            created_by=row["created_by"],
            reason=row["reason"],
            used_by_wecom_userid=row["used_by_wecom_userid"],
        )

    async def mark_used(self, tx: aiosqlite.Connection, invite_id: int, telegram_user_id: int, now: datetime) -> None:
        """Record that the invite was redeemed."""
        await tx.execute(
            "UPDATE invites SET used_at = ?, used_by_telegram_user_id = ? WHERE id = ?",
            (to_db(now), telegram_user_id, invite_id),
        )

    async def mark_used_wecom(self, tx: aiosqlite.Connection, invite_id: int, userid: str, now: datetime) -> None:
        """Record that the invite was redeemed from this WeCom account."""
        await tx.execute(
            "UPDATE invites SET used_at = ?, used_by_wecom_userid = ? WHERE id = ?", (to_db(now), userid, invite_id)
        )

    async def current_binding(
        self, tx: aiosqlite.Connection, *, person_id: int | None = None, telegram_user_id: int | None = None
    ) -> BindingRecord | None:
        """The open binding of this person, or of this Telegram account."""
        column, value = ("person_id", person_id) if person_id is not None else ("telegram_user_id", telegram_user_id)
        async with tx.execute(
            f"SELECT person_id, telegram_user_id, chat_id FROM telegram_bindings WHERE ended_at IS NULL AND {column} = ?",
            (value,),
        ) as cursor:
            row = await cursor.fetchone()
        return BindingRecord(row[0], row[1], row[2]) if row else None

    async def end_bindings(
        self, tx: aiosqlite.Connection, *, person_id: int, telegram_user_id: int, now: datetime
    ) -> None:
        """End the current binding of this person ("rebound": another account) and of this account ("switched")."""
        await self.end_binding(tx, person_id, now, "rebound")
        await tx.execute(
            "UPDATE telegram_bindings SET ended_at = ?, end_reason = 'switched'"
            " WHERE ended_at IS NULL AND telegram_user_id = ?",
            (to_db(now), telegram_user_id),
        )

    async def bind(
        self,
        tx: aiosqlite.Connection,
        *,
        person_id: int,
        telegram_user_id: int,
        chat_id: int,
        invite_id: int,
        now: datetime,
    ) -> None:
        """Open a new binding."""
        await tx.execute(
            "INSERT INTO telegram_bindings (person_id, telegram_user_id, chat_id, invite_id, bound_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (person_id, telegram_user_id, chat_id, invite_id, to_db(now)),
        )

    async def revoke_pending(self, tx: aiosqlite.Connection, person_id: int) -> int:
        """End every unused invite of this person (it then reads as expired); how many were not ended before."""
        # Expired as of its creation rather than of `now`: the CLI and the bot may not share a clock.
        cursor = await tx.execute(
            "UPDATE invites SET expires_at = created_at"
            " WHERE person_id = ? AND used_at IS NULL AND expires_at > created_at",
            (person_id,),
        )
        return cursor.rowcount

    async def end_binding(self, tx: aiosqlite.Connection, person_id: int, now: datetime, reason: str) -> bool:
        """End this person's current binding, if any."""
        cursor = await tx.execute(
            "UPDATE telegram_bindings SET ended_at = ?, end_reason = ? WHERE ended_at IS NULL AND person_id = ?",
            (to_db(now), reason, person_id),
        )
        return cursor.rowcount > 0

    async def move_binding(self, tx: aiosqlite.Connection, from_person: int, to_person: int, now: datetime) -> bool:
        """The account bound to `from_person` is bound to `to_person` from now on (a move); False if none was."""
        async with tx.execute(
            "SELECT telegram_user_id, chat_id, invite_id FROM telegram_bindings"
            " WHERE person_id = ? AND ended_at IS NULL",
            (from_person,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await self.end_binding(tx, from_person, now, "moved")
        await self.bind(
            tx,
            person_id=to_person,
            telegram_user_id=row["telegram_user_id"],
            chat_id=row["chat_id"],
            invite_id=row["invite_id"],
            now=now,
        )
        return True
