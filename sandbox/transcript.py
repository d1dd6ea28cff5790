"""A private chat as the sandbox page shows it: both sides' messages in order, keyboards, menu and chat action."""

from __future__ import annotations

import hashlib
from typing import Any

from sandbox.botapi import BotApiServer
from sandbox.simusers import BotMessage, JsonDict, SimUser

# Where the example county lies; each village gets sample points around a spot derived from its name.
_CENTRE = (28.19, 112.97)


def sample_points(village: str | None) -> list[JsonDict]:
    """Three plausible locations in a village (the page's location picker offers them; no map tiles needed)."""
    digest = hashlib.sha256((village or "").encode()).digest()
    lat = _CENTRE[0] + (digest[0] - 128) / 400
    lon = _CENTRE[1] + (digest[1] - 128) / 400
    offsets = ((0.0, 0.0), (0.0021, -0.0013), (-0.0017, 0.0024))
    return [{"latitude": round(lat + dy, 5), "longitude": round(lon + dx, 5)} for dy, dx in offsets]


def transcript(server: BotApiServer, user: SimUser, sent: list[JsonDict]) -> JsonDict:
    """Everything the page needs to draw this person's chat with the bot."""
    entries: list[tuple[int, JsonDict]] = [(int(raw["message_id"]), _from_person(raw)) for raw in sent]
    entries += [(m.message_id, _from_bot(m)) for m in user.inbox if not m.deleted]
    entries.sort(key=lambda entry: entry[0])
    return {
        "user_id": user.id,
        "messages": [entry for _, entry in entries],
        "keyboard": _reply_keyboard(user.inbox),
        "menu": _menu(server, user.chat_id),
        "actions": len(user.chat_actions),
        "action": user.chat_actions[-1] if user.chat_actions else None,
        "answers": [{"text": a.get("text") or "", "alert": bool(a.get("show_alert"))} for a in user.callback_answers],
    }


def find_bot_message(user: SimUser, message_id: int) -> BotMessage | None:
    """A live message the bot sent to this person, by id."""
    for message in user.inbox:
        if message.message_id == message_id and not message.deleted:
            return message
    return None


def callback_data_of(message: BotMessage) -> set[str]:
    """The callback data of every inline button on a message (what a press may carry)."""
    rows = (message.reply_markup or {}).get("inline_keyboard") or []
    return {str(b["callback_data"]) for row in rows for b in row if isinstance(b, dict) and "callback_data" in b}


def _from_person(raw: JsonDict) -> JsonDict:
    entry: JsonDict = {"id": raw["message_id"], "from": "me", "text": raw.get("text"), "caption": raw.get("caption")}
    if raw.get("photo"):
        entry["photo"] = raw["photo"][-1]["file_id"]
    if raw.get("document"):
        entry["document"] = _document(raw["document"])
    if raw.get("voice"):
        entry["voice"] = {"file_id": raw["voice"]["file_id"], "duration": raw["voice"].get("duration", 0)}
    if raw.get("location"):
        entry["location"] = raw["location"]
    entry["album"] = raw.get("media_group_id")
    return entry


def _from_bot(message: BotMessage) -> JsonDict:
    entry: JsonDict = {
        "id": message.message_id,
        "from": "bot",
        "text": message.text,
        "caption": message.caption,
        "edited": bool(message.history),
        "album": message.media_group_id,
        "buttons": _inline_rows(message.reply_markup),
    }
    if message.photo:
        entry["photo"] = message.photo[-1]
    if (voice := message.raw.get("voice")) is not None:
        entry["voice"] = {"file_id": voice["file_id"], "duration": voice.get("duration", 0)}
    elif message.document is not None:
        raw_document = message.raw.get("document") or {}
        entry["document"] = _document({**raw_document, "file_id": message.document.file_id})
    if message.location:
        entry["location"] = message.location
    return entry


def _document(document: JsonDict) -> JsonDict:
    return {k: document.get(k) for k in ("file_id", "file_name", "mime_type", "file_size")}


def _inline_rows(markup: JsonDict | None) -> list[list[JsonDict]]:
    rows = (markup or {}).get("inline_keyboard") or []
    return [[_inline_button(b) for b in row if isinstance(b, dict)] for row in rows]


def _inline_button(button: JsonDict) -> JsonDict:
    if "callback_data" in button:
        return {"text": button.get("text"), "data": button["callback_data"]}
    return {"text": button.get("text"), "url": button.get("url")}


def _reply_keyboard(inbox: list[BotMessage]) -> list[list[JsonDict]] | None:
    """The reply keyboard in force: the latest message that set or removed one decides."""
    for message in reversed(inbox):
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            return [[_reply_button(b) for b in row] for row in markup["keyboard"]]
        if markup.get("remove_keyboard"):
            return None
    return None


def _reply_button(button: Any) -> JsonDict:
    if isinstance(button, str):
        return {"text": button, "location": False}
    return {"text": str(button.get("text")), "location": bool(button.get("request_location"))}


def _menu(server: BotApiServer, chat_id: int) -> list[JsonDict]:
    """The command menu as setMyCommands left it for this chat (the default scope when none was set)."""
    return server.commands_for({"type": "chat", "chat_id": chat_id}) or server.commands_for(None)
