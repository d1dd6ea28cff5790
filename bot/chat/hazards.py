"""Hazards in the chat: the card (/hazard N), the moves on it, and the questions of a multi-step move.

Each function takes plain inputs and returns the replies; the services re-authorize everything against the hazard
as it is now.
"""

from __future__ import annotations

from bot import screen, texts
from bot.chat.actions import ConversationStep, ConversationVerb, HazardPress, add_photos_button, button, move_buttons
from bot.chat.replies import (
    CloseButtons,
    NotificationsQueued,
    OwnerInvite,
    Photos,
    Reply,
    Rows,
    Shows,
    Text,
    Toast,
    VoiceNotes,
    grid,
    pinned,
    stale,
)
from bot.domain import limits
from bot.domain.conversation import Ask, HazardConversation, current
from bot.domain.errors import (
    DeadlineInPast,
    DeadlineTooFar,
    DeadlineUnreadable,
    DomainError,
    EmptyAnswer,
    InvalidTransition,
    NoLongerOwner,
    NotAllowed,
    NotFound,
    SameOwner,
    StaleButton,
    TooLong,
    WrongInput,
)
from bot.domain.hazards import Hazard, Stage, Status
from bot.domain.ids import parse_number
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button, SentKey
from bot.domain.people import Actor, Role
from bot.domain.voice import VoiceNote
from bot.services.container import Services
from bot.services.rectification import Done
from bot.services.voice import forwarded

_TEXT_REFUSALS: dict[type[DomainError], str] = {
    DeadlineUnreadable: texts.DEADLINE_UNREADABLE,
    DeadlineInPast: texts.DEADLINE_IN_PAST,
    DeadlineTooFar: texts.DEADLINE_TOO_FAR,
    InvalidTransition: texts.HAZARD_HANDLED,
}
_QUESTIONS = {
    Ask.OWNER_NAME: texts.ASK_OWNER_NAME,
    Ask.ORIGINAL: texts.ASK_ORIGINAL,
    Ask.PHOTOS: texts.ASK_RECTIFY_PHOTOS,
    Ask.NOTE: texts.ASK_RECTIFY_NOTE,
}
_WRONG_ANSWER = {Ask.ORIGINAL: texts.ORIGINAL_INVALID, Ask.PHOTOS: texts.ASK_RECTIFY_PHOTOS}


def _button(conversation: HazardConversation, label: str, verb: ConversationVerb, number: int | None = None) -> Button:
    return button(label, ConversationStep(conversation.token, verb, number))


async def card(services: Services, actor: Actor, hazard: Hazard) -> list[Reply]:
    """Photos before and after, every field, the timeline, and only this person's buttons."""
    rectification = services.rectification
    text = texts.hazard_card(
        hazard,
        await rectification.timeline(hazard),
        rectification.today(),
        services.settings.locale.zone,
        for_owner=actor.role is Role.OWNER,
    )
    voices = [forwarded(voice.note, hazard.id) for voice in await rectification.voices(hazard)]
    buttons = move_buttons(hazard.id, rectification.moves(actor, hazard), proxy=actor.role is Role.OFFICER)
    if hazard.reporter_id == actor.id and hazard.status is not Status.CLOSED:
        buttons.append(add_photos_button(hazard.id))  # the reporter may add photos while it is open
    return [
        Photos(await rectification.photos(hazard, Stage.BEFORE)),
        Photos(await rectification.photos(hazard, Stage.AFTER)),
        *pinned(screen.pin(hazard)),
        Text(text, buttons, shows=Shows(hazard.id, actor.id)),
        *([VoiceNotes(voices)] if voices else []),
    ]


async def hazard_command(services: Services, actor: Actor, args: list[str], text: str) -> list[Reply]:
    """/hazard N, 隐患 #N, or "#N" alone: the card, if the hazard is in the asker's scope (else as if it did not exist)."""
    number = (args[0] if args else text.strip()).lstrip("#")
    if not (number.isascii() and number.isdigit()):
        return [Text(texts.HAZARD_USAGE)]
    try:
        hazard_id = parse_number(number)  # digits too many for an id: no such hazard
        hazard = await services.rectification.visible(actor, hazard_id)
    except NoLongerOwner:
        return [Text(texts.no_longer_owner(hazard_id))]
    except (ValueError, NotFound):
        return [Text(texts.hazard_not_found(number))]
    return await card(services, actor, hazard)


async def replied_to(services: Services, actor: Actor, sent: SentKey) -> list[Reply] | None:
    """A typed reply to a message of the bot, with nothing in progress: the hazard it showed (scope-checked), with
    a line saying that moves are made with the buttons. None when the message showed no hazard. The words typed
    are not read as a move: which owner, which deadline, whether it is fixed are answered by the buttons."""
    shown = await services.cards.shown_in(sent)
    if shown is None:
        return None
    try:
        hazard = await services.rectification.visible(actor, shown.hazard_id)
    except NoLongerOwner:
        return [Text(texts.no_longer_owner(shown.hazard_id))]
    except NotFound:  # out of the person's scope now (moved, or no longer the owner)
        return [Text(texts.hazard_not_found(shown.hazard_id))]
    return [Text(texts.replied_to_card(hazard.id)), *await card(services, actor, hazard)]


