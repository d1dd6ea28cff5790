"""Who is told of what, as tables written from DESIGN.md sections 1-3 (not from the code).

Cast: officer OF reported the hazard (or supervisor S1 did); owner W (W2 the new owner of a 改派); S1, S2 supervise the
town; A1, A2 are admins.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.domain.hazards import Severity, Status
from bot.domain.lifecycle import Move
from bot.domain.people import Role
from bot.domain.recipients import Involved, Reminded, Told, of_move, of_report, of_rung, of_unreachable
from bot.domain.schedule import RungKind

OF, W, W2, S1, S2, A1, A2 = 1, 2, 7, 3, 4, 5, 6
GENERAL, MAJOR = Severity.GENERAL, Severity.MAJOR

BY_OFFICER = Involved(
    reporter_id=OF, reporter_role=Role.OFFICER, owner_id=W, owner_bound=True, supervisors=(S1, S2), admins=(A1, A2)
)
NO_TELEGRAM = replace(BY_OFFICER, owner_bound=False)  # the owner has no Telegram: the officer acts for them
NO_OWNER = replace(BY_OFFICER, owner_id=None, owner_bound=False)
BY_SUPERVISOR = replace(BY_OFFICER, reporter_id=S1, reporter_role=Role.SUPERVISOR)
BY_SUPERVISOR_NO_TELEGRAM = replace(BY_SUPERVISOR, owner_bound=False)
REPORTER_GONE = replace(NO_TELEGRAM, reporter_role=None)  # the reporter left the roster
NEW_OWNER = replace(BY_OFFICER, owner_id=W2)
NEW_OWNER_NO_TELEGRAM = replace(NEW_OWNER, owner_bound=False)


@pytest.mark.parametrize(
    ("severity", "told"),
    [
        # The town supervisor then gets the hazard with 交办 / 不属实 / 重复 buttons.
        (GENERAL, [(S1, Told.NEW), (S2, Told.NEW)]),
        # A major hazard alerts admins at once.
        (MAJOR, [(S1, Told.NEW), (S2, Told.NEW), (A1, Told.MAJOR), (A2, Told.MAJOR)]),
    ],
)
def test_a_new_hazard_goes_to_the_town_supervisors_and_a_major_one_to_every_admin(
    severity: Severity, told: list[tuple[int, Told]]
) -> None:
    assert [(r.person_id, r.told) for r in of_report(BY_OFFICER, severity)] == told


MOVES = [
    # (case, move, status after, severity, actor, people, former owner (bound?), who is told as what)
    ("交办 to an owner on Telegram", Move.ASSIGN, Status.ASSIGNED, GENERAL, S1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER)]),
    ("交办 to an owner without Telegram: the officer gets the owner's card", Move.ASSIGN, Status.ASSIGNED, GENERAL, S1,
     NO_TELEGRAM, None, [(OF, Told.PROXY)]),
    ("交办 of a major hazard: admins follow it", Move.ASSIGN, Status.ASSIGNED, MAJOR, S1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER), (A1, Told.ADMIN), (A2, Told.ADMIN)]),
    ("an admin's own move is not echoed to them", Move.ASSIGN, Status.ASSIGNED, MAJOR, A1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER), (A2, Told.ADMIN)]),
    ("a supervisor's own report: not told of their own move", Move.ASSIGN, Status.ASSIGNED, GENERAL, S1,
     BY_SUPERVISOR, None, [(W, Told.OWNER)]),
    ("only an officer acts for an owner without Telegram", Move.ASSIGN, Status.ASSIGNED, GENERAL, S2,
     BY_SUPERVISOR_NO_TELEGRAM, None, [(S1, Told.REPORTER)]),
    ("不属实", Move.INVALID, Status.CLOSED, GENERAL, S1, NO_OWNER, None, [(OF, Told.REPORTER)]),
    ("重复 of a major hazard", Move.DUPLICATE, Status.CLOSED, MAJOR, S1, NO_OWNER, None,
     [(OF, Told.REPORTER), (A1, Told.ADMIN), (A2, Told.ADMIN)]),
    ("the owner submits: supervisors review", Move.SUBMIT, Status.SUBMITTED, GENERAL, W, BY_OFFICER, None,
     [(OF, Told.REPORTER), (S1, Told.REVIEW), (S2, Told.REVIEW)]),
    ("the officer submits for the owner", Move.SUBMIT, Status.SUBMITTED, GENERAL, OF, NO_TELEGRAM, None,
     [(S1, Told.REVIEW), (S2, Told.REVIEW)]),
    ("复核通过: the owner hears it is closed", Move.VERIFY, Status.CLOSED, GENERAL, S1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER)]),
    ("复核通过 with an owner without Telegram", Move.VERIFY, Status.CLOSED, GENERAL, S1, NO_TELEGRAM, None,
     [(OF, Told.REPORTER)]),
    ("不通过: a new deadline for the owner", Move.REJECT, Status.ASSIGNED, GENERAL, S1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER)]),
    ("不通过 for an owner without Telegram", Move.REJECT, Status.ASSIGNED, GENERAL, S1, NO_TELEGRAM, None,
     [(OF, Told.PROXY)]),
    ("不通过 of a fix on the spot (no owner): back to triage", Move.REJECT, Status.REPORTED, GENERAL, S1, NO_OWNER,
     None, [(OF, Told.REPORTER)]),
    ("重新打开", Move.REOPEN, Status.ASSIGNED, MAJOR, S1, BY_OFFICER, None,
     [(OF, Told.REPORTER), (W, Told.OWNER), (A1, Told.ADMIN), (A2, Told.ADMIN)]),
    ("改派: the new owner gets the card, the former one hears it was taken", Move.REASSIGN, Status.ASSIGNED, GENERAL,
     S1, NEW_OWNER, (W, True), [(OF, Told.REPORTER), (W2, Told.OWNER), (W, Told.FORMER_OWNER)]),
    ("改派 to an owner without Telegram", Move.REASSIGN, Status.ASSIGNED, GENERAL, S1, NEW_OWNER_NO_TELEGRAM,
     (W, True), [(OF, Told.PROXY), (W, Told.FORMER_OWNER)]),
    ("改派 away from an owner without Telegram", Move.REASSIGN, Status.ASSIGNED, GENERAL, S1, NEW_OWNER, (W, False),
     [(OF, Told.REPORTER), (W2, Told.OWNER)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("move", "status", "severity", "actor", "people", "former", "told"),
    [pytest.param(*row[1:], id=row[0]) for row in MOVES],
)
def test_who_is_told_of_each_move(
    move: Move,
    status: Status,
    severity: Severity,
    actor: int,
    people: Involved,
    former: tuple[int, bool] | None,
    told: list[tuple[int, Told]],
) -> None:
    former_owner, former_bound = former or (None, False)
    got = of_move(move, status, severity, actor, people, former_owner, former_bound)
    assert [(r.person_id, r.told) for r in got] == told


@pytest.mark.parametrize("move", list(Move))
@pytest.mark.parametrize("people", [BY_OFFICER, NO_TELEGRAM, BY_SUPERVISOR, NO_OWNER])
@pytest.mark.parametrize("severity", list(Severity))
def test_promises_hold_for_every_move(move: Move, people: Involved, severity: Severity) -> None:
    status = Status.ASSIGNED if move in (Move.ASSIGN, Move.REJECT, Move.REOPEN, Move.REASSIGN) else Status.CLOSED
    for actor in (S2, A1, W):
        got = of_move(move, status, severity, actor, people)
        to_reporter = [r for r in got if r.person_id == people.reporter_id and r.told is not Told.REVIEW]
        # The reporting person is told of every change of their report made by someone else, once.
        assert len(to_reporter) == (0 if actor == people.reporter_id else 1)
        # Nobody is told twice of one change (but a supervisor who reported a hazard also gets its review card),
        # and the owner is only ever told as the owner.
        once = [r.person_id for r in got if not (r.told is Told.REVIEW and r.person_id == people.reporter_id)]
        assert len(set(once)) == len(once)
        assert all(r.told is Told.OWNER for r in got if r.person_id == people.owner_id)
        # Admins follow every change of a major hazard, and only of a major one.
        admins = {r.person_id for r in got if r.told is Told.ADMIN}
        assert admins == ({A1, A2} - {actor} if severity is MAJOR else set())


DEADLINE = [
    # D-3, D-1, D-day: the owner (or the reporting officer when the owner has no Telegram).
    (RungKind.D3, BY_OFFICER, [(W, Reminded.FIXER)]),
    (RungKind.D1, NO_TELEGRAM, [(OF, Reminded.FIXER)]),
    (RungKind.D_DAY, BY_OFFICER, [(W, Reminded.FIXER)]),
    # Only an officer acts for an owner without Telegram: otherwise the reminder is still queued for the owner, and
    # the outbox records it as undeliverable (the lists and the ranking show the hazard).
    (RungKind.D_DAY, BY_SUPERVISOR_NO_TELEGRAM, [(W, Reminded.FIXER)]),
    (RungKind.D_DAY, REPORTER_GONE, [(W, Reminded.FIXER)]),
    (RungKind.D_DAY, replace(NO_OWNER, reporter_role=Role.SUPERVISOR), []),
    # +1 day, yellow card: owner + reporter + supervisor.
    (RungKind.YELLOW, BY_OFFICER, [(W, Reminded.FIXER), (OF, Reminded.REPORTER), (S1, Reminded.SUPERVISOR),
                                   (S2, Reminded.SUPERVISOR)]),
    # The officer acting for the owner gets the yellow card once (as its reporter).
    (RungKind.YELLOW, NO_TELEGRAM, [(OF, Reminded.REPORTER), (S1, Reminded.SUPERVISOR), (S2, Reminded.SUPERVISOR)]),
    (RungKind.YELLOW, BY_SUPERVISOR, [(W, Reminded.FIXER), (S1, Reminded.SUPERVISOR), (S2, Reminded.SUPERVISOR)]),
    # +7 days, red card: admins (and the owner).
    (RungKind.RED, BY_OFFICER, [(W, Reminded.FIXER), (A1, Reminded.ADMIN), (A2, Reminded.ADMIN)]),
    # Then weekly until closed: the owner and the supervisors.
    (RungKind.OVERDUE, NO_TELEGRAM, [(OF, Reminded.FIXER), (S1, Reminded.SUPERVISOR), (S2, Reminded.SUPERVISOR)]),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "people", "reminded"), DEADLINE)
def test_who_is_reminded_of_each_rung_of_the_deadline_ladder(
    kind: RungKind, people: Involved, reminded: list[tuple[int, Reminded]]
) -> None:
    assert [(r.person_id, r.reminded) for r in of_rung(kind, people)] == reminded


@pytest.mark.parametrize(
    ("person", "supervisors", "admins", "told"),
    [
        (OF, (S1, S2), (A1, A2), [S1, S2]),  # an officer or owner: their town's supervisors
        (S1, (S1, S2), (A1, A2), [S2]),  # a supervisor: the other supervisors, never themselves
        (S1, (S1,), (A1, A2), [A1, A2]),  # the only supervisor: the admins
        (A1, (), (A1, A2), [A2]),  # an admin: the other admins
    ],
)
def test_who_hears_that_someone_is_unreachable(
    person: int, supervisors: tuple[int, ...], admins: tuple[int, ...], told: list[int]
) -> None:
    assert of_unreachable(person, supervisors, admins) == told
