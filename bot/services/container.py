"""The services of one running GridSafe, built over one database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.domain import limits, vocabulary
from bot.domain.hazards import Severity
from bot.services.access import AccessService
from bot.services.albums import AlbumAnswers
from bot.services.cards import CardService
from bot.services.checks import CheckService
from bot.services.invites import InviteService
from bot.services.ledger import LedgerService
from bot.services.notify import Notifier
from bot.services.place_files import PlaceFileService
from bot.services.places import PlaceService
from bot.services.queries import QueryService
from bot.services.rectification import RectificationService
from bot.services.reminders import ReminderService
from bot.services.report_places import PlaceReviewService, ReportPlaceService
from bot.services.reporting import ReportingService
from bot.services.roster import RosterService
from bot.services.statistics import StatisticsService
from bot.services.waiting import WaitingService
from bot.settings import Settings
from storage.card_messages import CardMessageRepository
from storage.chats import ChatRepository
from storage.checks import CheckRepository
from storage.database import Database, require_database
from storage.drafts import ConversationRepository, DraftRepository
from storage.hazards import HazardRepository
from storage.invites import InviteRepository
from storage.ledger import LedgerRepository
from storage.media import MediaStore
from storage.migrations import migrate
from storage.outbox import OutboxRepository
from storage.photo_ids import PhotoIdRepository
from storage.place_choices import PlaceChoiceRepository
from storage.place_files import PlaceFileRepository
from storage.places import PlaceRepository
from storage.queries import QueryRepository
from storage.roster import RosterRepository
from storage.schedule import ScheduleRepository
from storage.statistics import StatisticsRepository
from storage.voice import VoiceRepository
from storage.wecom_media import WeComMediaRepository


@dataclass
class Services:
    """Every use case, wired to storage and the clock."""

    db: Database
    clock: Clock
    settings: Settings
    access: AccessService
    roster: RosterService
    invites: InviteService
    reporting: ReportingService
    report_places: ReportPlaceService
    place_reviews: PlaceReviewService
    rectification: RectificationService
    checks: CheckService
    reminders: ReminderService
    outbox: OutboxRepository
    notifier: Notifier
    media: MediaStore
    photo_ids: PhotoIdRepository
    cards: CardMessageRepository
    wecom_media: WeComMediaRepository
    queries: QueryService
    statistics: StatisticsService
    ledger: LedgerService
    places: PlaceService
    place_files: PlaceFileService
    waiting: WaitingService
    albums: AlbumAnswers = field(default_factory=AlbumAnswers)  # albums already answered (a refusal is said once)

    @classmethod
    async def open(cls, settings: Settings, clock: Clock, *, create_database: bool = False) -> Services:
        """Open the database, bring its schema up to date and build the services.

        A missing database is created only on a first start (no photos either) or when `create_database` says so.
        """
        storage = settings.storage
        if not create_database:
            require_database(storage.database, storage.media_dir)
        db = await Database.open(storage.database, write_wait_seconds=storage.write_wait_seconds)
        await migrate(db)
        roster = RosterRepository(db)
        outbox = OutboxRepository(db)
        rules = settings.schedule.rules(settings.locale.zone)
        notifier = Notifier(db, outbox, rules, wecom=settings.wecom.enabled)
        media = MediaStore(settings.storage.media_dir)
        cards = CardMessageRepository(db)
        ttl = timedelta(days=settings.invites.ttl_days)
        invites = InviteService(db, roster, InviteRepository(), clock, ttl, HazardRepository(db), notifier)
        zone = settings.locale.zone
        ranking = settings.ranking
        places = PlaceService(
            db,
            PlaceRepository(db),
            roster,
            clock,
            zone,
            settings.places.types,
            settings.places.cadences,
        )
        place_files = PlaceFileService(
            db,
            PlaceFileRepository(db),
            PlaceRepository(db),
            roster,
            notifier,
            media,
            clock,
            zone,
            settings.places.cadences,
        )
        statistics = StatisticsService(
            StatisticsRepository(db), clock, zone, ranking.weights, ranking.bottom_flagged, places.coverage
        )
        choices = PlaceChoiceRepository(db)
        types = settings.places.types
        reporting = ReportingService(
            db,
            DraftRepository(db),
            HazardRepository(db),
            roster,
            notifier,
            media,
            clock,
            settings.reporting.categories,
            settings.locale.zone,
            choices,
            vocabulary.PLACE_TYPE_OTHER if vocabulary.PLACE_TYPE_OTHER in types else types[-1],
            VoiceRepository(db),
        )
        return cls(
            db=db,
            clock=clock,
            settings=settings,
            access=AccessService(roster, ChatRepository(db), clock),
            roster=RosterService(db, roster, InviteRepository(), clock),
            invites=invites,
            reporting=reporting,
            report_places=ReportPlaceService(reporting, choices),
            place_reviews=PlaceReviewService(db, choices, roster, clock),
            rectification=RectificationService(
                db,
                HazardRepository(db),
                ConversationRepository(db),
                roster,
                invites,
                notifier,
                media,
                clock,
                settings.locale.zone,
                {Severity.GENERAL: settings.deadlines.general_days, Severity.MAJOR: settings.deadlines.major_days},
                choices,
                VoiceRepository(db),
                CardService(db, cards, HazardRepository(db), roster, notifier, clock, zone),
            ),
            checks=CheckService(db, CheckRepository(db), notifier, media, clock, settings.locale.zone),
            reminders=ReminderService(
                db,
                ScheduleRepository(db),
                roster,
                notifier,
                clock,
                rules,
                timedelta(seconds=settings.schedule.pass_interval_seconds),
                statistics,
                media,
                settings.ranking.chart_font,
                place_files.due_in_village,
            ),
            outbox=outbox,
            notifier=notifier,
            media=media,
            photo_ids=PhotoIdRepository(db),
            cards=cards,
            wecom_media=WeComMediaRepository(db),
            queries=QueryService(QueryRepository(db), roster, clock, zone, settings.reporting.categories),
            statistics=statistics,
            ledger=LedgerService(
                LedgerRepository(db),
                PlaceRepository(db),
                statistics,
                clock,
                zone,
                media.root,
                limits.MAX_LEDGER_THUMBNAIL_ROWS,
            ),
            places=places,
            place_files=place_files,
            waiting=WaitingService(HazardRepository(db), clock, zone),
        )

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
