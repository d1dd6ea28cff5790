"""Rendering hazards and hazard conversations: the card, the questions and their buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto

from bot import texts
from bot.domain import limits
from bot.domain.conversation import Ask, HazardConversation
from bot.domain.hazards import Hazard, Stage
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button, Message, hazard_button_data
from bot.domain.people import Actor, Role
from bot.services.rectification import Done
from handlers.context import GridContext

CONVERSATION_PREFIX = "hc"


def conversation_data(conversation: HazardConversation, action: str, arg: int | None = None) -> str:
    """Callback data of a button of this conversation: hc:<token>:<action>[:<arg>]."""
    return f"{CONVERSATION_PREFIX}:{conversation.token}:{action}" + ("" if arg is None else f":{arg}")


def move_buttons(hazard: Hazard, moves: list[Move]) -> InlineKeyboardMarkup | None:
    """The buttons of the moves this person may make now, and no others."""
    if not moves:
        return None
    buttons = [
        InlineKeyboardButton(texts.MOVE_BUTTONS[m], callback_data=hazard_button_data(hazard.id, m)) for m in moves
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """The core's buttons as an inline keyboard."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in rows])


async def send_messages(context: GridContext, chat_id: int, messages: list[Message]) -> None:
    """The core's messages, in order: photos first, then the text with its buttons."""
    for message in messages:
        await send_photos(context, chat_id, message.photos)
        await context.bot.send_message(chat_id, message.text, reply_markup=keyboard(message.buttons))


async def send_photos(context: GridContext, chat_id: int, file_ids: list[str]) -> None:
    """One photo, or albums of up to ten."""
    for start in range(0, len(file_ids), limits.MAX_PHOTOS):
        chunk = file_ids[start : start + limits.MAX_PHOTOS]
        if len(chunk) == 1:
            await context.bot.send_photo(chat_id, chunk[0])
        else:
            await context.bot.send_media_group(chat_id, [InputMediaPhoto(f) for f in chunk])


async def show_card(context: GridContext, chat_id: int, actor: Actor, hazard: Hazard) -> None:
    """/hazard N: photos before and after, every field, the timeline, and only this person's buttons."""
    rectification = context.services.rectification
    for stage in (Stage.BEFORE, Stage.AFTER):
        await send_photos(context, chat_id, await rectification.photos(hazard, stage))
    text = texts.hazard_card(
        hazard,
        await rectification.timeline(hazard),
        rectification.today(),
        context.services.settings.locale.zone,
        for_owner=actor.role is Role.OWNER,
    )
    await context.bot.send_message(chat_id, text, reply_markup=move_buttons(hazard, rectification.moves(actor, hazard)))


async def ask(context: GridContext, chat_id: int, actor: Actor, conversation: HazardConversation) -> None:
    """Ask the conversation's next question."""
    rectification = context.services.rectification
    send = context.bot.send_message
    if conversation.ask is Ask.OWNER:
        hazard = await rectification.visible(actor, conversation.hazard_id)
        owners = await rectification.owner_options(hazard)
        buttons = [
            InlineKeyboardButton(o.name, callback_data=conversation_data(conversation, "owner", o.id)) for o in owners
        ]
        buttons.append(
            InlineKeyboardButton(texts.BUTTON_NEW_OWNER, callback_data=conversation_data(conversation, "newowner"))
        )
        await send(
            chat_id,
            texts.ASK_OWNER,
            reply_markup=InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)]),
        )
    elif conversation.ask is Ask.OWNER_NAME:
        await send(chat_id, texts.ASK_OWNER_NAME)
    elif conversation.ask is Ask.DEADLINE:
        hazard = await rectification.visible(actor, conversation.hazard_id)
        default = rectification.default_days(hazard)
        choices = sorted({*limits.DEADLINE_CHOICES, default})
        buttons = [
            InlineKeyboardButton(
                texts.days_button(d, d == default), callback_data=conversation_data(conversation, "days", d)
            )
            for d in choices
        ]
        await send(chat_id, texts.ask_deadline(default), reply_markup=InlineKeyboardMarkup([buttons]))
    elif conversation.ask is Ask.REASON:
        await send(chat_id, texts.ASK_REASON[conversation.move])
    elif conversation.ask is Ask.ORIGINAL:
        await send(chat_id, texts.ASK_ORIGINAL)
    elif conversation.ask is Ask.PHOTOS:
        await send(chat_id, texts.ASK_RECTIFY_PHOTOS)
    elif conversation.ask is Ask.NOTE:
        await send(chat_id, texts.ASK_RECTIFY_NOTE)


async def finish(context: GridContext, chat_id: int, done: Done) -> None:
    """Tell the person what their move did; give a supervisor the invite for an owner without Telegram."""
    today = context.services.rectification.today()
    await context.bot.send_message(chat_id, texts.move_done(done.hazard, done.move, today))
    if done.owner_invite is not None:
        link = f"https://t.me/{context.bot.username}?start={done.owner_invite.code}"
        await context.bot.send_message(chat_id, texts.owner_invite(done.owner_invite.person.name, link))
    context.bot_data.kick_outbox()
