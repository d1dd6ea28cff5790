"""The place step of a report: the village's places as buttons (most used first, page by page), a typed search, a
new place (待核实 until a supervisor of the town decides it); and that decision, 确认 or 驳回.

A village without places in the inventory keeps the place as free text, offering names of its earlier reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock
from bot.domain import limits, vocabulary
from bot.domain.errors import EmptyAnswer, NotFound, StaleButton, TooLong, WrongInput
from bot.domain.people import Actor, Scope
from bot.domain.place_choices import PlaceChoice, PlaceOption
from bot.domain.policy import Action, can
from bot.domain.report import ReportDraft, Step
from bot.domain.typed_text import clean
from bot.services.reporting import ReportingService
from storage.database import Database
from storage.place_choices import PlaceChoiceRepository
from storage.roster import RosterRepository

PAGE_SIZE = 8  # places on one screen of buttons (two a row), beside 更多 and 新场所
MAX_SEARCHES = 20  # texts searched for kept in a draft, each offered as a new place (older buttons go stale)


@dataclass(frozen=True)
class PlaceScreen:
    """What the place step shows: a page of the village's places, or (no inventory) free text."""

    draft: ReportDraft
    inventory: bool  # the village has places: buttons of them; else free text with draft.place_options
    places: list[PlaceOption]
    page: int
    more: bool  # a further page exists


class Found(StrEnum):
    """What a typed place came to."""

    CHOSEN = "chosen"  # one place of the inventory matched: chosen
    NEW = "new"  # a new place (待核实) to be added with the report
    MATCHES = "matches"  # several matched: their buttons
    NONE = "none"  # nothing matched: offered as a new place
    FREE = "free"  # the village has no inventory: the text is the place


@dataclass(frozen=True)
class TypedPlace:
    """A typed answer to the place step, and the draft after it."""

    found: Found
    draft: ReportDraft
    matches: list[PlaceOption]
    text: str = ""  # the text searched for (MATCHES, NONE)


@dataclass(frozen=True)
class Verdict:
    """A supervisor's 确认 / 驳回 of a new place: the place as it is now, and whether this press decided it."""

    place: PlaceChoice
    village: str
    decided: bool


