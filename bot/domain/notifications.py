"""A notification to a person: plain values the outbox stores and the dispatcher turns into each channel's calls."""

from __future__ import annotations

from enum import IntEnum

from pydantic import BaseModel, ConfigDict

from bot.domain.voice import Voice


class Button(BaseModel):
    """A button: its label and its action, encoded by bot/chat/actions.py (the one codec of button data)."""

    model_config = ConfigDict(frozen=True)

    text: str
    data: str


class SentKey(BaseModel):
    """A message the bot sent: its channel, chat and the channel's own key of it (Telegram: the message_id)."""

    model_config = ConfigDict(frozen=True)

    channel: str
    chat_id: int
    key: str


class Pin(BaseModel):
    """A point on the map with its name (Telegram: a venue), sent with a hazard's card so it opens in a map app."""

    model_config = ConfigDict(frozen=True)

    latitude: float
    longitude: float
    title: str  # the place
    address: str  # the town and village


class Message(BaseModel):
    """What a person receives: photos first (one photo or an album), then the text with its buttons, then the voice
    notes the text stands for (a spoken description, reason or note)."""

    model_config = ConfigDict(frozen=True)

    text: str
    # Stored photos by media-store name (Photo.name); sent as photos however they arrived. A name that is not a
    # media-store name is taken as a Telegram photo file_id.
    photos: list[str] = []
    image: str | None = None  # a file of the media store (e.g. the ranking chart), sent as a photo before the text
    pin: Pin | None = None  # the hazard's location, sent after the photos and before the text
    buttons: list[list[Button]] = []
    # The hazard it shows: the sent message is recorded (storage/card_messages.py) so it can be edited when the
    # hazard moves on, and a reply to it opens the hazard.
    hazard_id: int | None = None
    # Edit this earlier message of the recipient's chat (its channel key) into this text and buttons, instead of
    # sending a new one; photos are not sent again. keep_text: only its buttons are replaced (with these).
    edit: str | None = None
    keep_text: bool = False
    voices: list[Voice] = []


class Priority(IntEnum):
    """Which waiting notification goes first, in each chat and across chats."""

    ROUTINE = 0  # reminders, updates, the ranking
    PROMPT = 1  # someone must act on it now: a new hazard for the supervisors to triage
    URGENT = 2  # major-hazard alerts (every urgent notification)


class Notification(BaseModel):
    """A message for one person, sent at most once per dedupe key."""

    model_config = ConfigDict(frozen=True)

    person_id: int
    dedupe_key: str
    message: Message
    urgent: bool = False  # major-hazard alerts ignore quiet hours
    subject: str | None = None  # reminders only: what they are about, so they are cancelled once it is done
    priority: Priority = Priority.ROUTINE
    everywhere: bool = False  # must not be missed: sent on every channel the person is on (bot/domain/routing.py)

    @property
    def must_not_miss(self) -> bool:
        """Whether it goes to every channel the person is on: major-hazard alerts and deadline alarms."""
        return self.urgent or self.everywhere

    @property
    def rank(self) -> Priority:
        """The priority it is sent with: an urgent notification is always urgent."""
        return Priority.URGENT if self.urgent else self.priority
