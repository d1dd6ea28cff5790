"""Rendering the chat core's replies as WeCom messages: text, template cards, images, files, card updates.

A WeCom app message cannot carry Telegram's inline keyboard, so buttons become `button_interaction` template cards:
at most six buttons a card (more: further cards, titled 更多选项), each button's key the action's encoded data
(bot/chat/actions.py), pressed back to us in a template_card_event. A card's text is short on WeCom's screen (a title
of 26 characters, a line of 112): a longer text goes first as a message (split at 2,048 bytes) and the card that
follows holds only the buttons. A press is answered in place where Telegram edits the pressed message: the card is
updated with the press's one-use response_code (update_template_card) — new text and buttons when they fit a card,
its buttons turned into 已处理 otherwise, and the new screen sent below. WeCom has no toasts, no location requests and
no location messages from an app: those are said in words (bot/texts/wecom_chat.py).
"""

from __future__ import annotations

import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot import texts
from bot.chat.replies import (
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
)
from bot.domain.notifications import Button
from bot.domain.photos import media_file
from bot.services.container import Services
from handlers.wecom.client import CARD_MAX_BUTTONS, JsonDict, WeComApiError, WeComClient

log = logging.getLogger(__name__)

CARD_TITLE_CHARS = 26  # WeCom shows a card's main title up to about this many characters
CARD_TEXT_CHARS = 112  # and its sub-title text up to about this many
FILE_MAX_BYTES = 20 * 1024 * 1024  # what WeCom's media/upload takes as a file
CARDS_REMEMBERED = 10_000  # cards whose text is kept, so a press that changes only the buttons keeps the text


@dataclass
class Pressed:
    """The card a press came from, and its one-use response_code (used: a second update is a new message)."""

    task_id: str
    response_code: str
    used: bool = False


def _task_id() -> str:
    return f"g{secrets.token_hex(12)}"


def card_layout(text: str) -> tuple[str, str, bool]:
    """(title, sub-title text, whether the text must go first as a message) of a card showing this text."""
    title, _, rest = text.partition("\n")
    if len(title) <= CARD_TITLE_CHARS and len(rest) <= CARD_TEXT_CHARS:
        return title, rest, False
    if len(text) <= CARD_TEXT_CHARS:
        return texts.WECOM_CHOOSE, text, False
    return texts.WECOM_CHOOSE, "", True


def card(task_id: str, title: str, body: str, buttons: Sequence[Button]) -> JsonDict:
    """A button_interaction template card; each button's key is its encoded action."""
    made: JsonDict = {
        "card_type": "button_interaction",
        "task_id": task_id,
        "main_title": {"title": title},
        "button_list": [{"text": b.text, "style": 1, "key": b.data} for b in buttons],
    }
    if body:
        made["sub_title_text"] = body
    return made


def _flat(rows: Rows) -> list[Button]:
    return [b for row in rows for b in row]


def button_groups(rows: Rows) -> list[list[Button]]:
    """The buttons of each card: whole rows of the core's grid while they fit in six, a longer row cut in sixes, so
    buttons that belong together stay on one card."""
    groups: list[list[Button]] = []
    current: list[Button] = []
    for row in rows:
        if current and len(current) + len(row) > CARD_MAX_BUTTONS:
            groups.append(current)
            current = []
        for start in range(0, len(row), CARD_MAX_BUTTONS):
            chunk = row[start : start + CARD_MAX_BUTTONS]
            if len(current) + len(chunk) > CARD_MAX_BUTTONS:
                groups.append(current)
                current = []
            current = current + chunk
    if current:
        groups.append(current)
    return groups


