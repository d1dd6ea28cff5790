"""The report conversation: /report (上报), typed answers, locations, the buttons of each step, /cancel."""

from __future__ import annotations

from contextlib import suppress

from telegram import CallbackQuery, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot import texts
from bot.domain.errors import NoDraft, NotAllowed, StaleButton, TooLong, WrongInput
from bot.domain.hazards import Severity
from bot.domain.ids import parse_number
from bot.domain.people import Role
from bot.domain.report import Step
from handlers.commands import is_hazard_number
from handlers.context import GridContext
from handlers.hazard_actions import answer_conversation, hazard_command
from handlers.hazard_view import ask, send_messages
from handlers.report_view import PREFIX, edit_keyboard, prompt


async def report_command(update: Update, context: GridContext) -> None:
    """Start a report, or pick up the one in progress."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    conversation = await context.services.rectification.conversation(actor)
    if conversation is not None:
        # An action in progress comes first (its typed answers and photos go to it): finish or cancel it, then report.
        await message.reply_text(texts.FINISH_ACTION_FIRST)
        await ask(context, message.chat_id, actor, conversation)
        return
    reporting = context.services.reporting
    existing = await reporting.draft(actor)
    try:
        draft = await reporting.start(actor)
    except NotAllowed:
        await message.reply_text(texts.REPORT_NOT_ALLOWED)
        return
    if existing is not None:
        await message.reply_text(texts.RESUMED)
    await prompt(context, message.chat_id, actor, draft)


async def cancel_command(update: Update, context: GridContext) -> None:
    """Leave the action or report in progress; nothing of it remains."""
    message = update.effective_message
    assert message is not None
    actor = context.bound_actor
    if await context.services.rectification.cancel(actor):
        reply = texts.ACTION_CANCELLED
    elif await context.services.reporting.cancel(actor):
        reply = texts.REPORT_CANCELLED
    else:
        reply = texts.NOTHING_TO_CANCEL
    await message.reply_text(reply, reply_markup=ReplyKeyboardRemove())


async def on_text(update: Update, context: GridContext) -> None:
    """A typed answer to the action or report in progress; without either, a pointer to /help."""
    message = update.message
    assert message is not None and message.text is not None
    actor = context.bound_actor
    conversation = await context.services.rectification.conversation(actor)
    if conversation is not None:
        await answer_conversation(update, context, conversation)
        return
    reporting = context.services.reporting
    draft = await reporting.draft(actor)
    if draft is None:
        if is_hazard_number(message.text):
            await hazard_command(update, context)
            return
        if actor.role is Role.OWNER:  # an owner who does not know what to type is shown what to do, with buttons
            tasks = await context.services.waiting.owner_tasks(actor)
            if tasks.buttons:
                await message.reply_text(texts.UNKNOWN_MESSAGE_OWNER)
                await send_messages(context, message.chat_id, [tasks])
                return
        await message.reply_text(texts.UNKNOWN_MESSAGE)
        return
    was = draft.step
    try:
        draft = await reporting.answer_text(actor, message.text)
    except TooLong as exc:
        await message.reply_text(texts.text_too_long(exc.limit, len(message.text.strip())))
        return
    except WrongInput:
        if draft.step is Step.PHOTOS and not draft.photos:
            await message.reply_text(texts.ASK_PHOTO_FIRST)
        else:
            await prompt(context, message.chat_id, actor, draft)
        return
    if was is Step.LOCATION:
        await message.reply_text(texts.LOCATION_SKIPPED, reply_markup=ReplyKeyboardRemove())
    await prompt(context, message.chat_id, actor, draft)


async def on_location(update: Update, context: GridContext) -> None:
    """A Telegram location for the location step."""
    message = update.message
    assert message is not None and message.location is not None
    actor = context.bound_actor
    try:
        draft = await context.services.reporting.set_location(
            actor, message.location.latitude, message.location.longitude
        )
    except (NoDraft, WrongInput):
        await message.reply_text(texts.LOCATION_NOT_NOW)
        return
    await message.reply_text(texts.LOCATION_RECORDED, reply_markup=ReplyKeyboardRemove())
    await prompt(context, message.chat_id, actor, draft)


async def on_button(update: Update, context: GridContext) -> None:
    """A button of a report in progress: re-checked against the draft, so stale and forged ones change nothing."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    actor = context.bound_actor
    reporting = context.services.reporting
    parts = query.data.split(":")
    token, action, arg = parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "", parts[3:]
    chat_id = query.message.chat.id
    try:
        if action == "next" and not arg:
            draft = await reporting.next(actor, token)
        elif action == "cat" and len(arg) == 1:
            draft = await reporting.choose_category(actor, token, parse_number(arg[0]))
        elif action == "sev" and len(arg) == 1:
            draft = await reporting.choose_severity(actor, token, Severity(arg[0]))
        elif action == "vil" and len(arg) == 1:
            draft = await reporting.choose_village(actor, token, parse_number(arg[0]))
        elif action == "pl" and len(arg) == 1:
            draft = await reporting.choose_place(actor, token, parse_number(arg[0]))
        elif action == "fix" and not arg:
            draft = await reporting.fix_on_spot(actor, token)
        elif action == "edit" and not arg:
            draft = await reporting.edit(actor, token, None)
            await query.answer()
            await query.edit_message_reply_markup(edit_keyboard(draft))
            return
        elif action == "edit" and len(arg) == 1:
            draft = await reporting.edit(actor, token, None if arg[0] == "back" else Step(arg[0]))
        elif action == "cancel" and not arg:
            await _current_or_stale(context, token)
            await reporting.cancel(actor)
            await query.answer()
            await _close_buttons(query)
            await context.bot.send_message(chat_id, texts.REPORT_CANCELLED, reply_markup=ReplyKeyboardRemove())
            return
        elif action == "submit" and not arg:
            hazard = await reporting.submit(actor, token)
            await query.answer()
            await _close_buttons(query)
            await context.bot.send_message(
                chat_id, texts.report_registered(hazard.id, fixed_on_spot=hazard.fixed_on_spot)
            )
            context.bot_data.kick_outbox()
            return
        else:
            raise StaleButton(query.data)
    except (StaleButton, NoDraft, WrongInput, ValueError):
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    await query.answer()
    await _close_buttons(query)
    await prompt(context, chat_id, actor, draft)


async def _current_or_stale(context: GridContext, token: str) -> None:
    draft = await context.services.reporting.draft(context.bound_actor)
    if draft is None or draft.token != token:
        raise StaleButton(token)


async def _close_buttons(query: CallbackQuery) -> None:
    # A pressed step's buttons are removed so they cannot be pressed twice; an already edited message is fine.
    with suppress(BadRequest):
        await query.edit_message_reply_markup(None)


def is_report_button(data: object) -> bool:
    """Callback data that belongs to a report in progress."""
    return isinstance(data, str) and data.startswith(f"{PREFIX}:")
