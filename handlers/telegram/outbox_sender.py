"""The Telegram half of the outbox: a notification as Telegram calls, Telegram's errors named in plain terms."""

from __future__ import annotations

from functools import partial

from telegram import Bot
from telegram import Message as TelegramMessage
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import texts
from bot.chat.delivery import Later, Passing, RateLimited, Refused, SendCall, Unreachable
from bot.domain.notifications import Message
from handlers.telegram.photo_sender import PhotoSender
from handlers.telegram.render import keyboard
from handlers.telegram.retry import own_retries, retry_after_seconds
from handlers.telegram.voice_sender import VoiceSender


async def _translated(call: SendCall) -> object:
    """Make one Telegram call with the dispatcher's retry policy, its failures as delivery errors."""
    try:
        with own_retries():  # the dispatcher's loop is the one retry policy of notifications
            return await call()
    except RetryAfter as exc:
        raise RateLimited(str(exc), retry_after_seconds(exc)) from exc
    except Forbidden as exc:
        raise Unreachable(str(exc), texts.UNREACHABLE_BLOCKED) from exc
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            raise Unreachable(str(exc), texts.UNREACHABLE_GONE) from exc
        raise Refused(str(exc)) from exc
    except NetworkError as exc:  # time-outs, lost connections and 5xx answers
        raise Passing(str(exc)) from exc
    except TelegramError as exc:  # any other refusal (e.g. 404, 409): Telegram may accept it later
        raise Later(str(exc)) from exc


# Telegram's answers to an edit of a message that needs none or can take none: the card is as it should be, or
# gone (deleted by the person, or too old to edit), and nothing more can be done about it.
EDIT_SETTLED = ("not modified", "message to edit not found", "can't be edited")


async def _edit(call: SendCall) -> object:
    """An edit that finds nothing to change or nothing to edit is done, not failed."""
    try:
        return await call()
    except BadRequest as exc:
        if any(answer in exc.message.lower() for answer in EDIT_SETTLED):
            return None
        raise


class TelegramSender:
    """Sends a notification to a Telegram chat: photos (one, or albums of up to ten), then the text and buttons, then
    the voice note the text stands for; or edits an earlier message into the notification's text and buttons."""

    def __init__(self, bot: Bot, photos: PhotoSender, voices: VoiceSender) -> None:
        self._bot = bot
        self._photos = photos
        self._voices = voices

    def message_key(self, results: list[object]) -> str | None:
        """The message_id of the text message among what the calls returned (photos, a pin and voice notes have no
        text; an album returns a list)."""
        texts_sent = [r for r in results if isinstance(r, TelegramMessage) and r.text is not None]
        return str(texts_sent[-1].message_id) if texts_sent else None

    def calls(self, address: int | str, message: Message) -> list[SendCall]:
        """The Telegram calls of one notification to a chat id, in order."""
        chat_id = int(address)
        if message.edit is not None:
            markup, message_id = keyboard(message.buttons), int(message.edit)
            if message.keep_text:
                edit = partial(self._bot.edit_message_reply_markup, chat_id, message_id, reply_markup=markup)
            else:
                edit = partial(
                    self._bot.edit_message_text,
                    message.text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=markup,
                )
            return [partial(_translated, partial(_edit, edit))]
        calls = self._photos.calls(chat_id, message.photos)
        if message.image is not None:
            calls += self._photos.calls(chat_id, [message.image])
        if (pin := message.pin) is not None:
            venue = partial(self._bot.send_venue, chat_id, pin.latitude, pin.longitude, pin.title, pin.address)
            calls.append(venue)
        calls.append(partial(self._bot.send_message, chat_id, message.text, reply_markup=keyboard(message.buttons)))
        calls += [partial(self._voices.send, chat_id, voice) for voice in message.voices]
        return [partial(_translated, call) for call in calls]
