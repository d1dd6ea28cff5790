"""Lists of open hazards (/open, /overdue): filters, urgency order, pages, and their compact button data."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.errors import StaleButton
from bot.domain.hazards import Hazard, Severity
from bot.domain.ids import parse_number

PAGE_SIZE = 10
QUERY_PREFIX = "q"


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


_SEVERITY_CODES = {Severity.MAJOR: "m", Severity.GENERAL: "g"}


def page_data(kind: ListKind, filters: Filters, page: int) -> str:
    """Callback data of a page button: q:<kind>:<page>:<town>:<village>:<category>:<severity> (ids, ≤ 64 bytes)."""
    parts = [
        QUERY_PREFIX,
        kind.value,
        str(page),
        _opt(filters.town_id),
        _opt(filters.village_id),
        _opt(filters.category),
        _SEVERITY_CODES[filters.severity] if filters.severity else "",
    ]
    return ":".join(parts)


def parse_page_data(data: str) -> tuple[ListKind, Filters, int]:
    """Read a page button's data; anything malformed is a stale button (its meaning is re-checked later)."""
    parts = data.split(":")
    if len(parts) != 7 or parts[0] != QUERY_PREFIX:
        raise StaleButton(data)
    try:
        kind = ListKind(parts[1])
        page = parse_number(parts[2])
        severity = {code: s for s, code in _SEVERITY_CODES.items()}[parts[6]] if parts[6] else None
        filters = Filters(
            town_id=_read_opt(parts[3]),
            village_id=_read_opt(parts[4]),
            category=_read_opt(parts[5]),
            severity=severity,
        )
    except (ValueError, KeyError) as exc:
        raise StaleButton(data) from exc
    if page < 0:
        raise StaleButton(data)
    return kind, filters, page


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)


def _read_opt(text: str) -> int | None:
    if not text:
        return None
    return parse_number(text)
