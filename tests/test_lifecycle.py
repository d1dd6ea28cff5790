"""The lifecycle, as a table: every (state, move, role) either succeeds with the right event or is refused."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.conversation import HazardConversation
from bot.domain.deadlines import parse_deadline
from bot.domain.errors import DeadlineInPast, DeadlineTooFar, DeadlineUnreadable, DomainError
from bot.domain.hazards import Closure, Status
from bot.domain.lifecycle import Move, leads_to, names_its_state
from bot.services.container import Services
from tests.scenario import Cast, attempt, hazard_in, report

# Written from DESIGN.md section 2, not derived from the code under test.
ALLOWED: dict[tuple[Status, Move], set[str]] = {
    (Status.REPORTED, Move.ASSIGN): {"supervisor", "admin"},
    (Status.REPORTED, Move.INVALID): {"supervisor", "admin"},
    (Status.REPORTED, Move.DUPLICATE): {"supervisor", "admin"},
    (Status.ASSIGNED, Move.SUBMIT): {"owner"},  # the officer only acts for an owner without Telegram
    (Status.SUBMITTED, Move.VERIFY): {"supervisor", "admin"},
    (Status.SUBMITTED, Move.REJECT): {"supervisor", "admin"},
    (Status.CLOSED, Move.REOPEN): {"supervisor", "admin"},
    (Status.ASSIGNED, Move.REASSIGN): {"supervisor", "admin"},  # 改派: another owner, the hazard stays 整改中
}
RESULT: dict[Move, tuple[Status, Closure | None]] = {
    Move.ASSIGN: (Status.ASSIGNED, None),
    Move.INVALID: (Status.CLOSED, Closure.INVALID),
    Move.DUPLICATE: (Status.CLOSED, Closure.DUPLICATE),
    Move.SUBMIT: (Status.SUBMITTED, None),
    Move.VERIFY: (Status.CLOSED, Closure.VERIFIED),
    Move.REJECT: (Status.ASSIGNED, None),
    Move.REOPEN: (Status.ASSIGNED, None),
    Move.REASSIGN: (Status.ASSIGNED, None),
}
ROLES = ("officer", "neighbour", "owner", "supervisor", "outsider", "admin")


async def _events(services: Services, hazard_id: int) -> list[tuple[str, str]]:
    rows = await services.db.fetch_all(
        "SELECT kind, to_status FROM hazard_events WHERE hazard_id = ? ORDER BY id", (hazard_id,)
    )
    return [(r[0], r[1]) for r in rows]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("move", list(Move))
async def test_every_state_move_and_role(services: Services, status: Status, move: Move) -> None:
    cast = await Cast.assemble(services)
    original = (await report(services, cast.officer, place="别处")).id
    for role in ROLES:
        actor = getattr(cast, role)
        hazard = await hazard_in(services, cast, status)
        before = await _events(services, hazard.id)
        if role in ALLOWED.get((status, move), set()):
            done = await attempt(services, actor, hazard.id, move, original=original)
            to, closure = RESULT[move]
            assert (done.hazard.status, done.hazard.closure) == (to, closure), (role, move)
            assert await _events(services, hazard.id) == [*before, (move.value, to.value)]
        else:
            with pytest.raises(DomainError):
                await attempt(services, actor, hazard.id, move, original=original)
            after = await services.rectification.visible(cast.admin, hazard.id)
            assert after.status is status, (role, move)
            assert await _events(services, hazard.id) == before, (role, move)


async def test_officer_submits_for_an_owner_without_telegram(services: Services) -> None:
    cast = await Cast.assemble(services)
    hazard = await report(services, cast.officer)
    rectification = services.rectification
    conversation = await rectification.begin(cast.supervisor, hazard.id, Move.ASSIGN)
    assert isinstance(conversation, HazardConversation)
    conversation = await rectification.ask_new_owner(cast.supervisor, conversation.token)
    answered = await rectification.answer_text(cast.supervisor, "李师傅 13900000000")
    assert isinstance(answered, HazardConversation)
    done = await rectification.choose_days(cast.supervisor, answered.token, 7)
    assert done.owner_invite is not None and done.hazard.owner_name == "李师傅" and not done.hazard.owner_bound
    with pytest.raises(DomainError):
        await attempt(services, cast.neighbour, hazard.id, Move.SUBMIT)
    submitted = await attempt(services, cast.officer, hazard.id, Move.SUBMIT)
    assert submitted.hazard.status is Status.SUBMITTED
    assert (await _events(services, hazard.id))[-1] == ("submitted_by_proxy", "submitted")


async def test_hazards_without_owner_go_back_for_assignment(services: Services) -> None:
    cast = await Cast.assemble(services)
    invalid = (await attempt(services, cast.supervisor, (await report(services, cast.officer)).id, Move.INVALID)).hazard
    reopened = (await attempt(services, cast.supervisor, invalid.id, Move.REOPEN)).hazard
    assert reopened.status is Status.REPORTED and reopened.owner_id is None and reopened.deadline is None
    fixed = await report(services, cast.officer, fixed_on_spot=True)
    assert fixed.status is Status.SUBMITTED and fixed.owner_id is None
    rejected = (await attempt(services, cast.supervisor, fixed.id, Move.REJECT)).hazard
    assert rejected.status is Status.REPORTED
    assert (await _events(services, fixed.id))[-1] == ("reject", "reported")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("12月5日", date(2026, 12, 5)),
        ("12月5号", date(2026, 12, 5)),
        ("12-05", date(2026, 12, 5)),
        ("11-23", date(2026, 11, 23)),  # today
        ("1月5日", date(2027, 1, 5)),  # typed in November: next January
        (" 2027-02-28 ", date(2027, 2, 28)),
    ],
)
def test_deadlines_are_read_as_people_write_them(typed: str, expected: date) -> None:
    assert parse_deadline(typed, date(2026, 11, 23)) == expected


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-11-22", DeadlineInPast),
        ("11-20", DeadlineInPast),
        ("下周八", DeadlineUnreadable),
        ("2026-02-30", DeadlineUnreadable),
        ("13-01", DeadlineUnreadable),
        ("2028-01-01", DeadlineTooFar),
    ],
)
def test_bad_deadlines_are_refused(typed: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_deadline(typed, date(2026, 11, 23))


@pytest.mark.parametrize(
    ("move", "states"),
    [
        (Move.ASSIGN, {Status.ASSIGNED}),
        (Move.INVALID, {Status.CLOSED}),
        (Move.DUPLICATE, {Status.CLOSED}),
        (Move.SUBMIT, {Status.SUBMITTED}),
        (Move.VERIFY, {Status.CLOSED}),
        (Move.REJECT, {Status.ASSIGNED, Status.REPORTED}),
        (Move.REOPEN, {Status.ASSIGNED, Status.REPORTED}),
        (Move.REASSIGN, {Status.ASSIGNED}),
    ],
)
def test_an_update_names_the_state_only_when_the_move_does_not(move: Move, states: set[Status]) -> None:
    assert leads_to(move) == states
    assert names_its_state(move) is (len(states) == 1)
