"""Places file rows: validation of a whole places file before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from bot.domain import vocabulary
from bot.domain.errors import PlaceFault, PlaceProblem, PlacesInvalid
from bot.domain.limits import MAX_ADDRESS, MAX_NAME, MAX_PLACE
from bot.domain.places import Grade, PlaceStatus
from bot.domain.roster import PHONE
from bot.domain.typed_text import clean, clean_name

MAX_LISTED_PROBLEMS = 200  # a file of a million bad rows is answered with the first ones and the count


class PlaceEntry(NamedTuple):
    """One valid places row, its village already found in the roster (a tuple: a province holds a million)."""

    row: int
    town_id: int
    village_id: int
    name: str
    type: str
    industry: str | None
    high_risk: bool
    address: str | None
    latitude: float | None
    longitude: float | None
    owner: str | None
    phone: str | None
    grade: Grade
    status: PlaceStatus


def parse_grade(value: str) -> Grade | None:
    """A grade from its English code, its colour (红) or a longer word (红色, 重大风险); None when unknown."""
    word = value.strip()
    try:
        return Grade(word.lower())
    except ValueError:
        pass
    names = {name: grade for grade, name in vocabulary.GRADE_NAMES.items()}
    return names.get(word) or vocabulary.GRADE_ALIASES.get(word)


def parse_status(value: str) -> PlaceStatus | None:
    """A place status from its English code or Chinese word; None when unknown."""
    word = value.strip()
    try:
        return PlaceStatus(word.lower())
    except ValueError:
        pass
    names = {name: status for status, name in vocabulary.PLACE_STATUS_NAMES.items()}
    return names.get(word) or vocabulary.PLACE_STATUS_ALIASES.get(word)


def validate(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    types: Sequence[str],
    villages: Mapping[tuple[str, str], tuple[int, int]],
) -> list[PlaceEntry]:
    """Check every row against the types and the roster's (town, village) → ids; entries, or PlacesInvalid.

    A blank grade is 黄 (monthly, until graded), a blank status 在营.
    """
    problems: list[PlaceProblem] = []
    count = 0
    entries: list[PlaceEntry] = []
    # Keyed by a hash: a province's million names would otherwise be held twice.
    seen: dict[int, int] = {}
    # Each row's type is the configured word itself, not a copy per row (a province has a million rows).
    known_types = {word: word for word in types}
    for number, raw in rows:
        entry, reasons = _entry(number, raw, known_types, types, villages)
        if entry is None and not reasons:
            continue  # a blank row
        if entry is not None:
            key = hash((entry.village_id, entry.name))
            if key in seen:
                reasons = [PlaceProblem(number, PlaceFault.DUPLICATE_ROW, other_row=seen[key])]
            else:
                seen[key] = number
                if not count:
                    entries.append(entry)
        count += len(reasons)
        problems += reasons[: MAX_LISTED_PROBLEMS - len(problems)]
        if count:
            entries.clear()  # nothing is imported: stop holding rows
    if count:
        raise PlacesInvalid(problems, count)
    if not entries:
        raise PlacesInvalid([PlaceProblem(0, PlaceFault.EMPTY)], 1)
    return entries


def _entry(
    number: int,
    raw: Mapping[str, str],
    known_types: Mapping[str, str],
    types: Sequence[str],
    villages: Mapping[tuple[str, str], tuple[int, int]],
) -> tuple[PlaceEntry | None, list[PlaceProblem]]:
    names = {key: clean_name(raw.get(key) or "") for key in ("town", "village", "name", "type", "owner", "industry")}
    other = {key: clean(raw.get(key) or "") for key in ("address", "latitude", "longitude", "phone", "grade")}
    other |= {key: clean(raw.get(key) or "") for key in ("status", "high_risk")}
    if not any(names.values()) and not any(other.values()):
        return None, []
    reasons: list[PlaceProblem] = []
    ids = villages.get((names["town"], names["village"]))
    if not names["town"] or not names["village"]:
        reasons.append(PlaceProblem(number, PlaceFault.TOWN_VILLAGE_MISSING))
    elif ids is None:
        reasons.append(PlaceProblem(number, PlaceFault.VILLAGE_UNKNOWN, value=names["town"], other=names["village"]))
    if not names["name"]:
        reasons.append(PlaceProblem(number, PlaceFault.NAME_MISSING))
    elif len(names["name"]) > MAX_PLACE:
        reasons.append(PlaceProblem(number, PlaceFault.NAME_TOO_LONG, limit=MAX_PLACE))
    if names["type"] not in known_types:
        reasons.append(PlaceProblem(number, PlaceFault.TYPE_UNKNOWN, value=names["type"], choices=tuple(types)))
    grade = parse_grade(other["grade"]) if other["grade"] else Grade.YELLOW
    if grade is None:
        reasons.append(PlaceProblem(number, PlaceFault.GRADE_UNKNOWN, value=other["grade"]))
    status = parse_status(other["status"]) if other["status"] else PlaceStatus.OPEN
    if status is None:
        reasons.append(PlaceProblem(number, PlaceFault.STATUS_UNKNOWN, value=other["status"]))
    high_risk = _flag(other["high_risk"])
    if high_risk is None:
        reasons.append(PlaceProblem(number, PlaceFault.HIGH_RISK_UNKNOWN, value=other["high_risk"]))
    if (names["industry"] or high_risk) and names["type"] != vocabulary.PLACE_TYPE_ENTERPRISE:
        reasons.append(PlaceProblem(number, PlaceFault.INDUSTRY_NOT_ENTERPRISE))
    if len(names["industry"]) > MAX_PLACE:
        reasons.append(PlaceProblem(number, PlaceFault.INDUSTRY_TOO_LONG, limit=MAX_PLACE))
    if len(other["address"]) > MAX_ADDRESS:
        reasons.append(PlaceProblem(number, PlaceFault.ADDRESS_TOO_LONG, limit=MAX_ADDRESS))
    location = _location(other["latitude"], other["longitude"])
    if location is None:
        reasons.append(
            PlaceProblem(number, PlaceFault.LOCATION_INVALID, value=other["latitude"], other=other["longitude"])
        )
    if len(names["owner"]) > MAX_NAME:
        reasons.append(PlaceProblem(number, PlaceFault.OWNER_TOO_LONG, limit=MAX_NAME))
    if other["phone"] and not PHONE.match(other["phone"]):
        reasons.append(PlaceProblem(number, PlaceFault.PHONE_INVALID, value=other["phone"]))
    if other["phone"] and not names["owner"]:
        reasons.append(PlaceProblem(number, PlaceFault.PHONE_WITHOUT_OWNER))
    if reasons:
        return None, reasons
    assert ids is not None and grade is not None and status is not None and location is not None
    return PlaceEntry(
        row=number,
        town_id=ids[0],
        village_id=ids[1],
        name=names["name"],
        type=known_types[names["type"]],
        industry=names["industry"] or None,
        high_risk=bool(high_risk),
        address=other["address"] or None,
        latitude=location[0],
        longitude=location[1],
        owner=names["owner"] or None,
        phone=other["phone"] or None,
        grade=grade,
        status=status,
    ), []


def _flag(value: str) -> bool | None:
    word = value.strip().lower()
    if word in vocabulary.YES_WORDS:
        return True
    if word in vocabulary.NO_WORDS:
        return False
    return None


def _location(latitude: str, longitude: str) -> tuple[float | None, float | None] | None:
    """(lat, lon), (None, None) when both are blank, None when invalid."""
    if not latitude and not longitude:
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon
