"""Open-hazard lists (/open 未整改, /overdue 逾期): scope, filters in words, pages; every page re-checks scope."""

from __future__ import annotations

from datetime import date, tzinfo

from bot import texts
from bot.clock import Clock
from bot.domain import vocabulary
from bot.domain.errors import AmbiguousPlace, NotAllowed, StaleButton, UnknownFilter
from bot.domain.people import Actor, Role, Scope
from bot.domain.periods import local_date
from bot.domain.policy import Action, can
from bot.domain.queries import PAGE_SIZE, Filters, HazardPage, ListKind
from storage.queries import Narrowing, QueryRepository
from storage.roster import RosterRepository

MAX_FILTER_WORDS = 6


class QueryService:
    """Lists of open hazards in the asker's scope, most urgent first, a page at a time."""

    def __init__(
        self, queries: QueryRepository, roster: RosterRepository, clock: Clock, zone: tzinfo, categories: list[str]
    ) -> None:
        self._queries = queries
        self._roster = roster
        self._clock = clock
        self._zone = zone
        self._categories = categories

    def today(self) -> date:
        """Today in the deployment's time zone (overdue is counted in local days)."""
        return local_date(self._clock.now(), self._zone)

    async def filters(self, actor: Actor, words: list[str]) -> Filters:
        """Read the words after the command: a village (or, city-wide, a town), a category, 重大 or 一般."""
        self._allowed(actor)
        understood: list[str] = []
        unknown: list[str] = []
        town_id: int | None = None
        villages: list[str] = []
        category: int | None = None
        severity = None
        for word in words[:MAX_FILTER_WORDS]:
            if word in vocabulary.SEVERITY_FILTERS:
                severity = vocabulary.SEVERITY_FILTERS[word]
            elif word in self._categories:
                category = self._categories.index(word)
            elif (found := await self._town(actor, word)) is not None:
                town_id = found
            else:
                villages.append(word)
                continue
            understood.append(word)
        unknown += words[MAX_FILTER_WORDS:]
        village_id = None
        for word in villages:
            matches = [
                v
                for t, v in await self._roster.villages_named(word, town_id if town_id is not None else actor.town_id)
                if actor.scope.contains(Scope(town_id=t, village_id=v))
            ]
            if len(matches) > 1:
                raise AmbiguousPlace(word)
            if matches:
                village_id = matches[0]
                understood.append(word)
            else:
                unknown.append(word)
        if unknown:
            raise UnknownFilter(understood, unknown)
        return Filters(town_id=town_id, village_id=village_id, category=category, severity=severity)

    async def first_page(self, actor: Actor, kind: ListKind, words: list[str]) -> HazardPage:
        """/open or /overdue with the words after it: the first page."""
        return await self.page(actor, kind, await self.filters(actor, words), 0)

    async def page(self, actor: Actor, kind: ListKind, filters: Filters, page: int) -> HazardPage:
        """One page of the list; filters from a button are re-checked against the actor's scope as it is now."""
        self._allowed(actor)
        if filters.category is not None and filters.category >= len(self._categories):
            raise StaleButton(filters)
        town_id, village_id, scope_name = await self._narrow(actor.scope, filters)
        where = Narrowing(
            town_id=town_id,
            village_id=village_id,
            category=None if filters.category is None else self._categories[filters.category],
            severity=filters.severity,
        )
        today = self.today()
        total = await self._queries.count(kind, where, today)
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        page = min(page, pages - 1)  # the list may have shrunk since the button was made
        hazards = await self._queries.page(kind, where, today, page * PAGE_SIZE, PAGE_SIZE) if total else []
        labels = [] if filters.category is None else [self._categories[filters.category]]
        if filters.severity is not None:
            labels.append(texts.SEVERITY_NAMES[filters.severity])
        return HazardPage(
            kind=kind,
            filters=filters,
            filter_labels=labels,
            scope_name=scope_name,
            page=page,
            pages=pages,
            total=total,
            hazards=hazards,
            today=today,
            show_town=town_id is None,
        )

    # ---- inside ----

    def _allowed(self, actor: Actor) -> None:
        if not can(actor, Action.LIST_OPEN):
            raise NotAllowed(Action.LIST_OPEN)

    async def _town(self, actor: Actor, word: str) -> int | None:
        # Only an admin narrows by town; anyone else naming their own town narrows nothing, but was understood.
        if actor.role is Role.ADMIN:
            return await self._roster.town_id(word)
        return actor.town_id if word == actor.town_name else None

    async def _narrow(self, scope: Scope, filters: Filters) -> tuple[int | None, int | None, str | None]:
        """(town, village, its name) to list: the actor's scope narrowed by the filters, which must lie inside it."""
        town_id, village_id = scope.town_id, scope.village_id
        if filters.village_id is not None:
            place = await self._queries.village(filters.village_id)
            if place is None or filters.town_id not in (None, place[0]):
                raise StaleButton(filters)
            town_id, village_id = place[0], filters.village_id
        elif filters.town_id is not None:
            town_id = filters.town_id
        if not scope.contains(Scope(town_id=town_id, village_id=village_id)):
            raise StaleButton(filters)
        if village_id is not None:
            place = await self._queries.village(village_id)
            return town_id, village_id, place[1] if place else None
        if town_id is not None:
            name = await self._queries.town_name(town_id)
            if name is None:
                raise StaleButton(filters)
            return town_id, None, name
        return None, None, None
