"""Places use cases: importing the 底数清单 (owners join the roster), and coverage (村不漏户) of a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from bot.clock import Clock
from bot.domain.people import Role
from bot.domain.place_rows import PlaceEntry, validate
from bot.domain.places import Cadence, Coverage, Grade, coverage, first_window_start
from bot.domain.roster import RosterEntry
from storage.database import Database
from storage.places import ImportCounts, PlaceRepository
from storage.roster import RosterRepository, Upsert

WRITE_CHUNK = 20_000  # places written in one transaction (about a second): one county's file is one transaction


@dataclass(frozen=True)
class PlacesImported:
    """What a places import changed: places and owners."""

    places: ImportCounts
    owners_added: int
    owners_updated: int


class PlaceService:
    """Imports places files; counts coverage."""

    def __init__(
        self,
        db: Database,
        places: PlaceRepository,
        roster: RosterRepository,
        clock: Clock,
        zone: tzinfo,
        types: list[str],
        cadences: Mapping[Grade, Cadence],
    ) -> None:
        self._db = db
        self._places = places
        self._roster = roster
        self._clock = clock
        self._zone = zone
        self._types = types
        self._cadences = cadences

    async def validate(self, rows: Iterable[tuple[int, Mapping[str, str]]]) -> list[PlaceEntry]:
        """Check a file's rows against the configured types and the roster's villages (PlacesInvalid if any is bad)."""
        return validate(rows, self._types, await self._places.villages())

    async def import_entries(self, entries: list[PlaceEntry], *, chunk: int = WRITE_CHUNK) -> PlacesImported:
        """Write every entry in one transaction: owners named become roster owners; re-importing never duplicates."""
        names = {ids: key for key, ids in (await self._places.villages()).items()}
        owners: dict[tuple[int, str], RosterEntry] = {}
        for entry in entries:
            if entry.owner:
                town, village = names[(entry.town_id, entry.village_id)]
                # The last row naming an owner gives their phone (a blank phone keeps theirs).
                known = owners.get((entry.village_id, entry.owner))
                phone = entry.phone or (known.phone if known else None)
                owners[(entry.village_id, entry.owner)] = RosterEntry(
                    row=entry.row, town=town, village=village, name=entry.owner, role=Role.OWNER, phone=phone
                )
        now = self._clock.now()
        async with self._db.transaction() as tx:
            outcome = await self._roster.import_people(tx, list(owners.values()), now)
            owner_ids = await self._places.owner_ids(tx, sorted({village for village, _ in owners}))
        counts = ImportCounts()
        # The file was validated whole; it is written in transactions of a few seconds each, so a running bot's
        # writes never wait long for a province's file. Interrupted, a second run completes it (nothing doubles).
        for start in range(0, len(entries), chunk):
            async with self._db.transaction() as tx:
                counts += await self._places.import_places(tx, entries[start : start + chunk], owner_ids, now)
        return PlacesImported(counts, outcome[Upsert.ADDED], outcome[Upsert.UPDATED])

    async def coverage(
        self, town_ids: Iterable[int], start: date, end: date, begun_by: date | None = None
    ) -> dict[int, dict[int, Coverage]]:
        """Coverage over the local days [start, end) of each town, village by village: {town: {village: coverage}};
        begun_by: only the windows begun by that day are due (a period still running)."""
        figures: dict[int, dict[int, Coverage]] = {}
        since = first_window_start(set(self._cadences.values()), start, end)
        for town_id in town_ids:
            places = await self._places.due_places(town_id)
            visits: dict[int, list[date]] = defaultdict(list)
            for place_id, moment in await self._places.visits(town_id, self._moment(since), self._moment(end)):
                visits[place_id].append(moment.astimezone(self._zone).date())
            by_village: dict[int, list[tuple[int, Cadence]]] = defaultdict(list)
            for place_id, village_id, grade in places:
                by_village[village_id].append((place_id, self._cadences[grade]))
            figures[town_id] = {
                village_id: coverage(owed, visits, start, end, begun_by) for village_id, owed in by_village.items()
            }
        return figures

    def _moment(self, day: date) -> datetime:
        return datetime.combine(day, time(), self._zone)
