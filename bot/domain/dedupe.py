"""The outbox's dedupe keys and reminder subjects, built only here.

They are a persistence contract: databases in use hold them, a key decides that a notification is sent at most once
(also across restarts and catch-up passes), and a subject decides which waiting reminders are cancelled. Changing a
format would send every reminder of a period again, so each one is pinned byte for byte by tests/test_dedupe.py.
"""

from __future__ import annotations

from datetime import date

from bot.domain.recipients import Told
from bot.domain.schedule import Rung

# The keys a scheduler pass queues (the rest of the outbox is what people's actions queued).
PASS_KEY_PREFIXES = ("check:", "misses:", "deadline:", "triage:", "review:", "ranking:")


# ---- what people's actions queue ----


def new_hazard(hazard_id: int, person_id: int, told: Told) -> str:
    """A new hazard to a supervisor (Told.NEW) or, when major, to an admin (Told.MAJOR)."""
    return f"hazard:{hazard_id}:{told.value}:{person_id}"


def hazard_event(hazard_id: int, event_id: int, told: Told, person_id: int) -> str:
    """One change of a hazard (one timeline event), to one person told of it in one role."""
    return f"hazard:{hazard_id}:event:{event_id}:{told.value}:{person_id}"


def card_edit(hazard_id: int, event_id: int, channel: str, chat_id: int, key: str) -> str:
    """An earlier card of a hazard brought up to date after one change of it (one timeline event)."""
    return f"hazard:{hazard_id}:event:{event_id}:edit:{channel}:{chat_id}:{key}"


def handled_by(hazard_id: int, event_id: int, person_id: int) -> str:
    """The line telling a co-supervisor that someone else made this change of the hazard."""
    return f"hazard:{hazard_id}:event:{event_id}:handled:{person_id}"


def new_place(place_id: int, hazard_id: int, person_id: int) -> str:
    """A place added while reporting hazard #N (待核实), to a supervisor who confirms or rejects it."""
    return f"place:{place_id}:new:{hazard_id}:{person_id}"


def place_request(request_id: int, person_id: int) -> str:
    """An officer's change of a place, to a supervisor who may confirm it."""
    return f"place:request:{request_id}:{person_id}"


def place_decision(request_id: int, person_id: int) -> str:
    """The supervisor's decision on a change of a place, to the officer who asked it."""
    return f"place:decision:{request_id}:{person_id}"


# ---- what a scheduler pass queues ----


def village_check(village_id: int, week: str, rung: Rung, person_id: int) -> str:
    """A rung of a village's weekly check reminders (week as '2026-W48')."""
    return f"check:village:{village_id}:{week}:{rung.name}:{person_id}"


def town_check(town_id: int, month: str, rung: Rung, person_id: int) -> str:
    """A rung of a town's monthly check reminders (month as '2026-11')."""
    return f"check:town:{town_id}:{month}:{rung.name}:{person_id}"


def village_misses(town_id: int, week: str, person_id: int) -> str:
    """The list of a town's villages that missed a week's check."""
    return f"misses:village:{town_id}:{week}:{person_id}"


def town_misses(month: str, person_id: int) -> str:
    """The list of towns that missed a month's check."""
    return f"misses:town:{month}:{person_id}"


def deadline(hazard_id: int, deadline_day: date, rung: Rung, person_id: int) -> str:
    """A rung of a hazard's deadline ladder; a new deadline starts a new ladder."""
    return f"deadline:{hazard_id}:{deadline_day.isoformat()}:{rung.name}:{person_id}"


def triage(hazard_id: int, person_id: int) -> str:
    """A new hazard still not assigned after the triage lag."""
    return f"triage:{hazard_id}:{person_id}"


def review(hazard_id: int, submitted_stamp: int, person_id: int) -> str:
    """Evidence still not reviewed after the review lag; each submission (unix seconds) is reminded once."""
    return f"review:{hazard_id}:{submitted_stamp}:{person_id}"


def ranking(month: str, person_id: int) -> str:
    """A month's ranking (month as '2026-11')."""
    return f"ranking:{month}:{person_id}"


# ---- what the dispatcher's failures queue ----


def unreachable(person_id: int, day: date, recipient_id: int) -> str:
    """GridSafe cannot reach a person: told once a local day."""
    return f"unreachable:{person_id}:{day.isoformat()}:{recipient_id}"


def delivery_failed(kind: str, day: date, admin_id: int) -> str:
    """A kind of permanent delivery failure (a hash of the error): told once a local day."""
    return f"delivery-failed:{kind}:{day.isoformat()}:{admin_id}"


# ---- subjects: what waiting reminders are about, so finishing it cancels them ----


def hazard_subject(hazard_id: int) -> str:
    """The subject of every reminder about a hazard."""
    return f"hazard:{hazard_id}"


def check_subject(kind: str, place_id: int, period: str) -> str:
    """The subject of every reminder about one check ('village' or 'town') of one period."""
    return f"check:{kind}:{place_id}:{period}"
