"""Rendering the chat core's replies as Telegram messages, keyboards, albums, edits and callback answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ChatAction as TelegramAction
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.chat.replies import (
    Activity,
    AskLocation,
    ChatAction,
    CloseButtons,
    Document,
    Image,
    Later,
    Location,
    NotificationsQueued,
    OwnerInvite,
    Photos,
    ReplaceButtons,
    ReplaceScreen,
    Reply,
    Rows,
    Text,
    Toast,
    VoiceNotes,
)
from bot.domain.notifications import SentKey
from bot.domain.people import Channel
from handlers.telegram.context import GridContext
from handlers.telegram.photo_sender import PhotoSender
from handlers.telegram.voice_sender import VoiceSender

ACTION_RENEW_SECONDS = 4.0  # Telegram shows a chat action for about five seconds
CHANNEL = Channel.TELEGRAM.value  # the channel's name in records of sent messages


def keyboard(rows: Rows) -> InlineKeyboardMarkup | None:
    """Plain buttons as Telegram's inline keyboard (none without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows])


@asynccontextmanager
async def _showing(context: GridContext, chat_id: int, busy: Activity | None) -> AsyncIterator[None]:
    """Show the chat action the whole time (Telegram shows one for about five seconds: renewed)."""
    if busy is None:
        yield
        return

    async def renew() -> None:
        while True:
            await asyncio.sleep(ACTION_RENEW_SECONDS)
            with suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, TelegramAction(busy.value))

    await context.bot.send_chat_action(chat_id, TelegramAction(busy.value))
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def invite_link(username: str, code: str) -> str:
    """The t.me link that opens the bot with an invite."""
    return f"https://t.me/{username}?start={code}"


def invite_links(context: GridContext, code: str) -> str:
    """The t.me link, and where GridSafe also serves WeCom, the words that bind with the code in the WeCom app."""
    link = invite_link(context.bot.username, code)
    return f"{link}\n{texts.wecom_bind_hint(code)}" if context.services.settings.wecom.enabled else link


async def render(
    context: GridContext, chat_id: int, replies: Sequence[Reply], query: CallbackQuery | None = None
) -> None:
    """Send the replies in order. For a button press the press is answered first (a Toast, or silently), and
    edits apply to the pressed message."""
    if query is not None:
        toast = next((r for r in replies if isinstance(r, Toast)), Toast())
        await query.answer(toast.text, show_alert=toast.alert or None)
    bot = context.bot
    for reply in replies:
        if isinstance(reply, Text):
            markup = ReplyKeyboardRemove() if reply.remove_keyboard else keyboard(reply.buttons)
            sent = await bot.send_message(chat_id, reply.text, reply_markup=markup)
            if reply.shows is not None:
                key = SentKey(channel=CHANNEL, chat_id=chat_id, key=str(sent.message_id))
                shows, services = reply.shows, context.services
                await services.cards.record(
                    key, shows.hazard_id, shows.person_id, bool(reply.buttons), services.clock.now()
                )
        elif isinstance(reply, AskLocation):
            request = ReplyKeyboardMarkup(
                [[KeyboardButton(reply.send_label, request_location=True)], [KeyboardButton(reply.skip_label)]],
                resize_keyboard=True,
                one_time_keyboard=True,
            )
            await bot.send_message(chat_id, reply.text, reply_markup=request)
        elif isinstance(reply, Photos):
            await PhotoSender(bot, context.services).send(chat_id, reply.names)
        elif isinstance(reply, VoiceNotes):
            for voice in reply.voices:
                await VoiceSender(bot, context.services).send(chat_id, voice)
        elif isinstance(reply, Image):
            await bot.send_photo(chat_id, reply.data, caption=reply.caption)
        elif isinstance(reply, Document):
            with reply.path.open("rb") as file:
                await bot.send_document(chat_id, file, filename=reply.filename, caption=reply.caption)
        elif isinstance(reply, Location):
            if reply.title is not None and reply.address is not None:
                await bot.send_venue(chat_id, reply.latitude, reply.longitude, reply.title, reply.address)
            else:
                await bot.send_location(chat_id, reply.latitude, reply.longitude)
        elif isinstance(reply, ReplaceScreen):
            assert query is not None, "only a pressed message can be replaced"
            try:
                await query.edit_message_text(reply.text, reply_markup=keyboard(reply.buttons))
            except BadRequest as exc:
                # A double press shows the same screen again: Telegram refuses an edit that changes nothing.
                if "not modified" not in exc.message.lower():
                    raise
        elif isinstance(reply, ReplaceButtons):
            assert query is not None, "only a pressed message's buttons can be replaced"
            await query.edit_message_reply_markup(keyboard(reply.buttons))
        elif isinstance(reply, CloseButtons):
            if query is not None:
                with suppress(BadRequest):  # an already edited message is fine
                    await query.edit_message_reply_markup(None)
        elif isinstance(reply, ChatAction):
            await bot.send_chat_action(chat_id, TelegramAction(reply.activity.value))
        elif isinstance(reply, OwnerInvite):
            await bot.send_message(chat_id, texts.owner_invite(reply.name, invite_links(context, reply.code)))
        elif isinstance(reply, Later):
            async with _showing(context, chat_id, reply.busy), reply.make() as made:
                await render(context, chat_id, made)
        elif isinstance(reply, NotificationsQueued):
            context.bot_data.kick_outbox()
