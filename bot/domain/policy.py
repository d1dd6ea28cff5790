"""The one authorization policy: may this person do this action on this thing."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.hazards import Hazard
from bot.domain.lifecycle import Move
from bot.domain.people import Actor, Role, Scope


class Action(StrEnum):
    """Everything a person can ask GridSafe to do."""

    HELP = "help"
    CANCEL = "cancel"
    REPORT = "report"
    CHECK = "check"
    LIST_OPEN = "list_open"
    LIST_MINE = "list_mine"
    VIEW_HAZARD = "view_hazard"
    VIEW_STATS = "view_stats"
    EXPORT = "export"
    INVITE = "invite"
    MANAGE_PEOPLE = "manage_people"


_EVERYONE = frozenset(Role)
_STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})
_MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMIN})

_ROLES_FOR: dict[Action, frozenset[Role]] = {
    Action.HELP: _EVERYONE,
    Action.CANCEL: _EVERYONE,
    Action.REPORT: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Action.CHECK: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Action.LIST_OPEN: _STAFF,
    Action.LIST_MINE: _EVERYONE,
    Action.VIEW_HAZARD: _EVERYONE,
    Action.VIEW_STATS: _MANAGERS,
    Action.EXPORT: _MANAGERS,
    Action.INVITE: _MANAGERS,
    Action.MANAGE_PEOPLE: frozenset({Role.ADMIN}),
}

# Whom each role may invite; a supervisor only inside their own town.
_INVITABLE: dict[Role, frozenset[Role]] = {
    Role.ADMIN: _EVERYONE,
    Role.SUPERVISOR: frozenset({Role.OFFICER, Role.OWNER, Role.SUPERVISOR}),
}


def role_may(role: Role, action: Action) -> bool:
    """Whether a role may ever do an action (used for help and command menus)."""
    return role in _ROLES_FOR[action]


def can(actor: Actor, action: Action, scope: Scope | None = None) -> bool:
    """Whether this actor may do this action, on something in `scope` when given."""
    if not role_may(actor.role, action):
        return False
    return scope is None or actor.scope.contains(scope)


def can_invite(actor: Actor, role: Role, scope: Scope) -> bool:
    """Whether this actor may create an invite for a person of `role` in `scope`."""
    return can(actor, Action.INVITE, scope) and role in _INVITABLE.get(actor.role, frozenset())


def can_view(actor: Actor, hazard: Hazard) -> bool:
    """Whether this actor may see the hazard at all (outside scope it must look as if it did not exist)."""
    if actor.role is Role.OWNER:
        return hazard.owner_id == actor.id
    return actor.scope.contains(hazard.scope)


def can_move(actor: Actor, move: Move, hazard: Hazard) -> bool:
    """Whether this actor may make this move on this hazard (its current state is checked by the lifecycle)."""
    if move is Move.SUBMIT:
        if actor.role is Role.OWNER:
            return hazard.owner_id == actor.id
        # 代为提交: the reporting officer acts for an owner who has no Telegram.
        return actor.role is Role.OFFICER and hazard.reporter_id == actor.id and not hazard.owner_bound
    # 交办, 不属实, 重复, 复核, 不通过, 重新打开 and 改派: the town's supervisors and the admins.
    return actor.role in _MANAGERS and actor.scope.contains(hazard.scope)
