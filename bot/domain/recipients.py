"""Who is told of what: the promises about a hazard's notifications, as pure functions over the people involved.

The promises (DESIGN.md sections 1-3): the supervisors of the town triage every new hazard; a major hazard alerts
every admin at once and admins follow each of its changes; the reporting person hears of every change of their
report; an owner hears of their assignment and its end, and never who reported; when the owner has no Telegram the
reporting officer gets the owner's cards and reminders and may submit for them; the supervisors review evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.hazards import Severity, Status
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.domain.schedule import RungKind


class Told(StrEnum):
    """As what a person is told of a hazard's change; the value is part of the dedupe key, so it never changes."""

    NEW = "new"  # a supervisor of the town: a new hazard to triage (or, fixed on the spot, to review)
    MAJOR = "major"  # an admin: a major hazard was reported
    REPORTER = "reporter"  # whoever reported it: their report changed
    PROXY = "proxy"  # the reporting officer, acting for an owner without Telegram: the owner's card
    OWNER = "owner"  # the owner: assigned (again) with a deadline, or closed
    REVIEW = "review"  # a supervisor of the town: rectification evidence to review
    ADMIN = "admin"  # an admin: a major hazard changed
    FORMER_OWNER = "former_owner"  # the owner a hazard was taken from (改派)


class Reminded(StrEnum):
    """As what a person gets a rung of the deadline ladder."""

    FIXER = "fixer"  # the owner, or the reporting officer acting for one without Telegram: with the 整改 button
    REPORTER = "reporter"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Involved:
    """The people a hazard involves, as the roster is now."""

    reporter_id: int
    reporter_role: Role | None  # None when the reporter is no longer on the roster
    owner_id: int | None
    owner_bound: bool  # the owner uses Telegram or WeCom
    supervisors: tuple[int, ...]  # of the hazard's town
    admins: tuple[int, ...]

    @property
    def proxied(self) -> bool:
        """The owner has no Telegram, so the reporting officer acts for them."""
        return not self.owner_bound and self.reporter_role is Role.OFFICER


@dataclass(frozen=True)
class Recipient:
    """One person to tell, and as what."""

    person_id: int
    told: Told


@dataclass(frozen=True)
class Reminder:
    """One person to remind of a deadline, and as what."""

    person_id: int
    reminded: Reminded


# The moves after which the hazard waits for its owner: the owner (or the officer acting for them) gets its card.
_TO_OWNER = (Move.ASSIGN, Move.REJECT, Move.REOPEN, Move.REASSIGN)


def of_report(people: Involved, severity: Severity) -> list[Recipient]:
    """A hazard just reported: the town's supervisors, and every admin when it is major."""
    out = [Recipient(person, Told.NEW) for person in people.supervisors]
    if severity is Severity.MAJOR:
        out += [Recipient(person, Told.MAJOR) for person in people.admins]
    return out


def of_move(
    move: Move,
    status: Status,
    severity: Severity,
    actor_id: int,
    people: Involved,
    former_owner: int | None = None,
    former_bound: bool = False,
) -> list[Recipient]:
    """A completed move (`status` and `people` as they are after it; 改派 names the owner it was taken from)."""
    out: list[Recipient] = []
    to_owner = status is Status.ASSIGNED and move in _TO_OWNER
    if people.reporter_id != actor_id:
        told = Told.PROXY if to_owner and people.proxied else Told.REPORTER
        out.append(Recipient(people.reporter_id, told))
    if people.owner_bound and people.owner_id is not None and (to_owner or move is Move.VERIFY):
        out.append(Recipient(people.owner_id, Told.OWNER))
    if move is Move.SUBMIT:
        out += [Recipient(person, Told.REVIEW) for person in people.supervisors]
    if severity is Severity.MAJOR:
        out += [Recipient(person, Told.ADMIN) for person in people.admins if person != actor_id]
    if former_owner is not None and former_bound:
        out.append(Recipient(former_owner, Told.FORMER_OWNER))
    return out


def of_rung(kind: RungKind, people: Involved) -> list[Reminder]:
    """A rung of the deadline ladder: D-3/D-1/D-day the fixer; yellow card fixer, reporter and supervisors; weekly
    overdue fixer and supervisors; red card fixer and admins."""
    fixer = people.reporter_id if people.proxied else people.owner_id
    told: dict[int, Reminded] = {}  # one reminder each; a later role replaces an earlier one of the same person

    def add(persons: tuple[int | None, ...], reminded: Reminded) -> None:
        for person in persons:
            if person is not None:
                told[person] = reminded

    add((fixer,), Reminded.FIXER)
    if kind is RungKind.YELLOW:
        add((people.reporter_id,), Reminded.REPORTER)
    if kind in (RungKind.YELLOW, RungKind.OVERDUE):
        add(people.supervisors, Reminded.SUPERVISOR)
    if kind is RungKind.RED:
        add(people.admins, Reminded.ADMIN)
    return [Reminder(person, reminded) for person, reminded in told.items()]


def of_unreachable(person_id: int, supervisors: tuple[int, ...], admins: tuple[int, ...]) -> list[int]:
    """A person GridSafe cannot reach: their town's supervisors, or the admins when there are none (never the person)."""
    return [s for s in supervisors if s != person_id] or [a for a in admins if a != person_id]
