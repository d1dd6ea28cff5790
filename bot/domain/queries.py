"""Lists of open hazards (/open, /overdue): filters, urgency order and pages (their buttons: bot/chat/actions.py)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.hazards import Hazard, Severity

PAGE_SIZE = 10


class ListKind(StrEnum):
    """未整改 (every open hazard) or 逾期 (only overdue ones); the value is the button code."""

    OPEN = "o"
    OVERDUE = "d"


class Urgency(StrEnum):
    """The groups of an open list, most urgent first."""

    # Overdue (most overdue first), then not yet assigned (oldest first: nobody works on them), then in
    # rectification (nearest deadline first), then awaiting review (nearest deadline first).

    OVERDUE = "overdue"
    UNASSIGNED = "unassigned"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"


URGENCY_ORDER = (Urgency.OVERDUE, Urgency.UNASSIGNED, Urgency.IN_PROGRESS, Urgency.IN_REVIEW)


class Filters(BaseModel):
    """What a list is narrowed to; ids only, so they fit in a button and are re-checked when pressed."""

    model_config = ConfigDict(frozen=True)

    town_id: int | None = None
    village_id: int | None = None
    category: int | None = None  # index into the configured categories
    severity: Severity | None = None


class HazardPage(BaseModel):
    """One page of a list, with what is needed to show it and to page on."""

    model_config = ConfigDict(frozen=True)

    kind: ListKind
    filters: Filters
    filter_labels: list[str]  # the filters in words, as understood
    scope_name: str | None  # the town or village listed, None for the whole city
    page: int  # from 0
    pages: int
    total: int
    hazards: list[Hazard]
    today: date
    show_town: bool  # lines name the town too (the city-wide list)
