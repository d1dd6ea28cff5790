"""The services of one running GridSafe, built over one database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.domain.hazards import Severity
from bot.services.access import AccessService
from bot.services.invites import InviteService
from bot.services.rectification import RectificationService
from bot.services.reporting import ReportingService
from bot.services.roster import RosterService
from bot.settings import Settings
from storage.chats import ChatRepository
from storage.database import Database
from storage.drafts import ConversationRepository, DraftRepository
from storage.hazards import HazardRepository
from storage.invites import InviteRepository
from storage.media import MediaStore
from storage.migrations import migrate
from storage.outbox import OutboxRepository
from storage.roster import RosterRepository


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
    rectification: RectificationService
    outbox: OutboxRepository

    @classmethod
    async def open(cls, settings: Settings, clock: Clock) -> Services:
        """Open the database, bring its schema up to date and build the services."""
        db = await Database.open(settings.storage.database)
        await migrate(db)
        roster = RosterRepository(db)
        outbox = OutboxRepository(db)
        media = MediaStore(settings.storage.media_dir)
        invites = InviteService(db, roster, InviteRepository(), clock, timedelta(days=settings.invites.ttl_days))
        return cls(
            db=db,
            clock=clock,
            settings=settings,
            access=AccessService(roster, ChatRepository(db), clock),
            roster=RosterService(db, roster, clock),
            invites=invites,
            reporting=ReportingService(
                db,
                DraftRepository(db),
                HazardRepository(db),
                roster,
                outbox,
                media,
                clock,
                settings.reporting.categories,
                settings.locale.zone,
            ),
            rectification=RectificationService(
                db,
                HazardRepository(db),
                ConversationRepository(db),
                roster,
                invites,
                outbox,
                media,
                clock,
                settings.locale.zone,
                {Severity.GENERAL: settings.deadlines.general_days, Severity.MAJOR: settings.deadlines.major_days},
            ),
            outbox=outbox,
        )

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
