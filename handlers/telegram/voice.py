"""Voice messages and audio files in Telegram: what arrived, told to the chat core; the voice downloaded when asked."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError

from bot.chat import voice
from bot.services.voice import VoiceUpload
from handlers.telegram.context import GridContext
from handlers.telegram.render import render
from handlers.telegram.retry import download


async def on_voice(update: Update, context: GridContext) -> None:
    """A voice message from a bound person: kept where a text is asked for, refused elsewhere."""
    message = update.message
    assert message is not None and message.voice is not None
    actor, services, note = context.bound_actor, context.services, message.voice
    length = note.duration  # seconds, or a timedelta when PTB is set to give durations as timedeltas
    seconds = int(length.total_seconds()) if isinstance(length, timedelta) else length
    decision = await voice.arriving(services, actor, seconds, note.file_size)
    if isinstance(decision, voice.FetchVoice):
        try:
            data = await download(note)
        except TelegramError:
            await render(context, message.chat_id, voice.download_failed())
            return
        decision = await voice.fetched(services, actor, VoiceUpload(data, note.file_id, seconds))
    await render(context, message.chat_id, decision)


async def on_audio(update: Update, context: GridContext) -> None:
    """An audio file (not a voice message): refused, once per album."""
    message = update.message
    assert message is not None
    replies = await voice.audio_file(context.services, context.bound_actor, message.media_group_id)
    await render(context, message.chat_id, replies)
