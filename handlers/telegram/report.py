"""The report conversation: /report (上报), typed answers, locations, the buttons of each step, /cancel."""

from __future__ import annotations

from contextlib import suppress

from telegram import CallbackQuery, ReplyKeyboardRemove, Update
from telegram.error import BadRequest

from bot import texts
from bot.chat.actions import ReportStep, ReportVerb
from bot.chat.commands import is_hazard_number
from bot.domain.errors import NoDraft, NotAllowed, StaleButton, TooLong, WrongInput
from bot.domain.report import Step
from handlers.telegram.context import GridContext
from handlers.telegram.hazard_actions import answer_conversation, hazard_command
from handlers.telegram.hazard_view import ask
from handlers.telegram.report_view import edit_keyboard, prompt


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
        else:
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


async def on_button(update: Update, context: GridContext, press: ReportStep) -> None:
    """A button of a report in progress: re-checked against the draft, so stale and forged ones change nothing."""
    query = update.callback_query
    assert query is not None and query.message is not None
    actor = context.bound_actor
    reporting = context.services.reporting
    token, verb = press.token, press.verb
    chat_id = query.message.chat.id
    try:
        if verb is ReportVerb.NEXT:
            draft = await reporting.next(actor, token)
        elif verb is ReportVerb.CATEGORY and press.number is not None:
            draft = await reporting.choose_category(actor, token, press.number)
        elif verb is ReportVerb.SEVERITY and press.severity is not None:
            draft = await reporting.choose_severity(actor, token, press.severity)
        elif verb is ReportVerb.VILLAGE and press.number is not None:
            draft = await reporting.choose_village(actor, token, press.number)
        elif verb is ReportVerb.PLACE and press.number is not None:
            draft = await reporting.choose_place(actor, token, press.number)
        elif verb is ReportVerb.FIX:
            draft = await reporting.fix_on_spot(actor, token)
        elif verb is ReportVerb.EDIT and press.step is None and not press.back:
            draft = await reporting.edit(actor, token, None)
            await query.answer()
            await query.edit_message_reply_markup(edit_keyboard(draft))
            return
        elif verb is ReportVerb.EDIT:
            draft = await reporting.edit(actor, token, press.step)
        elif verb is ReportVerb.CANCEL:
            await _current_or_stale(context, token)
            await reporting.cancel(actor)
            await query.answer()
            await _close_buttons(query)
            await context.bot.send_message(chat_id, texts.REPORT_CANCELLED, reply_markup=ReplyKeyboardRemove())
            return
        elif verb is ReportVerb.SUBMIT:
            hazard = await reporting.submit(actor, token)
            await query.answer()
            await _close_buttons(query)
            await context.bot.send_message(
                chat_id, texts.report_registered(hazard.id, fixed_on_spot=hazard.fixed_on_spot)
            )
            context.bot_data.kick_outbox()
            return
        else:
            raise StaleButton(press)
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
