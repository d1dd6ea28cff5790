"""/open (未整改) and /overdue (逾期): open hazards in the asker's scope, a page at a time, ◀ ▶ edit in place."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import texts
from bot.chat.actions import PageTurn, encode
from bot.domain.errors import AmbiguousPlace, NotAllowed, StaleButton, UnknownFilter
from bot.domain.queries import HazardPage, ListKind
from handlers.telegram.commands import message_args
from handlers.telegram.context import GridContext


async def open_command(update: Update, context: GridContext) -> None:
    """/open [村名|类别|重大]: every open hazard in scope, most urgent first."""
    await _first_page(update, context, ListKind.OPEN)


async def overdue_command(update: Update, context: GridContext) -> None:
    """/overdue [村名|类别|重大]: the overdue hazards in scope, most overdue first."""
    await _first_page(update, context, ListKind.OVERDUE)


async def _first_page(update: Update, context: GridContext, kind: ListKind) -> None:
    message = update.effective_message
    assert message is not None
    services = context.services
    try:
        page = await services.queries.first_page(context.bound_actor, kind, message_args(message))
    except NotAllowed:
        await message.reply_text(texts.NOT_ALLOWED)
        return
    except UnknownFilter as exc:
        categories = services.settings.reporting.categories
        await message.reply_text(texts.filters_not_understood(exc.understood, exc.unknown, categories))
        return
    except AmbiguousPlace as exc:
        await message.reply_text(texts.ambiguous_village_filter(str(exc.args[0])))
        return
    text, buttons = render(page)
    await message.reply_text(text, reply_markup=buttons)


async def on_page_button(update: Update, context: GridContext, turn: PageTurn) -> None:
    """◀ or ▶: the page asked for, re-checked against the presser's scope, edited into the same message."""
    query = update.callback_query
    assert query is not None
    try:
        page = await context.services.queries.page(context.bound_actor, turn.kind, turn.filters, turn.page)
    except StaleButton:
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    except NotAllowed:
        await query.answer(texts.NOT_ALLOWED, show_alert=True)
        return
    await query.answer()
    text, buttons = render(page)
    try:
        await query.edit_message_text(text, reply_markup=buttons)
    except BadRequest as exc:
        # A double press shows the same page again: Telegram refuses an edit that changes nothing.
        if "not modified" not in exc.message.lower():
            raise


def render(page: HazardPage) -> tuple[str, InlineKeyboardMarkup | None]:
    """The page's text, and ◀ ▶ for the pages before and after it."""
    if page.total == 0:
        return texts.list_empty(page.kind, page.scope_name, page.filter_labels), None
    buttons = []
    if page.page > 0:
        data = encode(PageTurn(page.kind, page.filters, page.page - 1))
        buttons.append(InlineKeyboardButton(texts.BUTTON_PAGE_PREVIOUS, callback_data=data))
    if page.page < page.pages - 1:
        data = encode(PageTurn(page.kind, page.filters, page.page + 1))
        buttons.append(InlineKeyboardButton(texts.BUTTON_PAGE_NEXT, callback_data=data))
    return texts.hazard_page(page), InlineKeyboardMarkup([buttons]) if buttons else None