async def ask(services: Services, actor: Actor, conversation: HazardConversation) -> list[Reply]:
    """The conversation's next question."""
    rectification = services.rectification
    if conversation.ask is Ask.OWNER:
        hazard = await rectification.visible(actor, conversation.hazard_id)
        owners = await rectification.owner_options(hazard)
        first = await rectification.place_owner_id(hazard)  # the place's 责任人: the first button, one press
        place_owner = next((o for o in owners if o.id == first), None)
        buttons = [
            _button(
                conversation,
                texts.place_owner_button(o.name) if o is place_owner else screen.label(o.name),
                ConversationVerb.OWNER,
                o.id,
            )
            for o in owners
        ]
        buttons.append(_button(conversation, texts.BUTTON_NEW_OWNER, ConversationVerb.NEW_OWNER))
        question = texts.ASK_REASSIGN_OWNER if conversation.move is Move.REASSIGN else texts.ASK_OWNER
        if place_owner is not None and conversation.move is Move.ASSIGN:
            question = texts.ask_owner_place_first(hazard.place, place_owner.name)
        rows = grid(buttons, 3)
        if place_owner is not None:  # alone on the first row, so it reads as the proposal
            rows = [buttons[:1], *grid(buttons[1:], 3)]
        return [Text(question, rows)]
    if conversation.ask is Ask.DEADLINE:
        return [await _deadline_question(services, actor, conversation)]
    if conversation.ask is Ask.CONFIRM:
        assert conversation.deadline is not None
        rows = [
            [
                _button(conversation, texts.BUTTON_CONFIRM_DEADLINE, ConversationVerb.CONFIRM),
                _button(conversation, texts.BUTTON_RETYPE_DEADLINE, ConversationVerb.RETYPE),
            ]
        ]
        return [Text(texts.confirm_deadline(conversation.deadline, rectification.today()), rows)]
    if conversation.ask is Ask.REASON:
        return [Text(texts.ASK_REASON[conversation.move])]
    if conversation.ask is Ask.PHOTOS and conversation.photos:
        return photos_confirmed(conversation, len(conversation.photos), 0)
    return [Text(_QUESTIONS[conversation.ask])]


def cancel_buttons(conversation: HazardConversation) -> Rows:
    """确定取消 / 继续整改: 取消 of an action that has after-photos to lose."""
    return [
        [
            _button(conversation, texts.BUTTON_CANCEL_SURE, ConversationVerb.CANCEL_SURE),
            _button(conversation, texts.BUTTON_KEEP_RECTIFYING, ConversationVerb.RESUME),
        ]
    ]


async def _deadline_question(services: Services, actor: Actor, conversation: HazardConversation) -> Text:
    """The day buttons with the proposed term marked, 保持原期限 where the old deadline may stay, and the question."""
    rectification = services.rectification
    hazard = await rectification.visible(actor, conversation.hazard_id)
    move, today = conversation.move, rectification.today()
    proposed = rectification.proposed_days(hazard, move)
    choices = sorted({*limits.DEADLINE_CHOICES, *([] if proposed is None else [proposed])})
    rows = [[_button(conversation, texts.days_button(d, d == proposed), ConversationVerb.DAYS, d) for d in choices]]
    if rectification.may_keep(hazard, move) and hazard.deadline is not None:
        rows.insert(0, [_button(conversation, texts.keep_deadline_button(hazard.deadline), ConversationVerb.KEEP)])
    if move is Move.REASSIGN:
        question = texts.ask_reassign_deadline(hazard, today)
    elif move is Move.REJECT:
        question = texts.ask_rework_deadline(hazard, today, proposed)
    else:
        question = texts.ask_deadline(proposed or rectification.default_days(hazard))
    return Text(question, rows)


def photos_confirmed(conversation: HazardConversation, count: int, refused: int) -> list[Reply]:
    """The confirmation of a batch of after-photos, with 下一步."""
    text = texts.photos_received(count, refused, after=True, has_description=False)
    return [Text(text, [[_button(conversation, texts.BUTTON_NEXT, ConversationVerb.PHOTOS)]])]


def finish(services: Services, done: Done) -> list[Reply]:
    """What the move did; the invite of an owner without the bot; the notifications it queued go out now."""
    replies: list[Reply] = [Text(texts.move_done(done.hazard, done.move, services.rectification.today()))]
    if done.owner_invite is not None:
        replies.append(OwnerInvite(done.owner_invite.person.name, done.owner_invite.code))
    replies.append(NotificationsQueued())
    return replies


