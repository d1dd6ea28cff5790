"""What WeCom's callbacks carry, parsed into plain values; the XML parser refuses DTDs and entities (defusedxml)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class BadXml(Exception):
    """The body or the decrypted message is not the XML WeCom sends (or carries a DTD, refused outright)."""


@dataclass(frozen=True)
class Inbound:
    """What every callback has: who (the member's userid) and when (WeCom's CreateTime, seconds)."""

    userid: str
    created: int


@dataclass(frozen=True)
class TextMessage(Inbound):
    """A typed message."""

    msg_id: str
    content: str


@dataclass(frozen=True)
class ImageMessage(Inbound):
    """A picture; media_id expires after 3 days, so the callback server stores the bytes at once (sha256)."""

    msg_id: str
    media_id: str
    sha256: str = ""
    extension: str = ""


@dataclass(frozen=True)
class LocationMessage(Inbound):
    """A shared location."""

    msg_id: str
    latitude: float
    longitude: float
    label: str


@dataclass(frozen=True)
class CardPress(Inbound):
    """A press on a template card's button: the key carries the typed action (never trusted by itself)."""

    task_id: str
    key: str
    response_code: str


@dataclass(frozen=True)
class MenuClick(Inbound):
    """A press on the app's menu."""

    key: str


@dataclass(frozen=True)
class OtherMessage(Inbound):
    """Anything else (voice, video, enter_agent ...): kept so the border can answer that it is not understood."""

    msg_type: str
    event: str
    msg_id: str = ""  # a message's (voice, video, file ...) MsgId; events have none


def _parse(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadXml(str(exc)) from exc


def encrypted_part(body: bytes) -> str:
    """The Encrypt field of a callback's POST body."""
    text = _parse(body).findtext("Encrypt")
    if not text:
        raise BadXml("no Encrypt")
    return text


def parse_message(data: bytes) -> Inbound:
    """The decrypted XML of a callback as a plain value; BadXml when it is not a WeCom message."""
    root = _parse(data)

    def field(name: str) -> str:
        return (root.findtext(name) or "").strip()

    userid, created, msg_type = field("FromUserName"), field("CreateTime"), field("MsgType")
    if not userid or not created.isdigit() or not msg_type:
        raise BadXml("FromUserName, CreateTime and MsgType are required")
    head = (userid, int(created))
    try:
        if msg_type == "text":
            return TextMessage(*head, msg_id=field("MsgId"), content=root.findtext("Content") or "")
        if msg_type == "image":
            return ImageMessage(*head, msg_id=field("MsgId"), media_id=field("MediaId"))
        if msg_type == "location":
            return LocationMessage(
                *head,
                msg_id=field("MsgId"),
                latitude=float(field("Location_X")),
                longitude=float(field("Location_Y")),
                label=field("Label"),
            )
    except ValueError as exc:
        raise BadXml(f"bad {msg_type} message") from exc
    event = field("Event")
    if msg_type == "event" and event == "template_card_event":
        return CardPress(*head, task_id=field("TaskId"), key=field("EventKey"), response_code=field("ResponseCode"))
    if msg_type == "event" and event == "click":
        return MenuClick(*head, key=field("EventKey"))
    return OtherMessage(*head, msg_type=msg_type, event=event, msg_id=field("MsgId"))


def delivery_key(message: Inbound) -> str:
    """What makes WeCom's retry of a callback recognisable: MsgId, or (for events, which have none) user + time.

    WeCom's guidance for events is FromUserName + CreateTime; the key of a press is added so two different
    presses within one second are both handled, while a retry (same key) still is not.
    """
    msg_id = getattr(message, "msg_id", "")
    if msg_id:
        return f"msg:{msg_id}"
    key = getattr(message, "key", "") or getattr(message, "event", "")
    return f"event:{message.userid}:{message.created}:{type(message).__name__}:{key}"


class RecentKeys:
    """The delivery keys seen lately, the oldest forgotten first beyond capacity."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self.capacity = capacity

    def first_time(self, key: str) -> bool:
        """Remember key; True unless it was seen before."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        if len(self._keys) > self.capacity:
            self._keys.popitem(last=False)
        return True
