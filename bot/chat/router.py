"""The chat core's entry for inputs every channel shares: a button press goes to its feature by its typed action.

A border authenticates the person, reads its channel's input into plain values, calls the router (or the feature
module for a command) and renders the replies.

Typed words that are the label of a button the current question shows (下一步, 提交, 修改, 一般隐患, an owner's name …,
in simplified or traditional characters) act as that button: the same action, through the same checks. Where 下一步
is shown, an empty phrase (好了, 完成, ok …) means it too.
"""

from __future__ import annotations

from bot import texts
from bot.chat import hazards, lists, places, report_places, reports
from bot.chat.actions import (
    Action,
    AddPhotos,
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
from bot.chat.flows import ActionFlow, Flow, NoFlow, in_progress
from bot.chat.replies import CloseButtons, ReplaceButtons, ReplaceScreen, Reply, Text, Toast, stale
from bot.domain import vocabulary
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
    if isinstance(action, AddPhotos):
        return await reports.add_photos(services, actor, action)
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
    pressed = await typed_button(services, actor, flow, typed)
    if pressed is not None:
        return as_typed(await route(services, actor, pressed))
    if isinstance(flow, ActionFlow):
        return await hazards.answer(services, actor, flow.conversation, typed)
    if isinstance(flow, NoFlow):
        if replied_to is not None and (opened := await hazards.replied_to(services, actor, replied_to)) is not None:
            return opened
        return await reports.without_flow(services, actor, typed)
    return await reports.text(services, actor, flow, typed)


async def typed_label(services: Services, actor: Actor, typed: str) -> list[Reply] | None:
    """What a command's bare alias word does when it is also the label of a button the current question shows (场所
    on 修改's menu is that step, not /place); None when no such button is shown."""
    flow = await in_progress(services, actor)
    pressed = await typed_button(services, actor, flow, typed)
    return None if pressed is None else as_typed(await route(services, actor, pressed))


async def typed_button(services: Services, actor: Actor, flow: Flow, typed: str) -> Action | None:
    """The action of the button whose label was typed, among those the flow's current question shows; None if the
    text names none of them. An empty phrase (好了 …) names 下一步 where it is shown."""
    if isinstance(flow, NoFlow):
        return None
    shown = await reports.offered(services, actor, flow)
    said = vocabulary.plain(typed)
    if not said:
        return None
    for button in shown:
        if said in _names(button.text) or (button.text == texts.BUTTON_NEXT and vocabulary.is_empty_phrase(typed)):
            try:
                return decode(button.data)
            except StaleButton:
                return None
    return None


def _names(label: str) -> set[str]:
    """What a button is called when typed: its label, or the label without what it adds in brackets ("即查即改" for
    "即查即改（已当场整改）", "7天" for "7天（默认）")."""
    full = vocabulary.plain(label)
    return {full, full.split("(", 1)[0]} - {""}


def as_typed(replies: list[Reply]) -> list[Reply]:
    """A press's replies when the button's words were typed: nothing was pressed, so there is no button to answer or
    edit; what a press would show there (an alert, the edit menu) is sent as a message."""
    typed: list[Reply] = []
    for reply in replies:
        if isinstance(reply, Toast):
            if reply.text:
                typed.append(Text(reply.text))
        elif isinstance(reply, ReplaceButtons):
            typed.append(Text(texts.ASK_EDIT, reply.buttons))
        elif isinstance(reply, ReplaceScreen):
            typed.append(Text(reply.text, reply.buttons))
        elif not isinstance(reply, CloseButtons):
            typed.append(reply)
    return typed