async def _next(services: Services, actor: Actor, result: HazardConversation | Done) -> list[Reply]:
    return finish(services, result) if isinstance(result, Done) else await ask(services, actor, result)


async def press_hazard(services: Services, actor: Actor, press: HazardPress) -> list[Reply]:
    """交办, 不属实, 重复, 提交整改, 复核通过, 不通过, 重新打开, 改派, or 查看详情."""
    rectification = services.rectification
    hazard_id = press.hazard_id
    try:
        if press.move is None:
            return [Toast(), *await card(services, actor, await rectification.visible(actor, hazard_id))]
        result = await rectification.begin(actor, hazard_id, press.move)
    except NoLongerOwner:
        return [Toast(texts.no_longer_owner(hazard_id), alert=True)]
    except NotFound:
        return [Toast(texts.hazard_not_found(hazard_id), alert=True)]
    except NotAllowed as refused:
        return [Toast(texts.DENIALS[refused.denial], alert=True)]
    except InvalidTransition:
        return [Toast(texts.HAZARD_HANDLED, alert=True)]
    return [Toast(), *await _next(services, actor, result)]


async def press_step(services: Services, actor: Actor, press: ConversationStep) -> list[Reply]:
    """An owner, 新责任人, a number of days, 保持原期限, or 下一步 after the after-photos."""
    rectification = services.rectification
    token, verb = press.token, press.verb
    result: HazardConversation | Done
    try:
        if verb is ConversationVerb.OWNER and press.number is not None:
            result = await rectification.choose_owner(actor, token, press.number)
        elif verb is ConversationVerb.NEW_OWNER:
            result = await rectification.ask_new_owner(actor, token)
        elif verb is ConversationVerb.DAYS and press.number is not None:
            result = await rectification.choose_days(actor, token, press.number)
        elif verb is ConversationVerb.KEEP:
            result = await rectification.keep_deadline(actor, token)
        elif verb is ConversationVerb.CONFIRM:
            result = await rectification.confirm_deadline(actor, token)
        elif verb is ConversationVerb.RETYPE:
            result = await rectification.retype_deadline(actor, token)
        elif verb is ConversationVerb.PHOTOS:
            result = await rectification.photos_done(actor, token)
        elif verb in (ConversationVerb.CANCEL_SURE, ConversationVerb.RESUME):
            conversation = current(await rectification.conversation(actor), token, _ask, tuple(Ask))
            if verb is ConversationVerb.RESUME:
                return [Toast(), CloseButtons(), *await ask(services, actor, conversation)]
            await rectification.cancel(actor)
            return [Toast(), CloseButtons(), Text(texts.ACTION_CANCELLED, remove_keyboard=True)]
        else:
            raise StaleButton(press)
    except (StaleButton, NotFound, WrongInput, SameOwner, ValueError):
        return [stale()]
    except InvalidTransition:
        await rectification.cancel(actor)
        return [Toast(texts.HAZARD_HANDLED, alert=True)]
    except (DeadlineInPast, DeadlineTooFar) as refusal:  # 确认 of a date that passed meanwhile: asked again
        return [Toast(), Text(_TEXT_REFUSALS[type(refusal)])]
    return [Toast(), *await _next(services, actor, result)]


async def answer(
    services: Services, actor: Actor, conversation: HazardConversation, text: str, voice: VoiceNote | None = None
) -> list[Reply]:
    """A typed answer to the action in progress (a spoken reason or note: its placeholder with its voice note)."""
    rectification = services.rectification
    try:
        result = await rectification.answer_text(actor, text, voice)
    except TooLong as exc:
        return [Text(texts.text_too_long(exc.limit, len(text.strip())))]
    except SameOwner:
        return [Text(texts.SAME_OWNER)]
    except EmptyAnswer:
        if conversation.ask in (Ask.OWNER, Ask.OWNER_NAME):
            return [Text(texts.EMPTY_OWNER_NAME), *await ask(services, actor, conversation)]
        return [Text(texts.EMPTY_REASON if conversation.ask is Ask.REASON else texts.EMPTY_NOTE)]
    except NoLongerOwner:
        await rectification.cancel(actor)
        return [Text(texts.no_longer_owner(conversation.hazard_id))]
    except (WrongInput, NotFound):
        return [Text(_WRONG_ANSWER.get(conversation.ask, texts.REASON_EMPTY))]
    except (DeadlineUnreadable, DeadlineInPast, DeadlineTooFar, InvalidTransition, NotAllowed) as refusal:
        if isinstance(refusal, InvalidTransition | NotAllowed):
            await rectification.cancel(actor)
        answer = texts.DENIALS[refusal.denial] if isinstance(refusal, NotAllowed) else _TEXT_REFUSALS[type(refusal)]
        return [Text(answer)]
    return await _next(services, actor, result)


def _ask(conversation: HazardConversation) -> Ask:
    return conversation.ask
