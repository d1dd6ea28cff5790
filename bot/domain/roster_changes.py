"""What a roster file takes away: who is missing from it (deactivated) and who turns up elsewhere (moved).

The file is the truth for officers, supervisors and admins. Owners (责任人) are named by supervisors at 交办 and are
rarely in a roster file, so a file never removes them (an admin does, with `gridsafe person deactivate` or 人员 停用).

Matching rule for a move: a person missing from the file is moved when exactly one person with the same name and
role is missing and the file has exactly one new entry with that name and role (in another town or village).
Anything less certain (two 王伟 officers missing, or two new ones) is a deactivation plus an addition, which the
import lists, so an admin can move the right one by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bot.domain.people import Person, Role
from bot.domain.roster import RosterEntry

GOVERNED = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class RosterChanges:
    """People a roster file takes away from where they are now."""

    moved: list[tuple[Person, RosterEntry]] = field(default_factory=list)
    deactivated: list[Person] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.moved or self.deactivated)


def _identity(role: Role, town: str | None, village: str | None, name: str) -> tuple[str, str, str, str]:
    return role.value, town or "", village or "", name


def changes(entries: list[RosterEntry], active: list[Person]) -> RosterChanges:
    """Compare a validated roster file with the people on the roster now."""
    in_file = {_identity(e.role, e.town, e.village, e.name) for e in entries}
    now = {_identity(p.role, p.town_name, p.village_name, p.name) for p in active}
    missing: dict[tuple[Role, str], list[Person]] = defaultdict(list)
    for person in active:
        if (
            person.role in GOVERNED
            and _identity(person.role, person.town_name, person.village_name, person.name) not in in_file
        ):
            missing[person.role, person.name].append(person)
    new: dict[tuple[Role, str], list[RosterEntry]] = defaultdict(list)
    for entry in entries:
        if _identity(entry.role, entry.town, entry.village, entry.name) not in now:
            new[entry.role, entry.name].append(entry)
    result = RosterChanges()
    for key, people in sorted(missing.items(), key=lambda item: item[1][0].id):
        arrivals = new.get(key, [])
        if len(people) == 1 and len(arrivals) == 1 and key[0] is not Role.ADMIN:
            result.moved.append((people[0], arrivals[0]))
        else:
            result.deactivated.extend(people)
    return result


@dataclass(frozen=True)
class Removed:
    """A person taken off the roster, or moved: where they are now and what was undone."""

    person: Person
    now_at: Person | None  # the entry in the new place after a move
    was_bound: bool
    invites_revoked: int
