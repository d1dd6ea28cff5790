"""The action codec: every action reads back as itself; anything else is a stale button; one builder of move buttons."""

from __future__ import annotations

import pytest

from bot import texts
from bot.chat.actions import (
    DATA_LIMIT,
    Action,
    BindChoice,
    CheckDone,
    ConversationStep,
    ConversationVerb,
    HazardPress,
    PageTurn,
    PlaceDecision,
    PlacePress,
    PlaceReview,
    PlaceVerb,
    ReportStep,
    ReportVerb,
    decode,
    encode,
    move_buttons,
    view_button,
)
from bot.domain.errors import StaleButton
from bot.domain.hazards import Severity
from bot.domain.lifecycle import Move
from bot.domain.places import Grade, PlaceStatus
from bot.domain.queries import Filters, ListKind
from bot.domain.report import EDITABLE

TOKEN = "0a1b2c3d"
BIG = 999_999_999_999_999_999  # the largest number parse_number reads (18 digits)
BILLION = 999_999_999  # ids of a list page: three of them, so not each the largest

ACTIONS: list[Action] = [
    *(HazardPress(BIG, move) for move in Move),
    HazardPress(7, None),
    PageTurn(ListKind.OPEN, Filters(), 0),
    PageTurn(
        ListKind.OVERDUE, Filters(town_id=BILLION, village_id=BILLION, category=99, severity=Severity.MAJOR), BILLION
    ),
    PageTurn(ListKind.OPEN, Filters(severity=Severity.GENERAL), 3),
    ConversationStep(TOKEN, ConversationVerb.OWNER, BIG),
    ConversationStep(TOKEN, ConversationVerb.DAYS, 7),
    ConversationStep(TOKEN, ConversationVerb.NEW_OWNER),
    ConversationStep(TOKEN, ConversationVerb.KEEP),
    ConversationStep(TOKEN, ConversationVerb.PHOTOS),
    *(ReportStep(TOKEN, verb) for verb in (ReportVerb.NEXT, ReportVerb.FIX, ReportVerb.CANCEL, ReportVerb.SUBMIT)),
    ReportStep(TOKEN, ReportVerb.EDIT),
    ReportStep(TOKEN, ReportVerb.EDIT, back=True),
    *(ReportStep(TOKEN, ReportVerb.EDIT, step=step) for step in EDITABLE),
    *(ReportStep(TOKEN, ReportVerb.SEVERITY, severity=s) for s in Severity),
    *(ReportStep(TOKEN, verb, number=BIG) for verb in (ReportVerb.CATEGORY, ReportVerb.VILLAGE, ReportVerb.PLACE)),
    *(ReportStep(TOKEN, verb, number=BIG) for verb in (ReportVerb.PLACE_ID, ReportVerb.PLACE_PAGE)),
    ReportStep(TOKEN, ReportVerb.PLACE_PAGE, number=0),
    ReportStep(TOKEN, ReportVerb.NEW_PLACE),
    ReportStep(TOKEN, ReportVerb.ADD_PLACE, number=19),
    PlaceReview(BIG, confirm=True),
    PlaceReview(1, confirm=False),
    BindChoice("Ab3_-xYz0123456789abcd"),
    BindChoice(None),
    *(PlacePress(BIG, verb) for verb in (PlaceVerb.VIEW, PlaceVerb.GRADE, PlaceVerb.OWNER, PlaceVerb.STATUS)),
    PlacePress(BIG, PlaceVerb.VISIT),
    *(PlacePress(BIG, PlaceVerb.SET_GRADE, grade.value) for grade in Grade),
    *(PlacePress(BIG, PlaceVerb.SET_STATUS, status.value) for status in PlaceStatus),
    PlacePress(BIG, PlaceVerb.SET_OWNER, str(BIG)),
    PlaceDecision(BIG, approved=True),
    PlaceDecision(BIG, approved=False),
    CheckDone(),
]


@pytest.mark.parametrize("action", ACTIONS, ids=repr)
def test_every_action_reads_back_as_itself_within_64_bytes(action: Action) -> None:
    data = encode(action)
    assert len(data.encode()) <= DATA_LIMIT
    assert decode(data) == action


