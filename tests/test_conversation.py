"""The hazard conversations as a table: what each move asks, in order, until it completes (pure, no chat)."""

from __future__ import annotations

import pytest

from bot.domain.conversation import Ask, HazardConversation, current, first_ask, next_ask
from bot.domain.errors import StaleButton
from bot.domain.lifecycle import Move


def questions(move: Move, *, has_owner: bool) -> list[Ask]:
    """Every question of the move, answering each in turn."""
    asked: list[Ask] = []
    ask = first_ask(move)
    while ask is not None:
        asked.append(ask)
        ask = next_ask(move, ask, has_owner=has_owner)
    return asked


@pytest.mark.parametrize(
    ("move", "has_owner", "expected"),
    [
        (Move.ASSIGN, False, [Ask.OWNER, Ask.DEADLINE]),
        (Move.INVALID, False, [Ask.REASON]),
        (Move.DUPLICATE, False, [Ask.ORIGINAL]),
        (Move.SUBMIT, True, [Ask.PHOTOS, Ask.NOTE]),
        (Move.VERIFY, True, []),  # one press
        (Move.REJECT, True, [Ask.REASON, Ask.DEADLINE]),
        (Move.REJECT, False, [Ask.REASON]),  # fixed on the spot: back to be assigned, no deadline yet
        (Move.REOPEN, True, [Ask.REASON, Ask.DEADLINE]),
        (Move.REASSIGN, True, [Ask.OWNER, Ask.REASON, Ask.DEADLINE]),
    ],
)
def test_each_move_asks_its_questions_in_order(move: Move, has_owner: bool, expected: list[Ask]) -> None:
    assert questions(move, has_owner=has_owner) == expected


def test_a_typed_new_owner_answers_the_owner_question() -> None:
    assert next_ask(Move.ASSIGN, Ask.OWNER_NAME, has_owner=False) is Ask.DEADLINE
    assert next_ask(Move.REASSIGN, Ask.OWNER_NAME, has_owner=True) is Ask.REASON


def test_a_question_a_move_never_asks_is_refused() -> None:
    with pytest.raises(ValueError):
        next_ask(Move.INVALID, Ask.DEADLINE, has_owner=False)


def test_one_stale_button_check_for_every_flow() -> None:
    talk = HazardConversation(person_id=1, hazard_id=2, move=Move.ASSIGN, ask=Ask.OWNER, token="abcd1234")

    def ask_of(c: HazardConversation) -> Ask:
        return c.ask

    assert current(talk, "abcd1234", ask_of, (Ask.OWNER,)) is talk
    assert current(talk, None, ask_of, (Ask.OWNER,)) is talk  # a typed answer carries no token
    for token, asks in (("other", (Ask.OWNER,)), ("abcd1234", (Ask.DEADLINE,))):
        with pytest.raises(StaleButton):
            current(talk, token, ask_of, asks)
    with pytest.raises(StaleButton):
        current(None, "abcd1234", ask_of, (Ask.OWNER,))
