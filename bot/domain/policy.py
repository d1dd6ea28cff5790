"""The one authorization policy: may this person do this action on this thing."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import Denial
from bot.domain.hazards import Hazard, Status
from bot.domain.lifecycle import Move, transition
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
    REVIEW_PLACE = "review_place"  # 确认 / 驳回 a place added while reporting (待核实)
    VIEW_PLACE = "view_place"


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
    Action.REVIEW_PLACE: _MANAGERS,
    Action.VIEW_PLACE: _EVERYONE,
}

# Who may ever make each move (scope and state are checked in `denial`): 提交整改 the owner, or the reporting officer
# for an owner without Telegram; every other move the town's supervisors and the admins. Help and buttons follow it.
_MOVERS: dict[Move, frozenset[Role]] = {move: _MANAGERS for move in Move} | {
    Move.SUBMIT: frozenset({Role.OWNER, Role.OFFICER})
}


class CheckKind(StrEnum):
    """Which recurring check a role logs with /check (排查)."""

    VILLAGE = "village"  # 各村每周至少排查一次: the village officer
    TOWN = "town"  # 各镇每月至少排查一次: the township supervisor


_CHECKS: dict[Role, CheckKind] = {Role.OFFICER: CheckKind.VILLAGE, Role.SUPERVISOR: CheckKind.TOWN}

# Whom each role may invite; a supervisor only inside their own town.
_INVITABLE: dict[Role, frozenset[Role]] = {
    Role.ADMIN: _EVERYONE,
    Role.SUPERVISOR: frozenset({Role.OFFICER, Role.OWNER, Role.SUPERVISOR}),
}


def role_may(role: Role, action: Action) -> bool:
    """Whether a role may ever do an action (used for help and command menus)."""
    return role in _ROLES_FOR[action]


def role_moves(role: Role) -> list[Move]:
    """The moves a role may ever make on a hazard (its help names them; a card shows those allowed there and then)."""
    return [move for move in Move if role in _MOVERS[move]]


def check_kind(role: Role) -> CheckKind | None:
    """The check a role logs with /check, None for a role that logs none."""
    return _CHECKS.get(role) if role_may(role, Action.CHECK) else None


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


def may_add_photos(actor: Actor, hazard: Hazard) -> bool:
    """Whether this actor may add before-photos to the hazard (补充照片): its reporter, or a supervisor of its town.
    Whether it is still open is the service's check."""
    if actor.role is Role.SUPERVISOR and actor.scope.contains(hazard.scope):
        return True
    return hazard.reporter_id == actor.id and role_may(actor.role, Action.REPORT)


def can_invite_bound(actor: Actor | None) -> bool:
    """Whether this actor may invite a person who is bound already (taking the binding over): admins only.

    None is the operator at the server's command line, who runs GridSafe and counts as an admin.
    """
    return actor is None or actor.role is Role.ADMIN


def can_move(actor: Actor, move: Move, hazard: Hazard) -> bool:
    """Whether this actor may make this move on this hazard (its current state is checked by the lifecycle)."""
    return denial(actor, move, hazard) is None


def allowed_moves(actor: Actor, hazard: Hazard) -> list[Move]:
    """The moves this actor may make on the hazard in its state now: the buttons they are shown."""
    has_owner = hazard.owner_id is not None
    return [m for m in Move if can_move(actor, m, hazard) and transition(m, hazard.status, has_owner=has_owner)]


def denial(actor: Actor, move: Move, hazard: Hazard) -> Denial | None:
    """Why this actor may not make this move on this hazard, or None when they may."""
    if actor.role not in _MOVERS[move]:
        return Denial.NOT_ALLOWED
    if move is Move.SUBMIT:
        if actor.role is Role.OWNER:
            return None if hazard.owner_id == actor.id else Denial.NOT_ALLOWED
        # 代为提交: the reporting officer acts for an owner who has no Telegram; once the owner joins, they submit.
        if hazard.reporter_id != actor.id:
            return Denial.NOT_ALLOWED
        return Denial.OWNER_JOINED if hazard.owner_bound else None
    # 交办, 不属实, 重复, 复核, 不通过, 重新打开 and 改派: the town's supervisors and the admins.
    if not actor.scope.contains(hazard.scope):
        return Denial.NOT_ALLOWED
    if move in (Move.VERIFY, Move.REJECT) and hazard.status is Status.SUBMITTED and _submitted_by(actor, hazard):
        return Denial.OWN_SUBMISSION
    return None


def _submitted_by(actor: Actor, hazard: Hazard) -> bool:
    # The same person, or the same Telegram account under another binding (one account, two roles, one after the other).
    return actor.id == hazard.submitted_by or (
        hazard.submitted_from is not None and actor.telegram_user_id == hazard.submitted_from
    )
