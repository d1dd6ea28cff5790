"""What waits for a person: shown the moment they bind, and an owner's /mine, with the buttons to act on it."""

from __future__ import annotations

from datetime import date, tzinfo

from bot import texts
from bot.chat.actions import HazardPress, button
from bot.clock import Clock
from bot.domain.hazards import Hazard, Status
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button, Message
from bot.domain.people import Actor, Role
from bot.domain.queries import PAGE_SIZE
from storage.hazards import HazardRepository

_OWNED = 50  # an owner's open hazards listed at most (as /mine always did)


class WaitingService:
    """Builds the "what is waiting for you" messages; the buttons are re-authorized when pressed, as every button."""

    def __init__(self, hazards: HazardRepository, clock: Clock, zone: tzinfo) -> None:
        self._hazards = hazards
        self._clock = clock
        self._zone = zone

    def _today(self) -> date:
        return self._clock.now().astimezone(self._zone).date()

    async def on_joining(self, actor: Actor) -> list[Message]:
        """What a person who just bound must know: an owner their tasks, a supervisor the town's queue, an officer
        their open reports. Nothing when nothing waits."""
        if actor.role is Role.OWNER:
            owned = await self._hazards.owned_by(actor.id, _OWNED)
            if not owned:
                return []
            today = self._today()
            cards = [
                Message(hazard_id=h.id, text=texts.owner_card(h, Move.ASSIGN, today), buttons=[_rectify_row(h)])
                for h in owned
                if h.status is Status.ASSIGNED
            ]
            return [Message(text=texts.owner_tasks(owned, today)), *cards[:PAGE_SIZE]]
        if actor.role is Role.SUPERVISOR and actor.town_id is not None:
            return await self._supervisor(actor.town_id)
        if actor.role is Role.OFFICER:
            reports = await self._hazards.open_reported_by(actor.id, PAGE_SIZE)
            if not reports:
                return []
            buttons = [[_view(texts.hazard_button(texts.BUTTON_VIEW, h), h)] for h in reports]
            return [Message(text=texts.officer_waiting(reports, self._today()), buttons=buttons)]
        return []

    async def owner_tasks(self, actor: Actor) -> Message:
        """An owner's /mine: their open hazards, nearest deadline first, each with its button."""
        owned = await self._hazards.owned_by(actor.id, _OWNED)
        if not owned:
            return Message(text=texts.MINE_EMPTY_OWNER)
        rows = [
            _rectify_row(h) if h.status is Status.ASSIGNED else [_view(texts.hazard_button(texts.BUTTON_VIEW, h), h)]
            for h in owned
        ]
        reasons = await self._hazards.return_reasons([h.id for h in owned if h.status is Status.ASSIGNED])
        return Message(text=texts.owner_tasks(owned, self._today(), reasons), buttons=rows)

    async def _supervisor(self, town_id: int) -> list[Message]:
        half = PAGE_SIZE // 2
        triage, to_assign = await self._hazards.waiting_in_town(town_id, Status.REPORTED, half)
        review, to_review = await self._hazards.waiting_in_town(town_id, Status.SUBMITTED, half)
        if not triage and not review:
            return []
        buttons = [[_view(texts.hazard_button(texts.BUTTON_ASSIGN, h), h)] for h in to_assign]
        buttons += [[_view(texts.hazard_button(texts.BUTTON_VERIFY_SHORT, h), h)] for h in to_review]
        return [Message(text=texts.supervisor_waiting(triage, review), buttons=buttons)]


def _view(label: str, hazard: Hazard) -> Button:
    return button(label, HazardPress(hazard.id, None))


def _rectify_row(hazard: Hazard) -> list[Button]:
    return [
        button(texts.hazard_button(texts.BUTTON_RECTIFY, hazard), HazardPress(hazard.id, Move.SUBMIT)),
        _view(texts.BUTTON_VIEW, hazard),
    ]
