"""A place's file (一企一档) as people use it: find a place, read its card, change its grade, owner or status (an
officer's grade change waits for a supervisor), and log visits at the village's places (排查 by place)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum

import aiosqlite

from bot import texts
from bot.chat.actions import PlaceDecision, PlacePress, PlaceVerb, button
from bot.clock import Clock
from bot.domain import dedupe
from bot.domain.errors import NotAllowed, NotFound, StaleButton, WrongInput
from bot.domain.notifications import Message, Notification
from bot.domain.people import Actor, Person, Role
from bot.domain.periods import local_date, week_start
from bot.domain.photos import Photo
from bot.domain.place_file import (
    Change,
    DuePlace,
    PlaceCard,
    PlaceField,
    PlaceMatch,
    PlaceRequest,
    can_decide,
    can_see,
    change_of,
)
from bot.domain.places import Cadence, Grade, PlaceStatus, is_due
from bot.domain.policy import Action, can
from bot.services.notify import Notifier
from bot.services.photo_intake import PhotoOutcome, PhotoUpload, keep_photo
from storage.database import Database
from storage.media import MediaStore
from storage.place_files import PlaceFileRepository, SearchScope
from storage.places import PlaceRepository
from storage.roster import RosterRepository

MATCHES = 8  # places offered as buttons when a name matches several
OWNER_CHOICES = 12  # owners of the village offered as buttons


class Outcome(StrEnum):
    """What a change did."""

    DONE = "done"
    ASKED = "asked"  # waits for a supervisor
    SAME = "same"  # the field holds that value already
    WAITING = "waiting"  # a change of the place waits already


@dataclass(frozen=True)
class Decided:
    """A supervisor's decision on an officer's change."""

    request: PlaceRequest
    approved: bool
    applied: bool  # False: the grade had changed meanwhile, so nothing was changed


class PlaceFileService:
    """The card, its changes and the visits of the village's places."""

    def __init__(
        self,
        db: Database,
        files: PlaceFileRepository,
        places: PlaceRepository,
        roster: RosterRepository,
        notifier: Notifier,
        media: MediaStore,
        clock: Clock,
        zone: tzinfo,
        cadences: dict[Grade, Cadence],
    ) -> None:
        self._db = db
        self._files = files
        self._places = places
        self._roster = roster
        self._notifier = notifier
        self._media = media
        self._clock = clock
        self._zone = zone
        self._cadences = cadences

    # ---- the file ----

    async def find(self, actor: Actor, text: str) -> list[PlaceMatch]:
        """Places in the person's scope named (or numbered) so: an officer's village, a supervisor's town, an
        owner's own places, everything for an admin."""
        if actor.role is Role.OWNER:
            scope = SearchScope(owner_id=actor.id)
        else:
            scope = SearchScope(town_id=actor.town_id, village_id=actor.village_id)
        return await self._files.find(text.strip(), scope, MATCHES)

    async def card(self, actor: Actor, place_id: int) -> PlaceCard:
        """The place's file; NotFound outside the person's scope (as if it did not exist)."""
        card = await self._files.card(place_id)
        if card is None or not can_see(actor, card.town_id, card.village_id, card.owner_id):
            raise NotFound(place_id)
        return card

    @staticmethod
    def fields(actor: Actor, card: PlaceCard) -> list[PlaceField]:
        """The fields this person may change (or ask to change) on the card."""
        return [field for field in PlaceField if change_of(actor, field, card) is not None]

    async def owner_choices(self, card: PlaceCard) -> list[Person]:
        """The roster owners of the place's village, other than its owner."""
        owners = await self._roster.people_in(Role.OWNER, card.town_id, card.village_id)
        return [o for o in owners if o.id != card.owner_id][:OWNER_CHOICES]

    async def change(self, actor: Actor, place_id: int, field: PlaceField, value: str) -> tuple[PlaceCard, Outcome]:
        """Change a field (or ask to, an officer's grade); every change is an event with who and when."""
        card = await self.card(actor, place_id)
        how = change_of(actor, field, card)
        if how is None:
            raise NotAllowed(Action.VIEW_PLACE)
        before, after = await self._values(card, field, value)
        if before == after:
            return card, Outcome.SAME
        now = self._clock.now()
        if how is Change.ASK:
            if card.waiting_grade is not None:
                return card, Outcome.WAITING
            async with self._db.transaction() as tx:
                request_id = await self._files.ask(tx, place_id, actor.id, card.grade, Grade(after), now)
                if request_id is None:
                    return card, Outcome.WAITING
                await self._tell_supervisors(tx, card, actor, Grade(after), request_id, now)
            return await self.card(actor, place_id), Outcome.ASKED
        async with self._db.transaction() as tx:
            if not await self._files.change(tx, place_id, field, before, after, actor.id, now):
                raise StaleButton(place_id)
        return await self.card(actor, place_id), Outcome.DONE

    async def _values(self, card: PlaceCard, field: PlaceField, value: str) -> tuple[str | None, str]:
        if field is PlaceField.GRADE:
            return card.grade.value, Grade(value).value
        if field is PlaceField.STATUS:
            return card.status.value, PlaceStatus(value).value
        owners = await self._roster.people_in(Role.OWNER, card.town_id, card.village_id)
        if not any(str(o.id) == value for o in owners):
            raise WrongInput(value)  # not an active owner of the place's village
        return (None if card.owner_id is None else str(card.owner_id)), value

    async def owner_named(self, card: PlaceCard, name: str) -> Person | None:
        """The village's roster owner of this name (a typed owner)."""
        found = await self._roster.people_in(Role.OWNER, card.town_id, card.village_id, name.strip())
        return found[0] if found else None

    async def _tell_supervisors(
        self, tx: aiosqlite.Connection, card: PlaceCard, actor: Actor, after: Grade, request_id: int, now: datetime
    ) -> None:
        text = texts.grade_request(card.village, card.name, actor.name, card.grade, after)
        buttons = [
            [
                button(texts.BUTTON_APPROVE, PlaceDecision(request_id, approved=True)),
                button(texts.BUTTON_REFUSE, PlaceDecision(request_id, approved=False)),
            ],
            [button(texts.BUTTON_PLACE_FILE, PlacePress(card.id, PlaceVerb.VIEW))],
        ]
        for person in await self._roster.ids_with_role(Role.SUPERVISOR, card.town_id):
            note = Notification(
                person_id=person,
                dedupe_key=dedupe.place_request(request_id, person),
                message=Message(text=text, buttons=buttons),
            )
            await self._notifier.enqueue(tx, note, now)

    async def decide(self, actor: Actor, request_id: int, approved: bool) -> Decided:
        """同意 (the grade changes, an event by the supervisor) or 不同意; the officer is told. StaleButton when
        decided already or unknown; NotAllowed for anyone but the town's supervisors (and admins)."""
        request = await self._files.request(request_id)
        if request is None:
            raise StaleButton(request_id)
        if not can_decide(actor, request.town_id):
            raise NotAllowed(Action.VIEW_PLACE)
        if request.decided:
            raise StaleButton(request_id)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if not await self._files.decide(tx, request_id, actor.id, approved, now):
                raise StaleButton(request_id)
            applied = approved and await self._files.change(
                tx,
                request.place_id,
                PlaceField.GRADE,
                request.from_value.value,
                request.to_value.value,
                actor.id,
                now,
            )
            asker = request.requested_by_id
            text = texts.grade_decided(request.village, request.place, request.to_value, actor.name, approved, applied)
            note = Notification(
                person_id=asker, dedupe_key=dedupe.place_decision(request_id, asker), message=Message(text=text)
            )
            await self._notifier.enqueue(tx, note, now)
        return Decided(request, approved, applied)

    # ---- visits (排查 by place) ----

    async def due(self, actor: Actor) -> list[DuePlace]:
        """The officer's village's places still due a visit in the window of their grade holding today."""
        return await self.due_in_village(self._village(actor), local_date(self._clock.now(), self._zone))

    async def due_in_village(self, village_id: int, today: date) -> list[DuePlace]:
        """The village's places due a visit in the window of their grade holding `today`, highest risk first."""
        due = [
            DuePlace(p.id, p.name, p.grade)
            for p in await self._files.village_places(village_id)
            if is_due(self._cadences[p.grade], self._day(p.last_visit), today)
        ]
        order = list(Grade)
        return sorted(due, key=lambda p: (order.index(p.grade), p.name))  # the highest risk first

    async def visit(self, actor: Actor, place_id: int, upload: PhotoUpload | None = None) -> PlaceCard:
        """Log the officer's visit at a place of their village (with the photo it came with); NotFound elsewhere."""
        village_id = self._village(actor)
        card = await self._files.card(place_id)
        if card is None or card.village_id != village_id or card.status is PlaceStatus.CLOSED:
            raise NotFound(place_id)
        sha256 = None
        if upload is not None:
            kept: list[Photo] = []
            if keep_photo(self._media, kept, upload) is PhotoOutcome.NOT_IMAGE:
                raise WrongInput("not an image")
            sha256 = kept[0].sha256
        async with self._db.transaction() as tx:
            await self._places.visit(tx, place_id, actor.id, self._clock.now(), photo_sha256=sha256)
        return card

    async def has_places(self, actor: Actor) -> bool:
        """Whether the officer's village has any place to visit (without places, 排查 stays as it was)."""
        return bool(await self._places.of_village(self._village(actor), 1))

    async def visited_this_week(self, actor: Actor) -> int:
        """How many places of the officer's village were visited this week."""
        monday = week_start(local_date(self._clock.now(), self._zone))
        return await self._files.visited_places(self._village(actor), datetime.combine(monday, time(), self._zone))

    async def named_in_village(self, actor: Actor, name: str) -> int | None:
        """The officer's village's place of exactly this name (a photo's caption), if any."""
        if actor.role is not Role.OFFICER or actor.village_id is None or not name.strip():
            return None
        return await self._places.named(actor.village_id, name.strip())

    def _village(self, actor: Actor) -> int:
        if actor.role is not Role.OFFICER or not can(actor, Action.CHECK) or actor.village_id is None:
            raise NotAllowed(Action.CHECK)
        return actor.village_id

    def _day(self, moment: datetime | None) -> date | None:
        return None if moment is None else local_date(moment, self._zone)
