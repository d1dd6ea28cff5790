"""Hazards: severity, lifecycle status, closure reasons and the stored record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


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
