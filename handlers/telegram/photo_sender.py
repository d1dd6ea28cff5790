"""Sending stored photos to Telegram as photos, however they arrived (shared by the handlers and the outbox).

A photo sent "as a file" arrives with a document's file_id, which Telegram refuses in sendPhoto ("Can't use file of
type document as photo"). So a stored photo is sent by a photo file_id when GridSafe holds one (the photo arrived as
a photo, or was uploaded before), and otherwise uploaded from the media store; the file_id Telegram gives back is
kept, so each image is uploaded once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from telegram import Bot, InputMediaPhoto
from telegram import Message as TelegramMessage
from telegram.error import BadRequest

from bot.domain import limits
from bot.domain.photos import media_file
from bot.services.container import Services

log = logging.getLogger(__name__)

SendCall = Callable[[], Awaitable[object]]


def refused_file(exc: BadRequest) -> bool:
    """Telegram does not accept a file_id we kept (another bot token, or a document's id): upload instead."""
    text = str(exc).lower()
    return "file identifier" in text or "can't use file" in text or "file reference" in text


class PhotoSender:
    """Sends photos named by media-store file (sha256.ext); other names are taken as Telegram photo file_ids."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self._bot = bot
        self._media = services.media
        self._ids = services.photo_ids

    def calls(self, chat_id: int, names: Sequence[str]) -> list[SendCall]:
        """One Telegram call per single photo or album of up to ten, to be made in order."""
        return [
            partial(self._send_chunk, chat_id, list(names[start : start + limits.MAX_PHOTOS]))
            for start in range(0, len(names), limits.MAX_PHOTOS)
        ]

    async def send(self, chat_id: int, names: Sequence[str]) -> None:
        """Send the photos now: one photo, or albums of up to ten."""
        for call in self.calls(chat_id, names):
            await call()

    async def _send_chunk(self, chat_id: int, names: list[str]) -> None:
        stored = {name: file for name in names if (file := media_file(name)) is not None}
        known = await self._ids.known([sha256 for sha256, _ in stored.values()])
        try:
            messages = await self._post(chat_id, names, stored, known)
        except BadRequest as exc:
            if not known or not refused_file(exc):
                raise
            log.warning("Telegram refused kept photo file_ids (%s); uploading the photos again", exc)
            await self._ids.forget(list(known))
            known = {}
            messages = await self._post(chat_id, names, stored, known)
        uploaded = {
            stored[name][0]: message.photo[-1].file_id
            for name, message in zip(names, messages, strict=True)
            if name in stored and stored[name][0] not in known and message.photo
        }
        await self._ids.remember(uploaded)

    async def _post(
        self, chat_id: int, names: list[str], stored: dict[str, tuple[str, str]], known: dict[str, str]
    ) -> Sequence[TelegramMessage]:
        sources = [self._source(name, stored, known) for name in names]
        if len(sources) == 1:
            return [await self._bot.send_photo(chat_id, sources[0])]
        return await self._bot.send_media_group(chat_id, [InputMediaPhoto(source) for source in sources])

    def _source(self, name: str, stored: dict[str, tuple[str, str]], known: dict[str, str]) -> str | bytes:
        """A photo file_id to send, or the image's bytes to upload."""
        if name not in stored:
            return name  # a Telegram file_id given as such
        sha256, extension = stored[name]
        return known.get(sha256) or self._media.path(sha256, extension).read_bytes()
