"""Hazards: severity, lifecycle status, closure reasons and the stored record."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.people import Scope


class Severity(StrEnum):
    """一般隐患 or 重大隐患."""

    GENERAL = "general"
    MAJOR = "major"


class Status(StrEnum):
    """Where a hazard stands in the loop 上报 → 交办 → 整改 → 复核 → 销号 (overdue is derived, never stored)."""

    REPORTED = "reported"
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    CLOSED = "closed"


class Closure(StrEnum):
    """Why a closed hazard was closed; only VERIFIED counts as rectified."""

    VERIFIED = "verified"
    INVALID = "invalid"
    DUPLICATE = "duplicate"


class Stage(StrEnum):
    """Which side of the rectification a photo shows."""

    BEFORE = "before"
    AFTER = "after"


class Hazard(BaseModel):
    """A hazard as stored, with the names needed to show it."""

    model_config = ConfigDict(frozen=True)

    id: int
    town_id: int
    town_name: str
    village_id: int
    village_name: str
    reporter_id: int
    reporter_name: str
    description: str
    category: str
    severity: Severity
    place: str
    latitude: float | None
    longitude: float | None
    status: Status
    closure: Closure | None
    fixed_on_spot: bool
    reported_at: datetime
    owner_id: int | None = None
    owner_name: str | None = None
    owner_bound: bool = False  # the owner uses Telegram or WeCom; otherwise the reporting officer acts for them
    deadline: date | None = None
    assigned_at: datetime | None = None
    submitted_at: datetime | None = None
    closed_at: datetime | None = None
    duplicate_of: int | None = None
    submitted_by: int | None = None  # the person of the latest rectification submitted (即查即改 included)
    submitted_from: int | None = None  # the Telegram account that submitted it

    @property
    def scope(self) -> Scope:
        """The village the hazard is in."""
        return Scope(town_id=self.town_id, village_id=self.village_id)

    def days_overdue(self, today: date) -> int:
        """Days past the deadline of an assigned hazard (0 when not overdue): overdue is derived, never stored."""
        if self.status is not Status.ASSIGNED or self.deadline is None:
            return 0
        return max((today - self.deadline).days, 0)


class TimelineEvent(BaseModel):
    """One change in a hazard's life: who, when, to which status, and why."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    kind: str
    to_status: Status
    note: str | None
    from_owner: str | None = None  # 改派: the owner before
    to_owner: str | None = None  # 改派: the owner after
