"""What the chat core answers: plain reply values that each channel's border renders in its own form.

The core decides every word, button and photo a person is shown; a border only renders these values (Telegram:
messages, inline and reply keyboards, albums, edits of the pressed message, chat actions, callback answers).
Buttons are bot.domain.notifications.Button: a label and an action encoded by bot/chat/actions.py, the same values
the outbox stores for notifications.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot import texts
from bot.domain.notifications import Button, Message, Pin
from bot.domain.voice import Voice

Rows = list[list[Button]]


def grid(buttons: list[Button], width: int) -> Rows:
    """Buttons in rows of `width`."""
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


@dataclass(frozen=True)
class Shows:
    """The hazard a message shows to a person: the channel records the sent message under its own key, so the core
    can edit it when the hazard moves on and open the hazard when the person replies to it."""

    hazard_id: int
    person_id: int


@dataclass(frozen=True)
class Text:
    """A message, with its buttons. remove_keyboard: the reply keyboard of an earlier question goes away."""

    text: str
    buttons: Rows = field(default_factory=list)
    remove_keyboard: bool = False
    shows: Shows | None = None


@dataclass(frozen=True)
class AskLocation:
    """A question answered by sharing a location (or with the skip word): the channel's location request."""

    text: str
    send_label: str
    skip_label: str


@dataclass(frozen=True)
class Photos:
    """Stored photos by media-store name, one or in albums as the channel allows."""

    names: list[str]


@dataclass(frozen=True)
class VoiceNotes:
    """Stored voice notes (a spoken description, reason or note), each sent as a voice message with its caption."""

    voices: list[Voice]


@dataclass(frozen=True)
class Image:
    """An image made for this answer (the ranking chart), with its caption."""

    data: bytes
    caption: str


@dataclass(frozen=True)
class Document:
    """A file to send, with its caption."""

    path: Path
    caption: str
    filename: str


@dataclass(frozen=True)
class Location:
    """A point on the map; with a title and an address, a named place (Telegram: a venue)."""

    latitude: float
    longitude: float
    title: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ReplaceScreen:
    """Replace the pressed message's text and buttons (paging): no new message."""

    text: str
    buttons: Rows = field(default_factory=list)


@dataclass(frozen=True)
class ReplaceButtons:
    """Replace only the pressed message's buttons (修改 shows the steps to answer again)."""

    buttons: Rows


@dataclass(frozen=True)
class CloseButtons:
    """Remove the pressed message's buttons, so a step's buttons cannot be pressed twice."""


class Activity(StrEnum):
    """What the bot is busy with, shown while a slow answer is prepared."""

    TYPING = "typing"
    UPLOAD_DOCUMENT = "upload_document"
    UPLOAD_PHOTO = "upload_photo"


@dataclass(frozen=True)
class ChatAction:
    """Show that the bot is busy."""

    activity: Activity


@dataclass(frozen=True)
class Toast:
    """The answer to a button press; alert: one the person must close."""

    text: str | None = None
    alert: bool = False


@dataclass(frozen=True)
class OwnerInvite:
    """The invite of a new owner without the bot: the channel makes the link from the code."""

    name: str
    code: str


@dataclass(frozen=True)
class Later:
    """Replies that take a while to make (a chart, a spreadsheet): made when the border reaches this point, so what
    comes before is shown meanwhile, and rendered inside `make`'s context (a file made for them lives until sent).
    busy: what the channel shows the whole time, renewed as needed."""

    make: Callable[[], AbstractAsyncContextManager[list[Reply]]]
    busy: Activity | None = None


@dataclass(frozen=True)
class NotificationsQueued:
    """Notifications were written to the outbox: the channel's dispatcher should look now, not at its next tick."""


Reply = (
    Text
    | AskLocation
    | Photos
    | VoiceNotes
    | Image
    | Document
    | Location
    | ReplaceScreen
    | ReplaceButtons
    | CloseButtons
    | ChatAction
    | Toast
    | OwnerInvite
    | Later
    | NotificationsQueued
)


def pinned(pin: Pin | None) -> list[Reply]:
    """A map pin as a reply (nothing without one)."""
    return [] if pin is None else [Location(pin.latitude, pin.longitude, pin.title, pin.address)]


def from_message(message: Message, person_id: int | None = None) -> list[Reply]:
    """A notification's message as replies: its photos (and image), its map pin, its text with its buttons
    (recorded as showing its hazard to `person_id`, when it shows one), then its voice."""
    pictures = message.photos + ([message.image] if message.image else [])
    shows = Shows(message.hazard_id, person_id) if message.hazard_id is not None and person_id is not None else None
    voices = [VoiceNotes(message.voices)] if message.voices else []
    return [Photos(pictures), *pinned(message.pin), Text(message.text, message.buttons, shows=shows), *voices]


def stale() -> Toast:
    """The answer to a press of an old, forged or already answered button."""
    return Toast(texts.STALE_BUTTON, alert=True)
