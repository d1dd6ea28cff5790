"""Telegram adapters: read an Update, call a service with plain values, render the reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers.check import check_command
from handlers.commands import alias_filter, is_hazard_button
from handlers.context import GridApplication
from handlers.errors import on_error
from handlers.export import export_command
from handlers.gate import gate
from handlers.hazard_actions import hazard_command, is_conversation_button, on_conversation_button, on_hazard_button
from handlers.help import help_command, stale_button
from handlers.invite import invite_command
from handlers.mine import mine_command
from handlers.person import person_command
from handlers.photos import on_media
from handlers.queries import is_page_button, on_page_button, open_command, overdue_command
from handlers.report import cancel_command, is_report_button, on_button, on_location, on_text, report_command
from handlers.start import is_bind_button, on_bind_button, start
from handlers.stats import rank_command, stats_command

GATE_GROUP = -1


def register(app: GridApplication) -> None:
    """Attach every handler: the gate first, features next, fallbacks last."""
    app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    app.add_handler(CommandHandler("start", start))
    for name, callback in (
        ("help", help_command),
        ("report", report_command),
        ("cancel", cancel_command),
        ("mine", mine_command),
        ("hazard", hazard_command),
        ("check", check_command),
        ("open", open_command),
        ("overdue", overdue_command),
        ("stats", stats_command),
        ("rank", rank_command),
        ("export", export_command),
        ("invite", invite_command),
        ("person", person_command),
    ):
        app.add_handler(CommandHandler(name, callback))
        app.add_handler(MessageHandler(alias_filter(name), callback))
    media = filters.UpdateType.MESSAGE & filters.ATTACHMENT & ~filters.LOCATION
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, on_location))
    app.add_handler(MessageHandler(media, on_media))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, on_text))
    app.add_handler(CallbackQueryHandler(on_button, pattern=is_report_button))
    app.add_handler(CallbackQueryHandler(on_hazard_button, pattern=is_hazard_button))
    app.add_handler(CallbackQueryHandler(on_conversation_button, pattern=is_conversation_button))
    app.add_handler(CallbackQueryHandler(on_page_button, pattern=is_page_button))
    app.add_handler(CallbackQueryHandler(on_bind_button, pattern=is_bind_button))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_error_handler(on_error)
