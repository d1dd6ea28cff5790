"""Telegram adapters: read an Update, call a service with plain values, render the reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers.commands import alias_filter
from handlers.context import GridApplication
from handlers.errors import on_error
from handlers.gate import gate
from handlers.help import help_command, stale_button, unknown_message
from handlers.start import start

GATE_GROUP = -1


def register(app: GridApplication) -> None:
    """Attach every handler: the gate first, features next, fallbacks last."""
    app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(MessageHandler(alias_filter("help"), help_command))
    app.add_handler(CallbackQueryHandler(stale_button))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, unknown_message))
    app.add_error_handler(on_error)
