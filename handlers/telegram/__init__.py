"""The Telegram border: read an Update, call a service with plain values, render the reply."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from bot.chat.commands import COMMANDS, START
from handlers.telegram.buttons import on_press
from handlers.telegram.check import check_command
from handlers.telegram.commands import alias_filter
from handlers.telegram.context import GridApplication, GridContext
from handlers.telegram.errors import on_error
from handlers.telegram.export import export_command
from handlers.telegram.gate import gate
from handlers.telegram.hazard_actions import hazard_command
from handlers.telegram.invite import invite_command
from handlers.telegram.mine import help_command, mine_command
from handlers.telegram.person import person_command
from handlers.telegram.photos import on_media
from handlers.telegram.place import place_command
from handlers.telegram.queries import open_command, overdue_command
from handlers.telegram.report import cancel_command, on_location, on_text, report_command
from handlers.telegram.start import start
from handlers.telegram.stats import rank_command, stats_command
from handlers.telegram.voice import on_audio, on_voice

Handler = Callable[[Update, GridContext], Coroutine[Any, Any, None]]

# The Telegram handler of each command of the command table (bot/chat/commands.py), and of /start.
COMMAND_HANDLERS: dict[str, Handler] = {
    START: start,
    "report": report_command,
    "check": check_command,
    "open": open_command,
    "overdue": overdue_command,
    "mine": mine_command,
    "hazard": hazard_command,
    "place": place_command,
    "stats": stats_command,
    "rank": rank_command,
    "export": export_command,
    "invite": invite_command,
    "person": person_command,
    "cancel": cancel_command,
    "help": help_command,
}

GATE_GROUP = -1


def register(app: GridApplication) -> None:
    """Attach every handler: the gate first, features next, fallbacks last."""
    app.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    if set(COMMAND_HANDLERS) != {START} | {c.name for c in COMMANDS}:
        raise RuntimeError("every command of the table needs its handler, and no other")
    app.add_handler(CommandHandler(START, start))
    app.add_handler(MessageHandler(alias_filter(START), start))  # 绑定 <code>
    for command in COMMANDS:
        app.add_handler(CommandHandler(command.name, COMMAND_HANDLERS[command.name]))
        app.add_handler(MessageHandler(alias_filter(command.name), COMMAND_HANDLERS[command.name]))
    media = filters.UpdateType.MESSAGE & filters.ATTACHMENT & ~filters.LOCATION
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, on_location))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.VOICE, on_voice))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.AUDIO, on_audio))
    app.add_handler(MessageHandler(media, on_media))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, on_text))
    app.add_handler(CallbackQueryHandler(on_press))
    app.add_error_handler(on_error)
