"""Cards that stay true: when a hazard moves on, the cards others hold of it are brought up to date."""

from __future__ import annotations

import logging
from datetime import tzinfo

from bot import texts
from bot.chat.actions import add_photos_button, move_buttons
from bot.clock import Clock
from bot.domain import dedupe
from bot.domain.hazards import Hazard, Status
from bot.domain.lifecycle import Move
from bot.domain.notifications import Message, Notification
from bot.domain.people import Actor, Channel, Role
from bot.domain.periods import local_date
from bot.domain.policy import allowed_moves, can_view
from bot.services.notify import Notifier
from storage.card_messages import CardMessageRepository
from storage.database import Database
from storage.hazards import HazardRepository
from storage.roster import RosterRepository

log = logging.getLogger(__name__)

_MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


class CardService:
    """Edits the earlier cards of a hazard that still offer buttons, and tells co-supervisors who did what."""

    def __init__(
        self,
        db: Database,
        cards: CardMessageRepository,
        hazards: HazardRepository,
        roster: RosterRepository,
        notifier: Notifier,
        clock: Clock,
        zone: tzinfo,
    ) -> None:
        self._db = db
        self._cards = cards
        self._hazards = hazards
        self._roster = roster
        self._notifier = notifier
        self._clock = clock
        self._zone = zone

    async def after_move(self, hazard: Hazard, move: Move, actor: Actor, event_id: int, told: set[int]) -> None:
        """After a move is saved: every other person's card of the hazard that still offers buttons is edited
        into the hazard's card as it is now, with the buttons now allowed to them (none, or others); a supervisor or
        admin whose card changed and who is not told of the move otherwise gets one line saying who did what.

        Queued through the outbox (paced, retried) right after the move; never fails the move: a stop in between
        leaves those cards as they were, and their buttons answer 该隐患已处理 as before.
        """
        try:
            await self._after_move(hazard, move, actor, event_id, told)
        except Exception:
            log.exception("cards of hazard %s could not be brought up to date", hazard.id)

    async def _after_move(self, hazard: Hazard, move: Move, actor: Actor, event_id: int, told: set[int]) -> None:
        stale = [card for card in await self._cards.with_buttons(hazard.id) if card.person_id != actor.id]
        if not stale:
            return
        people = {person.id: person for person in await self._roster.bound([c.person_id for c in stale])}
        events = await self._hazards.timeline(hazard.id)
        now = self._clock.now()
        today = local_date(now, self._zone)
        to_tell: list[int] = []
        async with self._db.transaction() as tx:
            for card in stale:
                person = people.get(card.person_id)
                if person is None or person.chat_id != card.sent.chat_id:
                    continue  # unbound since, or bound to another account: that chat is not theirs to update
                sent = card.sent
                if can_view(person, hazard):
                    moves = allowed_moves(person, hazard)
                    text = texts.hazard_card(hazard, events, today, self._zone, for_owner=person.role is Role.OWNER)
                    buttons = move_buttons(hazard.id, moves, proxy=person.role is Role.OFFICER)
                    if person.id == hazard.reporter_id and hazard.status is not Status.CLOSED:
                        buttons.append(add_photos_button(hazard.id))  # as on their /hazard card
                    edit = Message(hazard_id=hazard.id, text=text, buttons=buttons, edit=sent.key)
                else:  # no longer theirs (改派 took it from this owner): the buttons go, nothing new is shown
                    moves = []
                    edit = Message(hazard_id=hazard.id, text="", edit=sent.key, keep_text=True)
                key = dedupe.card_edit(hazard.id, event_id, sent.channel, sent.chat_id, sent.key)
                notification = Notification(person_id=person.id, dedupe_key=key, message=edit)
                await self._notifier.enqueue_edit(tx, notification, Channel(sent.channel), now)
                await self._cards.buttons_changed(tx, sent, bool(edit.buttons))
                if person.role in _MANAGERS and person.id not in told and person.id not in to_tell:
                    to_tell.append(person.id)
            line = Message(hazard_id=hazard.id, text=texts.handled_by(hazard, move, actor.name))
            for person_id in to_tell:
                key = dedupe.handled_by(hazard.id, event_id, person_id)
                await self._notifier.enqueue(tx, Notification(person_id=person_id, dedupe_key=key, message=line), now)
