"""The child side of a bot process: GridSafe as `gridsafe run` starts it, or a bare python-telegram-bot echo bot.

Run as `python -m bench.botproc gridsafe|echo` with the settings in GRIDSAFE_ variables (see bench.bots); it imports
nothing the bot itself would not, so its start-up time and memory are the bot's.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from datetime import datetime

START_ENV = "BENCH_CLOCK_START"  # the moment the bot's clock starts at (ISO 8601)


def _run_gridsafe() -> None:
    """What `gridsafe run` does, with the benchmark's clock (its world is set in late November 2026)."""
    from telegram import Update

    from bench.world import RunningClock
    from bot.logs import configure_logging
    from bot.settings import load_settings
    from handlers.telegram.app import build_application

    settings = load_settings(None, os.environ)
    configure_logging(settings.telegram.token.get_secret_value())
    clock = RunningClock(datetime.fromisoformat(os.environ[START_ENV]))
    app = build_application(settings, clock)
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.telegram.poll_timeout_seconds)


def _run_echo() -> None:
    """The baseline: a bare Application with one MessageHandler that echoes text, as in PTB's echobot example."""
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    app = (
        Application.builder()
        .token(os.environ["GRIDSAFE_TELEGRAM__TOKEN"])
        .base_url(os.environ["GRIDSAFE_TELEGRAM__BASE_URL"])
        .base_file_url(os.environ["GRIDSAFE_TELEGRAM__BASE_FILE_URL"])
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=30)


def main() -> None:
    """Entry point of the child process."""
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    runners = {"gridsafe": _run_gridsafe, "echo": _run_echo}
    if kind not in runners:
        sys.exit(f"usage: python -m bench.botproc {'|'.join(runners)}")
    with suppress(KeyboardInterrupt):
        runners[kind]()


if __name__ == "__main__":
    main()
