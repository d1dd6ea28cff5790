"""Places file rows: validation of a whole places file before anything is written."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from bot import texts
from bot.domain.errors import PlacesInvalid
from bot.domain.limits import MAX_ADDRESS, MAX_NAME, MAX_PLACE
from bot.domain.places import Grade, PlaceStatus
from bot.domain.typed_text import clean, clean_name

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")
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
    names = {name: grade for grade, name in texts.GRADE_NAMES.items()}
    return names.get(word) or texts.GRADE_ALIASES.get(word)


def parse_status(value: str) -> PlaceStatus | None:
    """A place status from its English code or Chinese word; None when unknown."""
    word = value.strip()
    try:
        return PlaceStatus(word.lower())
    except ValueError:
        pass
    names = {name: status for status, name in texts.PLACE_STATUS_NAMES.items()}
    return names.get(word) or texts.PLACE_STATUS_ALIASES.get(word)


def validate(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    types: Sequence[str],
    villages: Mapping[tuple[str, str], tuple[int, int]],
) -> list[PlaceEntry]:
    """Check every row against the types and the roster's (town, village) → ids; entries, or PlacesInvalid.

    A blank grade is 黄 (monthly, until graded), a blank status 在营.
    """
    problems: list[tuple[int, str]] = []
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
                reasons = [texts.REASON_DUPLICATE_ROW.format(row=seen[key])]
            else:
                seen[key] = number
                if not count:
                    entries.append(entry)
        count += len(reasons)
        problems += [(number, reason) for reason in reasons][: MAX_LISTED_PROBLEMS - len(problems)]
        if count:
            entries.clear()  # nothing is imported: stop holding rows
    if count:
        raise PlacesInvalid(problems, count)
    if not entries:
        raise PlacesInvalid([(0, texts.PLACES_EMPTY)], 1)
    return entries


def _entry(
    number: int,
    raw: Mapping[str, str],
    known_types: Mapping[str, str],
    types: Sequence[str],
    villages: Mapping[tuple[str, str], tuple[int, int]],
) -> tuple[PlaceEntry | None, list[str]]:
    names = {key: clean_name(raw.get(key) or "") for key in ("town", "village", "name", "type", "owner", "industry")}
    other = {key: clean(raw.get(key) or "") for key in ("address", "latitude", "longitude", "phone", "grade")}
    other |= {key: clean(raw.get(key) or "") for key in ("status", "high_risk")}
    if not any(names.values()) and not any(other.values()):
        return None, []
    reasons: list[str] = []
    ids = villages.get((names["town"], names["village"]))
    if not names["town"] or not names["village"]:
        reasons.append(texts.REASON_PLACE_TOWN_VILLAGE_MISSING)
    elif ids is None:
        reasons.append(texts.REASON_PLACE_VILLAGE_UNKNOWN.format(town=names["town"], village=names["village"]))
    if not names["name"]:
        reasons.append(texts.REASON_PLACE_NAME_MISSING)
    elif len(names["name"]) > MAX_PLACE:
        reasons.append(texts.REASON_PLACE_NAME_TOO_LONG.format(limit=MAX_PLACE))
    if names["type"] not in known_types:
        reasons.append(texts.REASON_PLACE_TYPE_UNKNOWN.format(type=names["type"], types="、".join(types)))
    grade = parse_grade(other["grade"]) if other["grade"] else Grade.YELLOW
    if grade is None:
        reasons.append(texts.REASON_PLACE_GRADE_UNKNOWN.format(grade=other["grade"]))
    status = parse_status(other["status"]) if other["status"] else PlaceStatus.OPEN
    if status is None:
        reasons.append(texts.REASON_PLACE_STATUS_UNKNOWN.format(status=other["status"]))
    high_risk = _flag(other["high_risk"])
    if high_risk is None:
        reasons.append(texts.REASON_PLACE_HIGH_RISK_UNKNOWN.format(value=other["high_risk"]))
    if (names["industry"] or high_risk) and names["type"] != texts.PLACE_TYPE_ENTERPRISE:
        reasons.append(texts.REASON_PLACE_INDUSTRY_NOT_ENTERPRISE)
    if len(names["industry"]) > MAX_PLACE:
        reasons.append(texts.REASON_PLACE_INDUSTRY_TOO_LONG.format(limit=MAX_PLACE))
    if len(other["address"]) > MAX_ADDRESS:
        reasons.append(texts.REASON_PLACE_ADDRESS_TOO_LONG.format(limit=MAX_ADDRESS))
    location = _location(other["latitude"], other["longitude"])
    if location is None:
        reasons.append(
            texts.REASON_PLACE_LOCATION_INVALID.format(latitude=other["latitude"], longitude=other["longitude"])
        )
    if len(names["owner"]) > MAX_NAME:
        reasons.append(texts.REASON_NAME_TOO_LONG.format(limit=MAX_NAME))
    if other["phone"] and not _PHONE.match(other["phone"]):
        reasons.append(texts.REASON_PHONE_INVALID.format(phone=other["phone"]))
    if other["phone"] and not names["owner"]:
        reasons.append(texts.REASON_PLACE_PHONE_WITHOUT_OWNER)
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
    if word in texts.YES_WORDS:
        return True
    if word in texts.NO_WORDS:
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
