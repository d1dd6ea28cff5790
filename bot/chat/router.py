"""The chat core's entry for inputs every channel shares: a button press goes to its feature by its typed action.

A border authenticates the person, reads its channel's input into plain values, calls the router (or the feature
module for a command) and renders the replies.
"""

from __future__ import annotations

from bot.chat import hazards, lists, places, report_places, reports
from bot.chat.actions import (
    Action,
    CheckDone,
    ConversationStep,
    HazardPress,
    PageTurn,
    PlaceDecision,
    PlacePress,
    PlaceReview,
    ReportStep,
    decode,
)
from bot.chat.flows import ActionFlow, NoFlow, in_progress
from bot.chat.replies import Reply, stale
from bot.domain.errors import StaleButton
from bot.domain.notifications import SentKey
from bot.domain.people import Actor
from bot.services.container import Services


async def press(services: Services, actor: Actor, data: object) -> list[Reply]:
    """A button press: the data read once, by the codec; old, forged or malformed data changes nothing."""
    try:
        action = decode(data)
    except StaleButton:
        return [stale()]
    return await route(services, actor, action)


async def route(services: Services, actor: Actor, action: Action) -> list[Reply]:
    """The typed action of a press, to its feature (a binding choice is the border's: it names the account)."""
    if isinstance(action, ReportStep):
        return await reports.press(services, actor, action)
    if isinstance(action, ConversationStep):
        return await hazards.press_step(services, actor, action)
    if isinstance(action, HazardPress):
        return await hazards.press_hazard(services, actor, action)
    if isinstance(action, PageTurn):
        return await lists.turn(services, actor, action)
    if isinstance(action, PlaceReview):
        return await report_places.review(services, actor, action)
    if isinstance(action, PlacePress):
        return await places.press(services, actor, action)
    if isinstance(action, PlaceDecision):
        return await places.decide(services, actor, action)
    if isinstance(action, CheckDone):
        return await places.check_done(services, actor)
    return [stale()]


async def text(services: Services, actor: Actor, typed: str, replied_to: SentKey | None = None) -> list[Reply]:
    """A typed text that is no command: an answer to the flow in progress (the action first); else, as a reply to
    a message about a hazard, that hazard's card; else "#N" or help."""
    flow = await in_progress(services, actor)
    if isinstance(flow, ActionFlow):
        return await hazards.answer(services, actor, flow.conversation, typed)
    if isinstance(flow, NoFlow):
        if replied_to is not None and (opened := await hazards.replied_to(services, actor, replied_to)) is not None:
            return opened
        return await reports.without_flow(services, actor, typed)
    return await reports.text(services, actor, flow, typed)
