"""The hazard lifecycle as a state machine: which move is allowed from which state, to which state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.hazards import Closure, Status


class Move(StrEnum):
    """Everything that changes a hazard's status."""

    ASSIGN = "assign"  # 交办
    INVALID = "invalid"  # 不属实
    DUPLICATE = "duplicate"  # 重复
    SUBMIT = "submit"  # 提交整改 (owner, or the reporting officer on the owner's behalf)
    VERIFY = "verify"  # 复核通过 → 销号
    REJECT = "reject"  # 不通过
    REOPEN = "reopen"  # 重新打开 (found again)
    REASSIGN = "reassign"  # 改派: another owner for an assigned hazard (a mistyped or wrong owner)


@dataclass(frozen=True)
class Transition:
    """Where a move leads."""

    to: Status
    closure: Closure | None = None


_FROM: dict[Move, Status] = {
    Move.ASSIGN: Status.REPORTED,
    Move.INVALID: Status.REPORTED,
    Move.DUPLICATE: Status.REPORTED,
    Move.SUBMIT: Status.ASSIGNED,
    Move.VERIFY: Status.SUBMITTED,
    Move.REJECT: Status.SUBMITTED,
    Move.REOPEN: Status.CLOSED,
    Move.REASSIGN: Status.ASSIGNED,
}


def allowed_from(move: Move) -> Status:
    """The one state a move starts from."""
    return _FROM[move]


def transition(move: Move, status: Status, *, has_owner: bool) -> Transition | None:
    """Where `move` takes a hazard in `status`, None when the move is not allowed there.

    A hazard without an owner (fixed on the spot, or closed before it was assigned) goes back to 已上报 on
    不通过 or 重新打开, to be assigned; one with an owner goes back to the owner. 改派 keeps the hazard 整改中
    (overdue included) and changes only who must fix it.
    """
    if _FROM[move] is not status:
        return None
    if move is Move.REASSIGN:
        return Transition(Status.ASSIGNED) if has_owner else None
    if move is Move.ASSIGN or (move is Move.SUBMIT and has_owner):
        return Transition(Status.ASSIGNED if move is Move.ASSIGN else Status.SUBMITTED)
    if move is Move.SUBMIT:
        return None
    if move is Move.INVALID:
        return Transition(Status.CLOSED, Closure.INVALID)
    if move is Move.DUPLICATE:
        return Transition(Status.CLOSED, Closure.DUPLICATE)
    if move is Move.VERIFY:
        return Transition(Status.CLOSED, Closure.VERIFIED)
    return Transition(Status.ASSIGNED if has_owner else Status.REPORTED)


def leads_to(move: Move) -> frozenset[Status]:
    """Every state a move can leave a hazard in (two for 不通过 and 重新打开: back to the owner, or to be assigned)."""
    steps = (transition(move, _FROM[move], has_owner=has_owner) for has_owner in (True, False))
    return frozenset(step.to for step in steps if step is not None)


def names_its_state(move: Move) -> bool:
    """Whether the move's name says the state it leaves (复核通过 → 已销号): an update need not repeat the state."""
    return len(leads_to(move)) == 1
