"""The one authorization policy: may this person do this action on this thing."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.people import Actor, Role, Scope


class Action(StrEnum):
    """Everything a person can ask GridSafe to do."""

    HELP = "help"
    CANCEL = "cancel"
    REPORT = "report"
    CHECK = "check"
    LIST_OPEN = "list_open"
    LIST_MINE = "list_mine"
    VIEW_STATS = "view_stats"
    EXPORT = "export"
    INVITE = "invite"


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
    Action.VIEW_STATS: _MANAGERS,
    Action.EXPORT: _MANAGERS,
    Action.INVITE: _MANAGERS,
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
