"""A multi-step action on a hazard in progress: what has been chosen so far and what comes next."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from bot.domain.lifecycle import Move
from bot.domain.photos import Photo


class Ask(StrEnum):
    """What the conversation waits for."""

    OWNER = "owner"  # an owner button, or 新责任人
    OWNER_NAME = "owner_name"  # a new owner's name (and phone)
    DEADLINE = "deadline"  # a deadline button or a typed date
    REASON = "reason"  # why (不属实, 不通过, 重新打开)
    ORIGINAL = "original"  # the #N this one duplicates
    PHOTOS = "photos"  # after-photos of the rectification
    NOTE = "note"  # the rectification note


_FIRST: dict[Move, Ask] = {
    Move.ASSIGN: Ask.OWNER,
    Move.INVALID: Ask.REASON,
    Move.DUPLICATE: Ask.ORIGINAL,
    Move.SUBMIT: Ask.PHOTOS,
    Move.REJECT: Ask.REASON,
    Move.REOPEN: Ask.REASON,
    Move.REASSIGN: Ask.OWNER,  # then why, then the deadline (kept unless changed)
}


def first_ask(move: Move) -> Ask | None:
    """The first question of a move; None for moves done with one press (复核通过)."""
    return _FIRST.get(move)


class HazardConversation(BaseModel):
    """Stored after every answer, like a report in progress."""

    person_id: int
    hazard_id: int
    move: Move
    ask: Ask
    token: str  # in every button of this conversation
    owner_id: int | None = None
    reason: str | None = None
    photos: list[Photo] = []
    refused_photos: int = 0
    confirmed_photos: int = 0  # after-photos the person has been told about