class Renderer:
    """Sends replies to one WeCom member through the API client."""

    def __init__(self, client: WeComClient, services: Services, kick: Callable[[], object]) -> None:
        self._client = client
        self._services = services
        self._kick = kick
        self._cards: OrderedDict[str, tuple[str, str]] = OrderedDict()  # task_id -> (title, text) shown

    async def render(self, userid: str, replies: Sequence[Reply], pressed: Pressed | None = None) -> None:
        """Send the replies in order; edits apply to the pressed card."""
        for reply in replies:
            await self._one(userid, reply, pressed)

    async def _one(self, userid: str, reply: Reply, pressed: Pressed | None) -> None:
        client = self._client
        if isinstance(reply, Text):
            await self.text(userid, reply.text, reply.buttons)
        elif isinstance(reply, Toast):
            if reply.text:
                await client.send_text(userid, reply.text)
        elif isinstance(reply, AskLocation):
            await client.send_text(userid, texts.wecom_ask_location(reply.skip_label))  # its own words: no button
        elif isinstance(reply, Photos):
            await self._photos(userid, reply.names)
        elif isinstance(reply, Image):
            await client.send_image(userid, reply.data, "chart.png")
            if reply.caption:
                await client.send_text(userid, reply.caption)
        elif isinstance(reply, Document):
            await self._document(userid, reply)
        elif isinstance(reply, Location):
            await client.send_text(userid, texts.wecom_location(reply.latitude, reply.longitude))
        elif isinstance(reply, ReplaceScreen):
            await self._replace_screen(userid, reply, pressed)
        elif isinstance(reply, ReplaceButtons):
            await self._replace_buttons(userid, _flat(reply.buttons), pressed)
        elif isinstance(reply, CloseButtons):
            await self._close(userid, pressed)
        elif isinstance(reply, OwnerInvite):
            await client.send_text(userid, texts.owner_invite(reply.name, texts.wecom_bind_hint(reply.code)))
        elif isinstance(reply, Later):
            async with reply.make() as made:
                await self.render(userid, made, pressed)
        elif isinstance(reply, NotificationsQueued):
            self._kick()
        elif not isinstance(reply, ChatAction):  # WeCom shows no "typing…"
            raise AssertionError(f"a reply WeCom cannot render: {reply!r}")

    async def text(self, userid: str, text: str, rows: Rows) -> None:
        """A message; with buttons, cards of at most six (the text first as a message when a card cannot show it)."""
        if not _flat(rows):
            await self._client.send_text(userid, text)
            return
        title, body, separate = card_layout(text)
        if separate:
            await self._client.send_text(userid, text)
        for number, group in enumerate(button_groups(rows)):
            if number:
                title, body = texts.WECOM_MORE_BUTTONS, ""
            await self.send_card(userid, title, body, group)

    async def send_card(self, userid: str, title: str, body: str, buttons: Sequence[Button]) -> None:
        """One card of at most six buttons, its text kept so a press that changes only the buttons keeps it."""
        task_id = _task_id()
        await self._client.send_card(userid, card(task_id, title, body, buttons))
        self._remember(task_id, title, body)

    def _remember(self, task_id: str, title: str, body: str) -> None:
        self._cards[task_id] = (title, body)
        self._cards.move_to_end(task_id)
        while len(self._cards) > CARDS_REMEMBERED:
            self._cards.popitem(last=False)

    async def _update(self, userid: str, pressed: Pressed | None, body: JsonDict) -> bool:
        """Update the pressed card with its response_code; False when there is none left (or WeCom refused)."""
        if pressed is None or pressed.used or not pressed.response_code:
            return False
        pressed.used = True
        try:
            if "template_card" in body:
                await self._client.update_card([userid], pressed.response_code, body["template_card"])
            else:
                await self._client.update_buttons([userid], pressed.response_code, body["button"])
        except WeComApiError as exc:  # the code expired (72 h) or was used: the answer comes as a new message
            log.warning("wecom card %s not updated: %s", pressed.task_id, exc)
            return False
        return True

    async def _close(self, userid: str, pressed: Pressed | None) -> bool:
        return await self._update(userid, pressed, {"button": {"replace_name": texts.WECOM_CARD_DONE}})

    async def _replace_screen(self, userid: str, reply: ReplaceScreen, pressed: Pressed | None) -> None:
        buttons = _flat(reply.buttons)
        title, body, separate = card_layout(reply.text)
        if (
            pressed is not None
            and not separate
            and buttons
            and await self._replace(userid, pressed, title, body, buttons)
        ):
            return
        await self._close(userid, pressed)
        await self.text(userid, reply.text, reply.buttons)

    async def _replace_buttons(self, userid: str, buttons: list[Button], pressed: Pressed | None) -> None:
        if not buttons:
            await self._close(userid, pressed)
            return
        title, body = self._cards.get(pressed.task_id, ("", "")) if pressed is not None else ("", "")
        title = title or texts.WECOM_CHOOSE  # a card sent before a restart: its text is not known any more
        if pressed is not None and await self._replace(userid, pressed, title, body, buttons):
            return
        await self._close(userid, pressed)
        await self.text(userid, f"{title}\n{body}" if body else title, [buttons])

    async def _replace(self, userid: str, pressed: Pressed, title: str, body: str, buttons: list[Button]) -> bool:
        """The pressed card shows this text and its first six buttons; the others follow as cards of their own."""
        replaced = card(pressed.task_id, title, body, buttons[:CARD_MAX_BUTTONS])
        if not await self._update(userid, pressed, {"template_card": replaced}):
            return False
        self._remember(pressed.task_id, title, body)
        for start in range(CARD_MAX_BUTTONS, len(buttons), CARD_MAX_BUTTONS):
            await self.send_card(userid, texts.WECOM_MORE_BUTTONS, "", buttons[start : start + CARD_MAX_BUTTONS])
        return True

    async def _document(self, userid: str, reply: Document) -> None:
        """A file (the ledger, its photo zip) with its caption; one over WeCom's 20 MB is said, not sent."""
        if reply.path.stat().st_size > FILE_MAX_BYTES:
            if reply.caption:
                await self._client.send_text(userid, reply.caption)
            await self._client.send_text(userid, texts.wecom_file_too_large(reply.filename, FILE_MAX_BYTES >> 20))
            return
        await self._client.send_file(userid, reply.path.read_bytes(), reply.filename)
        if reply.caption:
            await self._client.send_text(userid, reply.caption)

    async def _photos(self, userid: str, names: Sequence[str]) -> None:
        media = self._services.media
        for name in names:
            stored = media_file(name)
            if stored is None:  # a Telegram file_id: nothing WeCom can show
                log.warning("wecom: photo %s is not in the media store", name)
                continue
            sha256, extension = stored
            await self._client.send_image(userid, media.path(sha256, extension).read_bytes(), name)
