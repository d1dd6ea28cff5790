"""Acting on hazards: the buttons of notifications and cards, the answers of a conversation, /hazard N."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.domain.conversation import Ask, HazardConversation
from bot.domain.errors import (
    DeadlineInPast,
    DeadlineTooFar,
    DeadlineUnreadable,
    DomainError,
    InvalidTransition,
    NoLongerOwner,
    NotAllowed,
    NotFound,
    SameOwner,
    StaleButton,
    TooLong,
    WrongInput,
)
from bot.domain.ids import parse_number
from bot.domain.lifecycle import Move
from bot.domain.notifications import VIEW
from bot.services.rectification import Done
from handlers.commands import message_args
from handlers.context import GridContext
from handlers.hazard_view import CONVERSATION_PREFIX, ask, finish, show_card

_TEXT_REFUSALS: dict[type[DomainError], str] = {
    DeadlineUnreadable: texts.DEADLINE_UNREADABLE,
    DeadlineInPast: texts.DEADLINE_IN_PAST,
    DeadlineTooFar: texts.DEADLINE_TOO_FAR,
    InvalidTransition: texts.HAZARD_HANDLED,
}


async def hazard_command(update: Update, context: GridContext) -> None:
    """/hazard N: the card, if the hazard is in the asker's scope (otherwise as if it did not exist)."""
    message = update.effective_message
    assert message is not None
    args = message_args(message)
    # "/hazard 12", "隐患 #12", or "#12" alone (then the number is the whole text)
    number = (args[0] if args else (message.text or "").strip()).lstrip("#")
    if not (number.isascii() and number.isdigit()):
        await message.reply_text(texts.HAZARD_USAGE)
        return
    actor = context.bound_actor
    try:
        hazard_id = parse_number(number)  # digits too many for an id: no such hazard
        hazard = await context.services.rectification.visible(actor, hazard_id)
    except NoLongerOwner:
        await message.reply_text(texts.no_longer_owner(hazard_id))
        return
    except (ValueError, NotFound):
        await message.reply_text(texts.hazard_not_found(number))
        return
    await show_card(context, message.chat_id, actor, hazard)


async def on_hazard_button(update: Update, context: GridContext) -> None:
    """交办, 不属实, 重复, 提交整改, 复核通过, 不通过, 重新打开: re-authorized against the hazard as it is now."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    parts = query.data.split(":")
    actor = context.bound_actor
    try:
        if len(parts) != 3:
            raise ValueError(query.data)
        hazard_id = parse_number(parts[1])
        if parts[2] == VIEW:
            hazard = await context.services.rectification.visible(actor, hazard_id)
            await query.answer()
            await show_card(context, query.message.chat.id, actor, hazard)
            return
        move = Move(parts[2])
    except ValueError:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    except NoLongerOwner:
        await query.answer(texts.no_longer_owner(hazard_id), show_alert=True)
        return
    except NotFound:
        await query.answer(texts.hazard_not_found(parts[1]), show_alert=True)
        return
    try:
        result = await context.services.rectification.begin(actor, hazard_id, move)
    except NoLongerOwner:
        await query.answer(texts.no_longer_owner(hazard_id), show_alert=True)
        return
    except NotFound:
        await query.answer(texts.hazard_not_found(hazard_id), show_alert=True)
        return
    except NotAllowed as refused:
        await query.answer(texts.DENIALS[refused.denial], show_alert=True)
        return
    except InvalidTransition:
        await query.answer(texts.HAZARD_HANDLED, show_alert=True)
        return
    await query.answer()
    await _continue(context, query.message.chat.id, result)


async def on_conversation_button(update: Update, context: GridContext) -> None:
    """An owner, 新责任人, a number of days, or 下一步 after the after-photos."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    actor = context.bound_actor
    rectification = context.services.rectification
    parts = query.data.split(":")
    token, action, arg = [*parts, "", "", ""][1:4]
    result: HazardConversation | Done
    try:
        if action == "owner" and len(parts) == 4:
            result = await rectification.choose_owner(actor, token, parse_number(arg))
        elif action == "newowner" and len(parts) == 3:
            result = await rectification.ask_new_owner(actor, token)
        elif action == "days" and len(parts) == 4:
            result = await rectification.choose_days(actor, token, parse_number(arg))
        elif action == "keep" and len(parts) == 3:
            result = await rectification.keep_deadline(actor, token)
        elif action == "photos" and len(parts) == 3:
            result = await rectification.photos_done(actor, token)
        else:
            raise StaleButton(query.data)
    except (StaleButton, NotFound, WrongInput, SameOwner, ValueError):
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    except InvalidTransition:
        await rectification.cancel(actor)
        await query.answer(texts.HAZARD_HANDLED, show_alert=True)
        return
    await query.answer()
    await _continue(context, query.message.chat.id, result)


async def answer_conversation(update: Update, context: GridContext, conversation: HazardConversation) -> None:
    """A typed answer to the action in progress."""
    message = update.message
    assert message is not None and message.text is not None
    actor = context.bound_actor
    rectification = context.services.rectification
    try:
        result = await rectification.answer_text(actor, message.text)
    except TooLong as exc:
        await message.reply_text(texts.text_too_long(exc.limit, len(message.text.strip())))
        return
    except SameOwner:
        await message.reply_text(texts.SAME_OWNER)
        return
    except NoLongerOwner:
        await rectification.cancel(actor)
        await message.reply_text(texts.no_longer_owner(conversation.hazard_id))
        return
    except (WrongInput, NotFound):
        hint = {Ask.ORIGINAL: texts.ORIGINAL_INVALID, Ask.PHOTOS: texts.ASK_RECTIFY_PHOTOS}
        await message.reply_text(hint.get(conversation.ask, texts.REASON_EMPTY))
        return
    except (DeadlineUnreadable, DeadlineInPast, DeadlineTooFar, InvalidTransition, NotAllowed) as refusal:
        if isinstance(refusal, InvalidTransition | NotAllowed):
            await rectification.cancel(actor)
        answer = texts.DENIALS[refusal.denial] if isinstance(refusal, NotAllowed) else _TEXT_REFUSALS[type(refusal)]
        await message.reply_text(answer)
        return
    await _continue(context, message.chat_id, result)


async def _continue(context: GridContext, chat_id: int, result: HazardConversation | Done) -> None:
    if isinstance(result, Done):
        await finish(context, chat_id, result)
    else:
        await ask(context, chat_id, context.bound_actor, result)


def is_conversation_button(data: object) -> bool:
    """Callback data of a hazard conversation step."""
    return isinstance(data, str) and data.startswith(f"{CONVERSATION_PREFIX}:")
