"""Fitting a screen into Telegram's limits: every renderer shortens long fields and long lists here, one way.

A screen is built from fields whose length the bot bounds (limits.py) and from names and lists it does not bound
(roster names, possibly long legacy ones; a timeline that grows with each round). Each field is clipped to its
budget below, and each list keeps the rows that fit and says how many it left out, so that every message stays
within Telegram's limits whatever the database holds. Fields are clipped in characters, as input limits count
them (a text within its input limit is never shortened); lists are fitted in UTF-16 code units, as Telegram counts.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain import limits
from bot.domain.hazards import Hazard, TimelineEvent
from bot.domain.notifications import Pin

TEXT_LIMIT = 4096  # UTF-16 code units of a message text
CAPTION_LIMIT = 1024  # UTF-16 code units of a photo or document caption
DATA_LIMIT = 64  # bytes of a button's callback data
LABEL = 24  # characters of a button label: about what a phone shows on one line
NAME = 50  # a person's, village's or town's name on a card (names may be up to 50 characters)
NAME_IN_LIST = 20  # the same in one line of a list, which should stay one line
CATEGORY = 20  # a category (from the configuration)
LIST_BUDGET = 3900  # a message made of a head, rows and a tail: room left for the "N more" line
ELLIPSIS = "…"


def units(text: str) -> int:
    """Length of text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """Text of at most `limit` characters (as input limits count them); a shortened text ends with an ellipsis.

    A character is at most two UTF-16 code units, so a clipped field costs at most twice its limit in units.
    """
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)] + ELLIPSIS


def name(text: str) -> str:
    """A name on a card."""
    return clip(text, NAME)


def short_name(text: str) -> str:
    """A name in a line of a list."""
    return clip(text, NAME_IN_LIST)


def label(text: str) -> str:
    """A button label."""
    return clip(text, LABEL)


def hazard(h: Hazard, *, names: int = NAME) -> Hazard:
    """The hazard with every field within its screen budget (long legacy values shortened)."""
    return h.model_copy(
        update={
            "town_name": clip(h.town_name, names),
            "village_name": clip(h.village_name, names),
            "reporter_name": clip(h.reporter_name, names),
            "owner_name": None if h.owner_name is None else clip(h.owner_name, names),
            "place": clip(h.place, limits.MAX_PLACE),
            "category": clip(h.category, CATEGORY),
            "description": clip(h.description, limits.MAX_DESCRIPTION),
        }
    )


def event(e: TimelineEvent) -> TimelineEvent:
    """A timeline event with its actor's name and its note within their budgets."""
    note = None if e.note is None else clip(e.note, limits.MAX_REASON)
    owners = {"from_owner": e.from_owner, "to_owner": e.to_owner}
    shown = {key: None if value is None else name(value) for key, value in owners.items()}
    return e.model_copy(update={"actor": name(e.actor), "note": note, **shown})


def fit(
    head: list[str],
    rows: list[str],
    tail: list[str],
    more: Callable[[int], str],
    *,
    budget: int = LIST_BUDGET,
    newest_last: bool = False,
) -> str:
    """Head, as many rows as fit in `budget`, `more(left_out)` where rows were left out, and the tail.

    Rows are kept from the start; with newest_last (a timeline) they are kept from the end, the note first.
    """
    used = sum(units(line) + 1 for line in head + tail) + units(more(len(rows))) + 1
    order = list(reversed(rows)) if newest_last else rows
    shown: list[str] = []
    for row in order:
        if used + units(row) + 1 > budget:
            break
        shown.append(row)
        used += units(row) + 1
    left_out = len(rows) - len(shown)
    if newest_last:
        shown.reverse()
        body = ([more(left_out)] if left_out else []) + shown
    else:
        body = shown + ([more(left_out)] if left_out else [])
    return "\n".join(head + body + tail)


def joined(items: list[str], separator: str, budget: int, more: Callable[[int], str]) -> str:
    """Items joined on one line within `budget` units, `more(left_out)` after them if some did not fit."""
    shown: list[str] = []
    used = units(more(len(items)))
    for item in items:
        cost = units(item) + units(separator)
        if used + cost > budget:
            break
        shown.append(item)
        used += cost
    left_out = len(items) - len(shown)
    return separator.join(shown) + (more(left_out) if left_out else "")


def pin(h: Hazard) -> Pin | None:
    """The hazard's location as a named map pin (None without a location): the place, in its town and village."""
    if h.latitude is None or h.longitude is None:
        return None
    title = clip(h.place, limits.MAX_PLACE)
    return Pin(
        latitude=h.latitude, longitude=h.longitude, title=title, address=name(h.town_name) + name(h.village_name)
    )
