"""Sending stored voice notes to Telegram (shared by the handlers and the outbox).

A voice note is sent by the file_id Telegram gave it when it arrived; if Telegram refuses that id (another bot
token), it is uploaded from the media store.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest

from bot.domain.photos import media_file
from bot.domain.voice import Voice
from bot.services.container import Services
from handlers.telegram.photo_sender import refused_file

log = logging.getLogger(__name__)


class VoiceSender:
    """Sends a voice note named by its media-store file, with its caption."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self._bot = bot
        self._media = services.media

    async def send(self, chat_id: int, voice: Voice) -> None:
        """Send the voice note now: by its Telegram file_id, else uploaded from the media store."""
        stored = media_file(voice.name)
        if voice.file_id is not None:
            try:
                await self._bot.send_voice(chat_id, voice.file_id, duration=voice.seconds, caption=voice.caption)
                return
            except BadRequest as exc:
                if stored is None or not refused_file(exc):
                    raise
                log.warning("Telegram refused a kept voice file_id (%s); uploading the voice again", exc)
        assert stored is not None, voice.name
        data = self._media.path(*stored).read_bytes()
        await self._bot.send_voice(chat_id, data, duration=voice.seconds, caption=voice.caption)
