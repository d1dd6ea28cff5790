"""The authorization policy, as a table."""

from __future__ import annotations

import pytest

from bot.domain.people import Actor, Role, Scope
from bot.domain.policy import Action, can, can_invite

TOWN, OTHER_TOWN, VILLAGE, NEIGHBOUR = 1, 2, 10, 11
OWN_VILLAGE = Scope(town_id=TOWN, village_id=VILLAGE)
SAME_TOWN_VILLAGE = Scope(town_id=TOWN, village_id=NEIGHBOUR)
OTHER_TOWN_VILLAGE = Scope(town_id=OTHER_TOWN, village_id=99)


def _actor(role: Role) -> Actor:
    town = None if role is Role.ADMIN else TOWN
    village = VILLAGE if role in (Role.OFFICER, Role.OWNER) else None
    return Actor(
        id=1,
        name="甲",
        role=role,
        town_id=town,
        town_name=None,
        village_id=village,
        village_name=None,
        phone=None,
        telegram_user_id=5,
        chat_id=5,
    )


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        (Role.OFFICER, OWN_VILLAGE, True),
        (Role.OFFICER, SAME_TOWN_VILLAGE, False),
        (Role.OFFICER, OTHER_TOWN_VILLAGE, False),
        (Role.SUPERVISOR, OWN_VILLAGE, True),
        (Role.SUPERVISOR, SAME_TOWN_VILLAGE, True),
        (Role.SUPERVISOR, OTHER_TOWN_VILLAGE, False),
        (Role.ADMIN, OWN_VILLAGE, False),  # admins oversee; reports come from officers and supervisors (DESIGN.md)
        (Role.ADMIN, OTHER_TOWN_VILLAGE, False),
        (Role.OWNER, OWN_VILLAGE, False),
    ],
)
def test_reporting_by_role_and_scope(role: Role, scope: Scope, allowed: bool) -> None:
    assert can(_actor(role), Action.REPORT, scope) is allowed


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        (Role.OWNER, {Action.HELP, Action.CANCEL, Action.LIST_MINE, Action.VIEW_HAZARD, Action.VIEW_PLACE}),
        (
            Role.OFFICER,
            {
                Action.HELP,
                Action.CANCEL,
                Action.REPORT,
                Action.CHECK,
                Action.LIST_OPEN,
                Action.LIST_MINE,
                Action.VIEW_HAZARD,
                Action.VIEW_PLACE,
            },
        ),
        (Role.SUPERVISOR, set(Action) - {Action.MANAGE_PEOPLE}),
        (Role.ADMIN, set(Action) - {Action.REPORT, Action.CHECK}),
    ],
)
def test_actions_each_role_may_take(role: Role, actions: set[Action]) -> None:
    assert {a for a in Action if can(_actor(role), a)} == actions


def test_supervisor_invites_inside_own_town_and_never_admins() -> None:
    supervisor = _actor(Role.SUPERVISOR)
    assert can_invite(supervisor, Role.OWNER, SAME_TOWN_VILLAGE)
    assert not can_invite(supervisor, Role.OWNER, OTHER_TOWN_VILLAGE)
    assert not can_invite(supervisor, Role.ADMIN, Scope())
    assert can_invite(_actor(Role.ADMIN), Role.ADMIN, Scope())
    assert not can_invite(_actor(Role.OFFICER), Role.OWNER, OWN_VILLAGE)
