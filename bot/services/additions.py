"""Photos added to a hazard already reported (补充到 #N): who may, whether it is still open, and the one write."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import texts
from bot.chat.actions import view_button
from bot.clock import Clock
from bot.domain import dedupe, limits
from bot.domain.errors import InvalidTransition, NotAllowed, NotFound
from bot.domain.hazards import Hazard, Stage, Status
from bot.domain.notifications import Message, Notification
from bot.domain.people import Actor, Role
from bot.domain.policy import Action, can_view, may_add_photos
from bot.domain.recipients import Told
from bot.domain.report import ReportDraft
from bot.services.notify import Notifier
from storage.database import Database
from storage.drafts import DraftRepository
from storage.hazards import HazardRepository
from storage.roster import RosterRepository

log = logging.getLogger(__name__)


class HazardAdditions:
    """The part of reporting that adds a draft's photos to an open hazard instead of making a new one."""

    def __init__(
        self,
        db: Database,
        drafts: DraftRepository,
        hazards: HazardRepository,
        roster: RosterRepository,
        notifier: Notifier,
        clock: Clock,
    ) -> None:
        self._db = db
        self._drafts = drafts
        self._hazards = hazards
        self._roster = roster
        self._notifier = notifier
        self._clock = clock

    async def addable(self, actor: Actor, hazard_id: int) -> Hazard:
        """The hazard, if this actor may add photos to it now: NotFound outside their scope, NotAllowed unless its
        reporter or a supervisor of its town, InvalidTransition once it is closed."""
        hazard = await self._hazards.get(hazard_id)
        if hazard is None or not can_view(actor, hazard):
            raise NotFound(hazard_id)
        if not may_add_photos(actor, hazard):
            raise NotAllowed(Action.REPORT)
        if hazard.status is Status.CLOSED:
            raise InvalidTransition(hazard_id)
        return hazard

    async def just_reported(self, actor: Actor) -> int | None:
        """The person's last report, if they submitted it moments ago and it is open (a photo now may be for it)."""
        latest = await self._hazards.reported_by(actor.id, 1)
        if not latest or latest[0].status is Status.CLOSED:
            return None
        recent = self._clock.now() - latest[0].reported_at <= timedelta(minutes=limits.FOLLOW_UP_MINUTES)
        return latest[0].id if recent else None

    async def add(self, actor: Actor, hazard: Hazard, draft: ReportDraft) -> int:
        """In one transaction: the draft's photos join the hazard's before-photos, a timeline event, one line to each
        other supervisor of the town, and the draft is gone. Returns how many photos were added."""
        supervisors = [s for s in await self._roster.ids_with_role(Role.SUPERVISOR, hazard.town_id) if s != actor.id]
        count, now = len(draft.photos), self._clock.now()
        notice = Message(text=texts.photos_added_notice(hazard, count, actor.name), buttons=view_button(hazard.id))
        async with self._db.transaction() as tx:
            await self._hazards.add_photos(tx, hazard.id, Stage.BEFORE, draft.photos, now)
            event_id = await self._hazards.add_event(
                tx,
                hazard_id=hazard.id,
                actor_id=actor.id,
                kind="photos_added",
                from_status=hazard.status,
                to_status=hazard.status,
                note=None,
                now=now,
                account=actor.telegram_user_id,
            )
            for person_id in supervisors:
                key = dedupe.hazard_event(hazard.id, event_id, Told.NEW, person_id)
                await self._notifier.enqueue(tx, Notification(person_id=person_id, dedupe_key=key, message=notice), now)
            await self._drafts.delete(tx, actor.id)
        log.info("person %s added %s photos to hazard %s", actor.id, count, hazard.id)
        return count
