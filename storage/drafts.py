"""Reports in progress, stored as JSON per person."""

from __future__ import annotations

from datetime import datetime

from bot.domain.conversation import HazardConversation
from bot.domain.report import ReportDraft
from storage.database import Database
from storage.person_state import PersonState


class DraftRepository(PersonState[ReportDraft]):
    """SQL for report_drafts."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, "report_drafts", ReportDraft)

    async def store(self, draft: ReportDraft, now: datetime) -> None:
        """Store the draft as it is now."""
        await self.save(draft.person_id, draft, now)


class ConversationRepository(PersonState[HazardConversation]):
    """SQL for hazard_conversations."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, "hazard_conversations", HazardConversation)

    async def store(self, conversation: HazardConversation, now: datetime) -> None:
        """Store the conversation as it is now."""
        await self.save(conversation.person_id, conversation, now, ("hazard_id", conversation.hazard_id))
