"""A multi-step action on a hazard in progress: what has been chosen so far and what comes next."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from pydantic import BaseModel

from bot.domain.errors import StaleButton
from bot.domain.lifecycle import Move
from bot.domain.photos import Photo
from bot.domain.voice import VoiceNote


class Ask(StrEnum):
    """What the conversation waits for."""

    OWNER = "owner"  # an owner button, or 新责任人
    OWNER_NAME = "owner_name"  # a new owner's name (and phone)
    DEADLINE = "deadline"  # a deadline button or a typed date
    CONFIRM = "confirm"  # 确认 the typed date echoed back (or 重新输入, or another date)
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


# What each move asks after an answer; None: the move completes. (新责任人 is a detour of the owner question.)
_AFTER: dict[tuple[Move, Ask], Ask | None] = {
    (Move.ASSIGN, Ask.OWNER): Ask.DEADLINE,
    (Move.ASSIGN, Ask.DEADLINE): None,
    (Move.REASSIGN, Ask.OWNER): Ask.REASON,  # why, then the deadline (kept unless changed)
    (Move.REASSIGN, Ask.REASON): Ask.DEADLINE,
    (Move.REASSIGN, Ask.DEADLINE): None,
    (Move.INVALID, Ask.REASON): None,
    (Move.DUPLICATE, Ask.ORIGINAL): None,
    (Move.REJECT, Ask.REASON): Ask.DEADLINE,  # a new deadline for the owner (none to give without an owner)
    (Move.REJECT, Ask.DEADLINE): None,
    (Move.REOPEN, Ask.REASON): Ask.DEADLINE,
    (Move.REOPEN, Ask.DEADLINE): None,
    (Move.SUBMIT, Ask.PHOTOS): Ask.NOTE,
    (Move.SUBMIT, Ask.NOTE): None,
}


def next_ask(move: Move, answered: Ask, *, has_owner: bool) -> Ask | None:
    """What the move asks after `answered` is answered; None when it can complete. Pure: the one rule of every
    hazard conversation, as ReportDraft.next_step is the report's."""
    if answered is Ask.OWNER_NAME:
        answered = Ask.OWNER
    if (move, answered) not in _AFTER:
        raise ValueError(f"{move} does not ask {answered}")
    after = _AFTER[move, answered]
    if after is Ask.DEADLINE and move is Move.REJECT and not has_owner:
        return None  # 不通过 of a hazard fixed on the spot: back to be assigned, no deadline yet
    return after


class HazardConversation(BaseModel):
    """Stored after every answer, like a report in progress."""

    person_id: int
    hazard_id: int
    move: Move
    ask: Ask
    token: str  # in every button of this conversation
    owner_id: int | None = None  # an owner on the roster (chosen, or the one a typed name names)
    # A new owner typed by name (and phone): joins the roster only when the move completes, so 取消 leaves no one.
    new_owner_name: str | None = None
    new_owner_phone: str | None = None
    reason: str | None = None
    deadline: date | None = None  # a typed deadline, echoed back and saved only on 确认
    voice: VoiceNote | None = None  # the reason or note was spoken: `reason` holds the voice's placeholder
    photos: list[Photo] = []
    refused_photos: int = 0
    confirmed_photos: int = 0  # after-photos the person has been told about


class Tokened(Protocol):
    """A flow whose buttons carry its token (a report in progress, a hazard conversation)."""

    token: str


Flow = TypeVar("Flow", bound=Tokened)


def current(flow: Flow | None, token: str | None, step: Callable[[Flow], object], steps: Collection[object]) -> Flow:
    """The one stale-button check: the flow a press belongs to, if it is still in progress (the same token: not
    cancelled and begun again) and at a step the button answers; else StaleButton. token None: a typed answer."""
    if flow is None or (token is not None and flow.token != token) or step(flow) not in steps:
        raise StaleButton(token)
    return flow