class ReportPlaceService:
    """The place step of the report conversation, over the report service's drafts."""

    def __init__(self, reporting: ReportingService, choices: PlaceChoiceRepository) -> None:
        self._reporting = reporting
        self._choices = choices

    async def screen(self, actor: Actor, page: int = 0, token: str | None = None) -> PlaceScreen:
        """The place step's buttons: a page of the village's places (free text, without an inventory)."""
        draft = await self._reporting.at_step(actor, token, Step.PLACE)
        assert draft.village_id is not None
        if not await self._choices.any_in(draft.village_id):
            if token is not None:
                raise StaleButton(page)  # a page of places for a village that has none
            return PlaceScreen(await self._reporting.place_options(actor), False, [], 0, False)
        if page < 0 or page > limits.MAX_PLACES_ROWS // PAGE_SIZE:
            raise StaleButton(page)
        found = await self._choices.page(draft.village_id, PAGE_SIZE + 1, page * PAGE_SIZE)
        if page and not found:
            raise StaleButton(page)
        if token is not None and draft.naming_place:
            draft.naming_place = False
            await self._reporting.keep(draft)
        return PlaceScreen(draft, True, found[:PAGE_SIZE], page, len(found) > PAGE_SIZE)

    async def choose(self, actor: Actor, token: str, place_id: int) -> ReportDraft:
        """A place button: only a place of the draft's village that is still offered (button data is never trusted)."""
        draft = await self._reporting.at_step(actor, token, Step.PLACE)
        place = await self._choices.get(place_id)
        if place is None or not self._may_pick(actor, draft, place):
            raise StaleButton(place_id)
        return await self._chosen(draft, place)

    async def ask_name(self, actor: Actor, token: str) -> ReportDraft:
        """新场所: the next text typed is the new place's name."""
        draft = await self._reporting.at_step(actor, token, Step.PLACE)
        draft.naming_place = True
        await self._reporting.keep(draft)
        return draft

    async def add_searched(self, actor: Actor, token: str, index: int) -> ReportDraft:
        """添加为新场所「X」: a text searched for (the button's index of the draft's searches) is a new place."""
        draft = await self._reporting.at_step(actor, token, Step.PLACE)
        if not 0 <= index < len(draft.place_searches):
            raise StaleButton(index)
        return await self._new(draft, draft.place_searches[index])

    async def typed(self, actor: Actor, text: str) -> TypedPlace:
        """A typed place: searched in the village's places (name or address); one match is chosen."""
        draft = await self._reporting.at_step(actor, None, Step.PLACE)
        assert draft.village_id is not None
        text = clean(text)
        if not text:
            raise WrongInput(Step.PLACE)
        if vocabulary.is_empty_phrase(text):
            raise EmptyAnswer(Step.PLACE)  # "好了" names no place: asked again
        if len(text) > limits.MAX_PLACE:
            raise TooLong(limits.MAX_PLACE)
        if not await self._choices.any_in(draft.village_id):
            return TypedPlace(Found.FREE, await self._reporting.answer_text(actor, text), [])
        same = await self._choices.named(draft.village_id, text)
        if same is not None and self._may_pick(actor, draft, same):
            return TypedPlace(Found.CHOSEN, await self._chosen(draft, same), [])
        if draft.naming_place:
            return TypedPlace(Found.NEW, await self._new(draft, text), [])
        matches = await self._choices.search(draft.village_id, text, PAGE_SIZE + 1)
        if len(matches) == 1:
            place = await self._choices.get(matches[0].id)
            assert place is not None
            return TypedPlace(Found.CHOSEN, await self._chosen(draft, place), [])
        draft.naming_place = False
        if text not in draft.place_searches:
            draft.place_searches = [*draft.place_searches, text][-MAX_SEARCHES:]
        await self._reporting.keep(draft)
        return TypedPlace(Found.MATCHES if matches else Found.NONE, draft, matches, text)

    def _may_pick(self, actor: Actor, draft: ReportDraft, place: PlaceChoice) -> bool:
        scope = Scope(town_id=place.town_id, village_id=place.village_id)
        return place.village_id == draft.village_id and place.offered and can(actor, Action.REPORT, scope)

    async def _chosen(self, draft: ReportDraft, place: PlaceChoice) -> ReportDraft:
        draft.clear_place()
        draft.place, draft.place_id = place.name, place.id
        return await self._reporting.advance(draft)

    async def _new(self, draft: ReportDraft, name: str) -> ReportDraft:
        draft.clear_place()
        draft.place, draft.new_place = name, True
        return await self._reporting.advance(draft)


class PlaceReviewService:
    """确认 / 驳回 of a place added while reporting, by a supervisor of its town (or an admin)."""

    def __init__(self, db: Database, choices: PlaceChoiceRepository, roster: RosterRepository, clock: Clock) -> None:
        self._db = db
        self._choices = choices
        self._roster = roster
        self._clock = clock

    async def decide(self, actor: Actor, place_id: int, *, confirm: bool) -> Verdict:
        """Decide the place if it still waits (an event with who and when); outside the actor's scope it is not found."""
        place = await self._choices.get(place_id)
        if place is None or not can(
            actor, Action.REVIEW_PLACE, Scope(town_id=place.town_id, village_id=place.village_id)
        ):
            raise NotFound(place_id)
        async with self._db.transaction() as tx:
            decided = await self._choices.decide(tx, place_id, actor.id, confirm=confirm, now=self._clock.now())
        now = await self._choices.get(place_id)
        assert now is not None
        return Verdict(now, await self._roster.village_label(now.village_id), decided)
