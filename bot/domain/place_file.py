"""A place's file (一企一档): what its card shows, who may see it and who may change what on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.hazards import Closure, Status
from bot.domain.people import Actor, Role, Scope
from bot.domain.places import Grade, PlaceStatus


class PlaceField(StrEnum):
    """What may change on a place's file (place_events.field)."""

    GRADE = "grade"
    OWNER = "owner"
    STATUS = "status"


class Change(StrEnum):
    """What a person's change of a field does."""

    NOW = "now"  # made at once
    ASK = "ask"  # waits for a supervisor of the town (an officer's grade change)


@dataclass(frozen=True)
class PlaceMatch:
    """A place found by its name or number: enough to pick it."""

    id: int
    name: str
    village: str


@dataclass(frozen=True)
class PlaceHazard:
    """One of the place's hazards, as a line of its card."""

    id: int
    status: Status
    closure: Closure | None
    description: str
    reported_at: datetime


@dataclass(frozen=True)
class PlaceEvent:
    """One change of the place (place_events); actor None: a file import; owner values are names."""

    at: datetime
    actor: str | None
    field: str
    from_value: str | None
    to_value: str | None


@dataclass(frozen=True)
class PlaceCard:
    """Everything the place's file shows."""

    id: int
    town_id: int
    village_id: int
    town: str
    village: str
    name: str
    type: str
    industry: str | None
    high_risk: bool
    address: str | None
    owner_id: int | None
    owner: str | None
    grade: Grade
    status: PlaceStatus
    confirmed: bool
    open_hazards: int
    closed_hazards: int
    hazards: list[PlaceHazard]  # the latest few
    visits: int
    last_visit: datetime | None
    last_visitor: str | None
    events: list[PlaceEvent]  # the latest few, newest first
    waiting_grade: Grade | None  # an officer's grade change waiting for confirmation

    @property
    def scope(self) -> Scope:
        """The place's village."""
        return Scope(town_id=self.town_id, village_id=self.village_id)


@dataclass(frozen=True)
class PlaceRequest:
    """A change asked by an officer, waiting for a supervisor (or decided)."""

    id: int
    place_id: int
    place: str
    village: str
    town_id: int
    requested_by_id: int
    requested_by: str
    from_value: Grade
    to_value: Grade
    decided: bool


@dataclass(frozen=True)
class DuePlace:
    """A place of the village still due a visit in the window of its grade that holds today."""

    id: int
    name: str
    grade: Grade


def can_see(actor: Actor, town_id: int, village_id: int, owner_id: int | None) -> bool:
    """Whether the person may see the place's file (outside it, the place must look as if it did not exist)."""
    if actor.role is Role.OWNER:
        return owner_id is not None and owner_id == actor.id
    return actor.scope.contains(Scope(town_id=town_id, village_id=village_id))


def change_of(actor: Actor, field: PlaceField, card: PlaceCard) -> Change | None:
    """How this person may change this field of the place: at once, by asking, or not at all (None)."""
    if not can_see(actor, card.town_id, card.village_id, card.owner_id):
        return None
    if actor.role in (Role.SUPERVISOR, Role.ADMIN):
        return Change.NOW
    if actor.role is Role.OFFICER and field is PlaceField.GRADE:
        return Change.ASK
    return None


def can_decide(actor: Actor, town_id: int) -> bool:
    """Whether the person may confirm or refuse a change asked at a place of this town (its supervisors, admins)."""
    return actor.role is Role.ADMIN or (actor.role is Role.SUPERVISOR and actor.town_id == town_id)
