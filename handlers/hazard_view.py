"""Rendering hazards and hazard conversations: the card, the questions and their buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import screen, texts
from bot.domain import limits
from bot.domain.conversation import Ask, HazardConversation
from bot.domain.hazards import Hazard, Stage
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button, Message, hazard_button_data
from bot.domain.people import Actor, Role
from bot.services.rectification import Done
from bot.telegram_photos import PhotoSender
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
    """The core's messages, in order: photos first (stored photos sent as photos), then the text with its buttons."""
    services = context.services
    photos = PhotoSender(context.bot, services.media, services.photo_ids)
    for message in messages:
        await photos.send(chat_id, message.photos + ([message.image] if message.image else []))
        await context.bot.send_message(chat_id, message.text, reply_markup=keyboard(message.buttons))


async def show_card(context: GridContext, chat_id: int, actor: Actor, hazard: Hazard) -> None:
    """/hazard N: photos before and after, every field, the timeline, and only this person's buttons."""
    services = context.services
    rectification = services.rectification
    photos = PhotoSender(context.bot, services.media, services.photo_ids)
    for stage in (Stage.BEFORE, Stage.AFTER):
        await photos.send(chat_id, await rectification.photos(hazard, stage))
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
            InlineKeyboardButton(screen.label(o.name), callback_data=conversation_data(conversation, "owner", o.id))
            for o in owners
        ]
        buttons.append(
            InlineKeyboardButton(texts.BUTTON_NEW_OWNER, callback_data=conversation_data(conversation, "newowner"))
        )
        question = texts.ASK_REASSIGN_OWNER if conversation.move is Move.REASSIGN else texts.ASK_OWNER
        await send(
            chat_id,
            question,
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
        rows = [buttons]
        question = texts.ask_deadline(default)
        if conversation.move is Move.REASSIGN and hazard.deadline is not None:
            keep = texts.keep_deadline_button(hazard.deadline)
            rows.insert(0, [InlineKeyboardButton(keep, callback_data=conversation_data(conversation, "keep"))])
            question = texts.ask_reassign_deadline(hazard, rectification.today())
        await send(chat_id, question, reply_markup=InlineKeyboardMarkup(rows))
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
