"""Small typed domain errors; handlers turn each into a sentence from the text catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.domain.people import Person, Role


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


class RowFault(StrEnum):
    """What is wrong with a roster row (the text catalog says it in words)."""

    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"  # limit
    PLACE_TOO_LONG = "place_too_long"  # limit
    PHONE_INVALID = "phone_invalid"  # value: the phone as written
    ROLE_UNKNOWN = "role_unknown"  # value: the role as written
    ADMIN_SCOPED = "admin_scoped"
    TOWN_MISSING = "town_missing"  # role
    SUPERVISOR_VILLAGE = "supervisor_village"
    VILLAGE_MISSING = "village_missing"  # role
    DUPLICATE_ROW = "duplicate_row"  # other_row: the first row with the same person
    WECOM_INVALID = "wecom_invalid"  # value: the WeCom account as written
    WECOM_DUPLICATE = "wecom_duplicate"  # value: the WeCom account; other_row: the first row with it
    EMPTY = "empty"  # the file has no person at all (row 0)


@dataclass(frozen=True)
class RowProblem:
    """A reason code with the values its sentence needs."""

    row: int
    fault: RowFault
    value: str = ""
    role: Role | None = None
    limit: int = 0
    other_row: int = 0


class RosterInvalid(DomainError):
    """A roster file has bad rows; nothing was imported."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(f"row {p.row}: {p.fault}" for p in problems))
        self.problems = problems


class PlaceFault(StrEnum):
    """What is wrong with a places row (the text catalog says it in words)."""

    TOWN_VILLAGE_MISSING = "town_village_missing"
    VILLAGE_UNKNOWN = "village_unknown"  # value: the town, other: the village, as written
    NAME_MISSING = "name_missing"
    NAME_TOO_LONG = "name_too_long"  # limit
    TYPE_UNKNOWN = "type_unknown"  # value: the type as written; choices: the configured types
    GRADE_UNKNOWN = "grade_unknown"  # value
    STATUS_UNKNOWN = "status_unknown"  # value
    HIGH_RISK_UNKNOWN = "high_risk_unknown"  # value
    INDUSTRY_NOT_ENTERPRISE = "industry_not_enterprise"
    INDUSTRY_TOO_LONG = "industry_too_long"  # limit
    ADDRESS_TOO_LONG = "address_too_long"  # limit
    LOCATION_INVALID = "location_invalid"  # value: the latitude, other: the longitude, as written
    OWNER_TOO_LONG = "owner_too_long"  # limit
    PHONE_INVALID = "phone_invalid"  # value
    PHONE_WITHOUT_OWNER = "phone_without_owner"
    DUPLICATE_ROW = "duplicate_row"  # other_row: the first row with the same village and name
    EMPTY = "empty"  # the file has no place at all (row 0)


@dataclass(frozen=True)
class PlaceProblem:
    """A places row's reason code with the values its sentence needs."""

    row: int
    fault: PlaceFault
    value: str = ""
    other: str = ""
    limit: int = 0
    other_row: int = 0
    choices: tuple[str, ...] = ()


class PlacesInvalid(DomainError):
    """A places file has bad rows; nothing was imported. `problems` lists the first ones, `count` all of them."""

    def __init__(self, problems: list[PlaceProblem], count: int) -> None:
        super().__init__("; ".join(f"row {p.row}: {p.fault}" for p in problems))
        self.problems = problems
        self.count = count


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


class EmptyAnswer(WrongInput):
    """A phrase with no content (好了, 好的, ok …) where a description, note, reason or name is asked."""
