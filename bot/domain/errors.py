"""Small typed domain errors; handlers turn each into a sentence from the text catalog."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.domain.people import Person


class DomainError(Exception):
    """Base of every error a person can cause."""


class Denial(StrEnum):
    """Why the policy refuses a move, when the person deserves more than "not allowed"."""

    NOT_ALLOWED = "not_allowed"
    OWNER_JOINED = "owner_joined"  # the officer's 代为提交 after the owner joined: the owner submits now
    OWN_SUBMISSION = "own_submission"  # 复核 of a rectification this person or this Telegram account submitted


class NotAllowed(DomainError):
    """The policy refuses this action to this person."""

    def __init__(self, *args: object, denial: Denial = Denial.NOT_ALLOWED) -> None:
        super().__init__(*args)
        self.denial = denial


class NotFound(DomainError):
    """The thing does not exist (or lies outside the asker's scope, which must look the same)."""


class SameOwner(DomainError):
    """改派 to the owner the hazard already has."""


class NoLongerOwner(NotFound):
    """An owner asks about a hazard that was reassigned (改派) away from them: they may be told so."""


class InviteUnknown(DomainError):
    """No invite has this code."""


class InviteUsed(DomainError):
    """The invite was already redeemed."""


class InviteExpired(DomainError):
    """The invite is past its expiry (or was superseded by a newer invite for the same person)."""


class AlreadyBound(DomainError):
    """An invite for a person who is bound already: only an admin may issue it, and only with a reason."""

    def __init__(self, name: str, *, reason_missing: bool) -> None:
        super().__init__(f"{name} is bound already")
        self.name = name
        self.reason_missing = reason_missing


class UnknownPlace(DomainError):
    """A town or village name that is not in the roster."""

    def __init__(self, town: str | None, village: str | None = None) -> None:
        super().__init__(f"unknown place: town={town!r} village={village!r}")
        self.town = town
        self.village = village


class AmbiguousPlace(DomainError):
    """A village name found in several towns: the town is needed to choose."""


class AmbiguousPerson(DomainError):
    """Several roster entries match and a name is needed to choose."""


class SeveralPeople(DomainError):
    """Several active people match a name; the place is needed to choose."""

    def __init__(self, people: list[Person]) -> None:
        super().__init__(len(people))
        self.people = people


class CannotMove(DomainError):
    """A person cannot be moved there; the reason code is "admin" (no place), "same_place" or "taken"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RosterInvalid(DomainError):
    """A roster file has bad rows; nothing was imported."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"row {row}: {reason}" for row, reason in problems))
        self.problems = problems


class NoDraft(DomainError):
    """There is no report in progress."""


class StaleButton(DomainError):
    """A button of a cancelled, submitted or already answered step."""


class TooLong(DomainError):
    """A text over its limit; the limit is carried for the answer."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit}")
        self.limit = limit


class ReasonTooLong(TooLong):
    """The reason given for inviting a bound person again is over its limit (told apart from a name too long)."""


class WrongInput(DomainError):
    """The current step does not take this kind of input; the handler asks again."""


class InvalidTransition(DomainError):
    """The hazard is no longer in a state that allows this move (already handled: 该隐患已处理)."""


class DeadlineUnreadable(DomainError):
    """A typed deadline that is not a date."""


class DeadlineInPast(DomainError):
    """A deadline before today."""


class DeadlineTooFar(DomainError):
    """A deadline beyond the longest allowed term."""


class UnknownFilter(DomainError):
    """Words after /open or /overdue that are neither a place in scope, a category nor a severity."""

    def __init__(self, understood: list[str], unknown: list[str]) -> None:
        super().__init__(f"unknown filter words: {unknown}")
        self.understood = understood
        self.unknown = unknown


class BadPeriod(DomainError):
    """A period that is not 本周, 本月, 上月 or YYYY-MM, or a month still to come."""


class TickInFuture(DomainError):
    """A real scheduler pass was asked for a moment after now (only a dry run may look ahead)."""

    def __init__(self, at: datetime, now: datetime) -> None:
        super().__init__(f"tick at {at} is after now ({now})")
        self.at = at
        self.now = now


class PlacesInvalid(DomainError):
    """A places file has bad rows; nothing was imported. `problems` lists the first ones, `count` all of them."""

    def __init__(self, problems: list[tuple[int, str]], count: int) -> None:
        super().__init__("; ".join(f"row {row}: {reason}" for row, reason in problems))
        self.problems = problems
        self.count = count
