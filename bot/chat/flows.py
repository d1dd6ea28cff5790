"""Which conversation in progress an input belongs to: the one place that decides it, for every channel.

A person has at most one action on a hazard in progress (交办, 整改, 不通过, ...) and at most one report in progress.
An action in progress comes first: its typed answers and photos go to it, and a report waits until it is finished
or cancelled. Cancelling ends the action if there is one, else the report; nothing of it remains (photo files
included, and nobody typed in as a new owner joins the roster).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.conversation import Ask, HazardConversation
from bot.domain.people import Actor
from bot.domain.report import ReportDraft, Step
from bot.services.container import Services


@dataclass(frozen=True)
class ActionFlow:
    """An action on a hazard in progress."""

    conversation: HazardConversation

    @property
    def wants_photos(self) -> bool:
        """Photos sent now are its after-photos."""
        return self.conversation.ask is Ask.PHOTOS


@dataclass(frozen=True)
class ReportFlow:
    """A report in progress (and no action)."""

    draft: ReportDraft

    @property
    def wants_photos(self) -> bool:
        """Photos sent now are the report's (before or, fixed on the spot, after)."""
        return self.draft.step in (Step.PHOTOS, Step.AFTER_PHOTOS)


@dataclass(frozen=True)
class NoFlow:
    """Nothing in progress: a photo starts a report."""

    wants_photos = True


Flow = ActionFlow | ReportFlow | NoFlow


class Cancelled(StrEnum):
    """What /取消 ended."""

    ACTION = "action"
    REPORT = "report"
    NOTHING = "nothing"


async def in_progress(services: Services, actor: Actor) -> Flow:
    """The flow an input of this person goes to: the action first, then the report."""
    conversation = await services.rectification.conversation(actor)
    if conversation is not None:
        return ActionFlow(conversation)
    draft = await services.reporting.draft(actor)
    return NoFlow() if draft is None else ReportFlow(draft)


async def cancel(services: Services, actor: Actor) -> Cancelled:
    """/取消: end the flow in progress, leaving nothing of it behind."""
    if await services.rectification.cancel(actor):
        return Cancelled.ACTION
    if await services.reporting.cancel(actor):
        return Cancelled.REPORT
    return Cancelled.NOTHING
