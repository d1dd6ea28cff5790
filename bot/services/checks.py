"""Check use cases: an officer logs the village's weekly check, a supervisor the town's monthly check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from bot.clock import Clock
from bot.domain import dedupe, limits
from bot.domain.errors import NotAllowed, TooLong, WrongInput
from bot.domain.people import Actor
from bot.domain.periods import local_date, month_end, month_key, month_start, week_key, week_start
from bot.domain.photos import Photo
from bot.domain.policy import Action, CheckKind, can, check_kind
from bot.domain.typed_text import clean
from bot.services.notify import Notifier
from bot.services.photo_intake import PhotoOutcome, PhotoUpload, keep_photo
from storage.checks import CheckRecord, CheckRepository
from storage.database import Database
from storage.media import MediaStore

VILLAGE, TOWN = "village", "town"


@dataclass(frozen=True)
class CheckStatus:
    """The actor's check for the current period: done or not, and the hazards reported in it."""

    kind: str  # village (weekly) or town (monthly)
    place: str
    first_day: date
    last_day: date
    record: CheckRecord | None
    hazards_reported: int


class CheckService:
    """Logs checks; logging again in the same period updates the record."""

    def __init__(
        self, db: Database, checks: CheckRepository, notifier: Notifier, media: MediaStore, clock: Clock, zone: tzinfo
    ) -> None:
        self._db = db
        self._checks = checks
        self._notifier = notifier
        self._media = media
        self._clock = clock
        self._zone = zone

    async def status(self, actor: Actor) -> CheckStatus:
        """Whether this period's check is logged."""
        kind, first, last, period, _ = self._period(actor)
        record = await self._checks.get(kind, self._town(actor), actor.village_id if kind == VILLAGE else None, period)
        start = datetime.combine(first, time(0), tzinfo=self._zone)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=self._zone)
        village = actor.village_id if kind == VILLAGE else None
        reported = await self._checks.hazards_reported(self._town(actor), village, start, end)
        place = (actor.village_name if kind == VILLAGE else actor.town_name) or ""
        return CheckStatus(kind, place, first, last, record, reported)

    async def log(self, actor: Actor, places: int, note: str | None, upload: PhotoUpload | None = None) -> CheckStatus:
        """Log (or update) this period's check; reminders about it that have not gone out are cancelled."""
        kind, _, _, period, place_id = self._period(actor)
        note = clean(note or "") or None
        if note and len(note) > limits.MAX_REASON:
            raise TooLong(limits.MAX_REASON)
        if not 0 <= places <= limits.MAX_PLACES_CHECKED:
            raise ValueError(places)
        kept: list[Photo] = []
        if upload is not None and keep_photo(self._media, kept, upload) is PhotoOutcome.NOT_IMAGE:
            raise WrongInput("not an image")
        photo = kept[0] if kept else None
        async with self._db.transaction() as tx:
            await self._checks.upsert(
                tx,
                kind=kind,
                town_id=self._town(actor),
                village_id=actor.village_id if kind == VILLAGE else None,
                period=period,
                person_id=actor.id,
                places_checked=places,
                note=note or None,
                photo=(photo.sha256, photo.file_id) if photo else None,
                now=self._clock.now(),
            )
            await self._notifier.settle(tx, dedupe.check_subject(kind, place_id, period))
        return await self.status(actor)

    def _period(self, actor: Actor) -> tuple[str, date, date, str, int]:
        if not can(actor, Action.CHECK):
            raise NotAllowed(Action.CHECK)
        today = local_date(self._clock.now(), self._zone)
        if check_kind(actor.role) is CheckKind.VILLAGE:
            assert actor.village_id is not None
            return VILLAGE, week_start(today), week_start(today) + timedelta(days=6), week_key(today), actor.village_id
        return TOWN, month_start(today), month_end(today), month_key(today), self._town(actor)

    @staticmethod
    def _town(actor: Actor) -> int:
        assert actor.town_id is not None
        return actor.town_id
