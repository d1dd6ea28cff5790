"""Simulated Telegram users and groups that talk to the bot through the loopback Bot API server."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.botapi import BotApiServer

JsonDict = dict[str, Any]

# How long a simulated person waits for the bot before a test gives up. It bounds a wait for an event, it is not a
# measure of speed: an idle machine answers in milliseconds, and a busy CI machine (two cores, a second test run beside
# this one) must never fail a test by being slow. Waits that expect silence pass their own short bound.
EVENT_TIMEOUT = 20.0

_media_group_ids = itertools.count(13_000_000_000_000_001)


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the way Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


class Signal:
    """Wakes every waiter on each notify(); waiters re-check their own predicate."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until predicate() holds; return False if the timeout expires first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


@dataclass(frozen=True)
class DocumentInfo:
    """A document the bot sent: file id, declared name and MIME type, and content."""

    file_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes = field(repr=False)


@dataclass
class BotMessage:
    """One message sent by the bot; edits update it in place and keep earlier versions in history."""

    message_id: int
    chat_id: int
    method: str
    raw: JsonDict = field(repr=False)  # the Message JSON as Telegram would return it now
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    source: str | None = None  # text or caption exactly as sent, before parse_mode was applied
    reply_markup: JsonDict | None = None
    photo: list[str] = field(default_factory=list)  # PhotoSize file ids, largest last
    document: DocumentInfo | None = None  # a document's, or a voice message's file
    voice_seconds: int | None = None  # a voice message's duration
    media_group_id: str | None = None
    location: JsonDict | None = None
    venue: JsonDict | None = None  # sendVenue: location, title and address
    reply_to_message_id: int | None = None
    deleted: bool = False
    history: list[BotMessage] = field(default_factory=list, repr=False)

    @property
    def body(self) -> str:
        """Text or caption, whichever the message has ("" if neither)."""
        return self.text or self.caption or ""

    @property
    def buttons(self) -> list[str]:
        """Texts of all inline keyboard buttons, row by row."""
        return [str(button.get("text")) for button in self._inline_buttons()]

    @property
    def keyboard(self) -> list[str]:
        """Texts of all reply keyboard buttons, row by row."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [b if isinstance(b, str) else str(b.get("text")) for row in rows for b in row]

    def find_button(self, fragment: str) -> JsonDict | None:
        """Inline button whose text equals fragment, else the first one containing it."""
        buttons = self._inline_buttons()
        exact = [b for b in buttons if b.get("text") == fragment]
        partial = [b for b in buttons if fragment in str(b.get("text"))]
        matches = exact or partial
        return matches[0] if matches else None

    def button_data(self, text: str) -> str:
        """callback_data of the inline button matching text (see find_button)."""
        button = self.find_button(text)
        if button is None:
            raise AssertionError(f"no inline button matching {text!r} in {self.describe()}")
        if "callback_data" not in button:
            raise AssertionError(f"inline button {button.get('text')!r} has no callback_data: {button}")
        return str(button["callback_data"])

    def describe(self) -> str:
        """Short human-readable summary, used in assertion messages."""
        extra = f" buttons={self.buttons}" if self.buttons else ""
        gone = " (deleted)" if self.deleted else ""
        return f"#{self.message_id} {self.method} {self.body!r}{extra}{gone}"

    def snapshot(self) -> BotMessage:
        """Copy of the current version without history."""
        return dataclasses.replace(self, raw=copy.deepcopy(self.raw), history=[])

    def _inline_buttons(self) -> list[JsonDict]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row if isinstance(button, dict)]


class SimChat:
    """A simulated chat's view of the bot: what it sent here, with awaitable reads."""

    def __init__(self, server: BotApiServer, chat: JsonDict) -> None:
        self.server = server
        self.chat = chat
        self.inbox: list[BotMessage] = []
        self.chat_actions: list[str] = []
        self.reply_keyboard: list[str] | None = None  # current reply keyboard button texts
        self._consumed = 0
        self._edits_seen: dict[int, int] = {}
        self._signal = Signal()
        self.watchers: list[Callable[[SimChat], None]] = []  # called on every change (the sandbox page's live feed)

    @property
    def chat_id(self) -> int:
        """Telegram chat id (user id for private chats, negative for groups)."""
        return int(self.chat["id"])

    def receive(self, message: BotMessage) -> None:
        """Record a message the bot sent to this chat (called by the server)."""
        self.inbox.append(message)
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            self.reply_keyboard = message.keyboard
        elif markup.get("remove_keyboard"):
            self.reply_keyboard = None
        self.changed()

    def changed(self) -> None:
        """Wake waiters after a message, edit, deletion or callback answer (called by the server)."""
        self._signal.notify()
        for watcher in self.watchers:
            watcher(self)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = EVENT_TIMEOUT, what: str = "") -> None:
        """Wait until predicate() holds, re-checked on every change in this chat."""
        if not await self._signal.wait_for(predicate, timeout):
            raise AssertionError(f"{self._label()}: timed out after {timeout}s waiting for {what or predicate}")

    async def next_message(self, timeout: float = EVENT_TIMEOUT) -> BotMessage:
        """Return the next bot message not consumed yet, waiting up to timeout seconds."""
        if not await self._signal.wait_for(lambda: len(self.inbox) > self._consumed, timeout):
            raise AssertionError(f"{self._label()}: no new bot message within {timeout}s; seen so far: {self._seen()}")
        self._consumed += 1
        return self.inbox[self._consumed - 1]

    async def expect(self, fragment: str, timeout: float = EVENT_TIMEOUT) -> BotMessage:
        """Consume messages until one whose text or caption contains fragment."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        skipped: list[str] = []
        while True:
            try:
                message = await self.next_message(max(deadline - loop.time(), 0.0))
            except AssertionError:
                raise AssertionError(
                    f"{self._label()}: no bot message containing {fragment!r} within {timeout}s; "
                    f"got instead: {skipped or 'nothing'}"
                ) from None
            if fragment in message.body:
                return message
            skipped.append(message.describe())

    async def assert_silent(self, within: float = 0.3) -> None:
        """Assert the bot sends nothing new here (and nothing is left unconsumed) within the time."""
        pending = [m.describe() for m in self.inbox[self._consumed :]]
        if pending:
            raise AssertionError(f"{self._label()}: expected silence but unconsumed messages: {pending}")
        if await self._signal.wait_for(lambda: len(self.inbox) > self._consumed, within):
            got = [m.describe() for m in self.inbox[self._consumed :]]
            raise AssertionError(f"{self._label()}: expected silence but the bot sent {got}")

    async def next_edit(self, message: BotMessage, timeout: float = EVENT_TIMEOUT) -> BotMessage:
        """Wait until message gets an edit not returned by next_edit before, and return it."""
        seen = self._edits_seen.get(message.message_id, 0)
        await self.wait_until(lambda: len(message.history) > seen, timeout, f"an edit of {message.describe()}")
        self._edits_seen[message.message_id] = len(message.history)
        return message

    def _label(self) -> str:
        return f"chat {self.chat_id}"

    def _seen(self) -> list[str]:
        return [m.describe() for m in self.inbox] or ["nothing"]


class SimGroup(SimChat):
    """A simulated group chat (negative id) that simulated users can write in."""

    def __init__(self, server: BotApiServer, chat_id: int, title: str) -> None:
        kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        super().__init__(server, {"id": chat_id, "type": kind, "title": title})
        self.title = title

    def _label(self) -> str:
        return f"group {self.title!r} ({self.chat_id})"


class SimUser(SimChat):
    """A simulated human: sends updates to the bot and reads what the bot sent to its private chat."""

    def __init__(
        self, server: BotApiServer, user_id: int, first_name: str, *, username: str | None, language_code: str
    ) -> None:
        named = {"username": username} if username else {}
        super().__init__(server, {"id": user_id, "type": "private", "first_name": first_name, **named})
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.user_json: JsonDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            **named,
            "language_code": language_code,
        }
        self.blocked = False
        self.callback_answers: list[JsonDict] = []
        self._answers_consumed = 0

    def _label(self) -> str:
        return f"user {self.first_name} ({self.id})"

    # ---- building and delivering updates -------------------------------------------------

    def build_message(self, chat: SimChat | None = None, **content: Any) -> JsonDict:
        """Build (without enqueueing) a message from this user with the next message id of the chat."""
        return self.server.new_message((chat or self).chat_id, self.user_json, content)

    def deliver(self, message: JsonDict) -> JsonDict:
        """Enqueue an already built message as a new update and return the message."""
        self.server.enqueue({"message": message})
        return message

    def text_message(self, text: str, chat: SimChat | None = None) -> JsonDict:
        """Build a text message; a leading /command gets its bot_command entity."""
        content: JsonDict = {"text": text}
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self.build_message(chat, **content)

    def photo_message(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        width: int = 800,
        height: int = 600,
        chat: SimChat | None = None,
    ) -> JsonDict:
        """Build a photo message (thumbnail and full-size PhotoSize, largest last)."""
        content: JsonDict = {"photo": self.server.files.store_photo(data, width, height)}
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        if caption is not None:
            content["caption"] = caption
        return self.build_message(chat, **content)

    def album_messages(self, items: list[bytes], caption: str | None = None) -> list[JsonDict]:
        """Build the photo messages of one album (fresh media_group_id, caption on the first)."""
        group_id = str(next(_media_group_ids))
        return [
            self.photo_message(data, caption=caption if i == 0 else None, media_group_id=group_id)
            for i, data in enumerate(items)
        ]

    # ---- sending --------------------------------------------------------------------------

    async def send(self, text: str) -> JsonDict:
        """Send a text message (or /command) to the bot in the private chat."""
        return self.deliver(self.text_message(text))

    async def reply(self, text: str, to: BotMessage) -> JsonDict:
        """Send a text message as a reply to one of the bot's messages (Telegram's reply_to_message)."""
        message = self.text_message(text)
        message["reply_to_message"] = {k: v for k, v in to.raw.items() if k != "reply_to_message"}
        return self.deliver(message)

    async def send_in(self, group: SimGroup, text: str) -> JsonDict:
        """Send a text message (or /command) in a group chat."""
        return self.deliver(self.text_message(text, chat=group))

    async def send_photo(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
        width: int = 800,
        height: int = 600,
    ) -> JsonDict:
        """Send one photo."""
        message = self.photo_message(data, caption=caption, media_group_id=media_group_id, width=width, height=height)
        return self.deliver(message)

    async def send_album(self, items: list[bytes], *, caption: str | None = None) -> list[JsonDict]:
        """Send several photos as one album, one update per photo, in order."""
        return [self.deliver(message) for message in self.album_messages(items, caption)]

    async def send_document(
        self,
        data: bytes,
        *,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        declared_size: int | None = None,
    ) -> JsonDict:
        """Send a document; declared_size fakes a (huge) file_size without allocating it."""
        stored = self.server.files.store(
            data, kind="document", file_name=file_name, mime_type=mime_type, declared_size=declared_size
        )
        content: JsonDict = {"document": stored.document_json()}
        if caption is not None:
            content["caption"] = caption
        return self.deliver(self.build_message(**content))

    async def send_sticker(self, emoji: str = "👍") -> JsonDict:
        """Send a static sticker."""
        stored = self.server.files.store(b"RIFF\x00\x00\x00\x00WEBPVP8 sticker", kind="sticker")
        sticker = {**stored.media_json(), "type": "regular", "width": 512, "height": 512}
        sticker |= {"is_animated": False, "is_video": False, "emoji": emoji}
        return self.deliver(self.build_message(sticker=sticker))

    async def send_video(self, data: bytes = b"\x00\x00\x00\x18ftypmp42 video", *, duration: int = 3) -> JsonDict:
        """Send a short video."""
        stored = self.server.files.store(data, kind="video", mime_type="video/mp4")
        video = {**stored.media_json(), "width": 640, "height": 480, "duration": duration, "mime_type": "video/mp4"}
        return self.deliver(self.build_message(video=video))

    async def send_voice(self, data: bytes = b"OggS voice", *, duration: int = 2) -> JsonDict:
        """Send a voice note."""
        stored = self.server.files.store(data, kind="voice", mime_type="audio/ogg")
        voice = {**stored.media_json(), "duration": duration, "mime_type": "audio/ogg"}
        return self.deliver(self.build_message(voice=voice))

    async def send_location(self, latitude: float, longitude: float) -> JsonDict:
        """Send a location pin."""
        return self.deliver(self.build_message(location={"latitude": latitude, "longitude": longitude}))

    async def send_contact(self, phone: str, first_name: str | None = None, *, user_id: int | None = None) -> JsonDict:
        """Send a contact; without first_name it is the user's own contact (as a request_contact button)."""
        contact: JsonDict = {"phone_number": phone, "first_name": first_name or self.first_name}
        owner = self.id if first_name is None else user_id
        if owner is not None:
            contact["user_id"] = owner
        return self.deliver(self.build_message(contact=contact))

    async def press(self, button: str, *, message: BotMessage | None = None) -> JsonDict:
        """Press an inline button (text match, see BotMessage.find_button) in message or the latest one having it."""
        target = message or self._latest_with_button(button)
        if target.deleted:
            raise AssertionError(f"{self._label()}: cannot press a button of deleted {target.describe()}")
        return await self.press_data(target.button_data(button), target)

    async def press_data(self, data: str, message: BotMessage) -> JsonDict:
        """Send a callback_query with arbitrary (possibly forged) data for message."""
        query: JsonDict = {
            "id": str(secrets.randbits(63)),
            "from": self.user_json,
            "message": copy.deepcopy(message.raw),
            "chat_instance": str(abs(message.chat_id) * 7919 + 17),
            "data": data,
        }
        self.server.register_callback_query(query["id"], self)
        self.server.enqueue({"callback_query": query})
        return query

    async def block_bot(self) -> JsonDict:
        """Block the bot: further sends to this user fail with 403; emits a my_chat_member update."""
        self.blocked = True
        return self._member_update("member", "kicked")

    async def unblock_bot(self) -> JsonDict:
        """Unblock the bot; emits a my_chat_member update."""
        self.blocked = False
        return self._member_update("kicked", "member")

    # ---- reading callback answers ---------------------------------------------------------

    def add_callback_answer(self, answer: JsonDict) -> None:
        """Record an answerCallbackQuery for one of this user's queries (called by the server)."""
        self.callback_answers.append(answer)
        self.changed()

    async def next_callback_answer(self, timeout: float = EVENT_TIMEOUT) -> JsonDict:
        """Return the next answerCallbackQuery not consumed yet, waiting up to timeout seconds."""
        await self.wait_until(
            lambda: len(self.callback_answers) > self._answers_consumed, timeout, "a callback query answer"
        )
        self._answers_consumed += 1
        return self.callback_answers[self._answers_consumed - 1]

    def _latest_with_button(self, button: str) -> BotMessage:
        for message in reversed(self.inbox):
            if not message.deleted and message.find_button(button) is not None:
                return message
        available = [f"#{m.message_id}: {m.buttons}" for m in self.inbox if m.buttons and not m.deleted]
        raise AssertionError(
            f"{self._label()}: no inline button containing {button!r}; available: {available or 'none'}"
        )

    def _member_update(self, old: str, new: str) -> JsonDict:
        bot = self.server.bot_user
        until = {"until_date": 0} if new == "kicked" else {}
        member = {
            "chat": dict(self.chat),
            "from": self.user_json,
            "date": self.server.now(),
            "old_chat_member": {"user": bot, "status": old, **({"until_date": 0} if old == "kicked" else {})},
            "new_chat_member": {"user": bot, "status": new, **until},
        }
        return self.server.enqueue({"my_chat_member": member})

    # ---- more kinds of updates: venues, polls, edits, channel posts, forwards -------------------

    async def send_venue(
        self, latitude: float, longitude: float, title: str, address: str, *, chat: SimChat | None = None
    ) -> JsonDict:
        """Send a venue (a named place); Telegram gives it a location too."""
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": title, "address": address}
        return self.deliver(self.build_message(chat, location=location, venue=venue))

    async def send_poll(self, question: str, options: list[str], *, chat: SimChat | None = None) -> JsonDict:
        """Send a regular anonymous poll."""
        poll = {
            "id": str(secrets.randbits(63)),
            "question": question,
            "options": [
                {"text": option, "voter_count": 0, "persistent_id": str(number)}
                for number, option in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": True,
            "members_only": False,
        }
        return self.deliver(self.build_message(chat, poll=poll))

    async def edit_sent(self, message: JsonDict, text: str) -> JsonDict:
        """Edit a message this user sent (its text, or its caption): an edited_message update."""
        key = "text" if "text" in message else "caption"
        edited = {k: v for k, v in copy.deepcopy(message).items() if k not in ("entities", "caption_entities")}
        edited |= {key: text, "edit_date": self.server.now()}
        if key == "text" and text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            edited["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        self.server.enqueue({"edited_message": edited})
        return edited

    async def post_in_channel(self, channel_id: int, title: str, text: str, *, edited: bool = False) -> JsonDict:
        """Post (or edit) text in a channel the bot is in, signed by this user: a channel_post update."""
        chat = {"id": channel_id, "type": "channel", "title": title}
        post: JsonDict = {
            "message_id": secrets.randbelow(1_000_000) + 1,
            "date": self.server.now(),
            "chat": chat,
            "sender_chat": chat,
            "author_signature": self.first_name,
            "text": text,
        }
        return self.server.enqueue({"edited_channel_post" if edited else "channel_post": post})

    async def send_forwarded(
        self, origin_name: str, text: str | None = None, *, photo: bytes | None = None, chat: SimChat | None = None
    ) -> JsonDict:
        """Forward someone else's text, or photo with text as caption (its origin: a user hiding their account)."""
        if photo is not None:
            message = self.photo_message(photo, caption=text, chat=chat)
        else:
            message = self.text_message(text or "", chat=chat)
        message["forward_origin"] = {"type": "hidden_user", "sender_user_name": origin_name, "date": self.server.now()}
        return self.deliver(message)
