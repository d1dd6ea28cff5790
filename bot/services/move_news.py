"""What each person told of a completed move is shown: one message per recipient, with the move's reason."""

from __future__ import annotations

from datetime import date

from bot import texts
from bot.chat.actions import move_buttons
from bot.domain.conversation import HazardConversation
from bot.domain.hazards import Hazard
from bot.domain.lifecycle import Move
from bot.domain.notifications import Message
from bot.domain.recipients import Told


def move_message(
    hazard: Hazard,
    move: Move,
    told: Told,
    conversation: HazardConversation,
    proxy: bool,
    before: list[str],
    today: date,
) -> Message:
    """What one recipient of a move is shown; every message about a move carries its reason, if one was given
    (the former owner of a 改派 excepted: its reason may name who has the hazard now)."""
    reason = None if move is Move.SUBMIT else conversation.reason  # a submission's note is for the reviewers
    if told is Told.PROXY:
        proxy_submit = move_buttons(hazard.id, [Move.SUBMIT], proxy=True)
        return Message(text=texts.proxy_card(hazard, today, move, reason), buttons=proxy_submit)
    if told is Told.REPORTER:
        return Message(text=texts.reporter_update(hazard, move, today, reason))
    if told is Told.OWNER and move is Move.VERIFY:
        return Message(text=texts.owner_closed(hazard))
    if told is Told.OWNER:
        submit = move_buttons(hazard.id, [Move.SUBMIT])
        return Message(text=texts.owner_card(hazard, move, today, reason), photos=before, buttons=submit)
    if told is Told.REVIEW:
        after = [p.name for p in conversation.photos]
        review = move_buttons(hazard.id, [Move.VERIFY, Move.REJECT])
        text = texts.review_card(hazard, len(before), len(after), conversation.reason, proxy=proxy, today=today)
        return Message(text=text, photos=before + after, buttons=review)
    if told is Told.ADMIN:
        return Message(text=texts.admin_update(hazard, move, today, reason))
    assert told is Told.FORMER_OWNER
    return Message(text=texts.reassigned_away(hazard))