def test_the_formats_of_buttons_already_sent_are_kept() -> None:
    """Buttons in chats and in the outbox were written by the releases before the codec: they still work."""
    assert decode("hz:12:submit") == HazardPress(12, Move.SUBMIT)
    assert decode("hz:12:view") == HazardPress(12, None)
    assert decode("rp:0a1b2c3d:cat:2") == ReportStep(TOKEN, ReportVerb.CATEGORY, number=2)
    assert decode("rp:0a1b2c3d:edit:back") == ReportStep(TOKEN, ReportVerb.EDIT, back=True)
    assert decode("hc:0a1b2c3d:days:7") == ConversationStep(TOKEN, ConversationVerb.DAYS, 7)
    assert decode("bind:keep") == BindChoice(None)
    assert decode("q:d:1:3::2:m") == PageTurn(
        ListKind.OVERDUE, Filters(town_id=3, category=2, severity=Severity.MAJOR), 1
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "hz:007:view",  # not as written: leading zeros
        "hz:7:view\n",
        "hz:7:view:",
        "hz:7",
        "hz:7:Submit",
        "rp:0a1b2c3d:next:1",  # an argument the verb does not take
        "rp:0a1b2c3d:cat",  # a missing argument
        "rp:0a1b2c3d:sev:huge",
        "rp:0a1b2c3d:edit:summary",  # not an editable step
        "rp::next",  # no token
        "rp:0a 1b:next",
        "hc:0a1b2c3d:keep:3",
        "hc:0a1b2c3d:owner",
        "q:o:0:::",
        "q:o:0:::::x",
        "q:o:+1::::",
        "zz:1:view",
        "hz:" + "1" * 70 + ":view",
        "bind:ok",
        "bind:ok:",
        "bind:keep:x",
        "bind:ok:a b",
        "rp:0a1b2c3d:pid",  # a place button without its place
        "rp:0a1b2c3d:newpl:3",
        "rp:0a1b2c3d:addpl",  # which search it adds is part of the button
        "pv:7:yes",
        "pv:07:ok",
        "pv:7",
        "pv::no",
        "pf:1:g",  # a new value missing
        "pf:1:g:pink",
        "pf:1:s:open:1",
        "pf:1:o:01",
        "pf:1:view:1",  # a value the verb does not take
        "pf:x:view",
        "pr:1:maybe",
        "pr:1",
        "ck:done:1",
        "ck",
    ],
)
def test_anything_encode_does_not_write_is_a_stale_button(data: object) -> None:
    with pytest.raises(StaleButton):
        decode(data)


def test_an_action_that_would_not_read_back_is_refused_when_written() -> None:
    with pytest.raises(ValueError):
        encode(ReportStep(TOKEN, ReportVerb.NEXT, number=1))
    with pytest.raises(ValueError):
        encode(ConversationStep(TOKEN, ConversationVerb.OWNER))


def test_move_buttons_in_rows_of_three_with_their_labels() -> None:
    rows = move_buttons(5, [Move.ASSIGN, Move.INVALID, Move.DUPLICATE, Move.REASSIGN])
    assert [[b.text for b in row] for row in rows] == [
        [texts.MOVE_BUTTONS[Move.ASSIGN], texts.MOVE_BUTTONS[Move.INVALID], texts.MOVE_BUTTONS[Move.DUPLICATE]],
        [texts.MOVE_BUTTONS[Move.REASSIGN]],
    ]
    assert [decode(b.data) for row in rows for b in row] == [
        HazardPress(5, m) for m in (Move.ASSIGN, Move.INVALID, Move.DUPLICATE, Move.REASSIGN)
    ]
    (proxy,) = move_buttons(5, [Move.SUBMIT], proxy=True)
    assert proxy[0].text == texts.BUTTON_PROXY and decode(proxy[0].data) == HazardPress(5, Move.SUBMIT)
    assert move_buttons(5, []) == []
    assert decode(view_button(5)[0][0].data) == HazardPress(5, None)
