"""The Telegram border: read an Update, call a service with plain values, render the reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers.telegram.check import check_command
from handlers.telegram.commands import alias_filter, is_hazard_button
from handlers.telegram.context import GridApplication
from handlers.telegram.errors import on_error
from handlers.telegram.export import export_command
from handlers.telegram.gate import gate
from handlers.telegram.hazard_actions import (
    hazard_command,
    is_conversation_button,
    on_conversation_button,
    on_hazard_button,
)
from handlers.telegram.help import help_command, stale_button
from handlers.telegram.invite import invite_command
from handlers.telegram.mine import mine_command
from handlers.telegram.person import person_command
from handlers.telegram.photos import on_media
from handlers.telegram.queries import is_page_button, on_page_button, open_command, overdue_command
from handlers.telegram.report import cancel_command, is_report_button, on_button, on_location, on_text, report_command
from handlers.telegram.start import start
from handlers.telegram.stats import rank_command, stats_command

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
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_error_handler(on_error)
