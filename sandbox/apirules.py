"""Telegram Bot API wire format and rules for the loopback server: parsing, validation, files, flood control."""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import math
import mimetypes
import re
import secrets
import struct
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

from sandbox.simusers import DocumentInfo, JsonDict, utf16_len

_JSON_FIELDS = frozenset(
    {"reply_markup", "media", "commands", "scope", "entities", "caption_entities", "allowed_updates"}
    | {"reply_parameters", "link_preview_options"}
)
_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "reply_to_message_id", "message_thread_id"}
    | {"cache_time", "user_id", "from_chat_id", "live_period", "heading", "proximity_alert_radius"}
)
_FLOAT_FIELDS = frozenset({"latitude", "longitude", "horizontal_accuracy"})
_BOOL_FIELDS = frozenset(
    {"show_alert", "disable_notification", "protect_content", "drop_pending_updates", "has_spoiler"}
    | {"allow_sending_without_reply", "disable_web_page_preview", "disable_content_type_detection"}
)
_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre"}
    | {"blockquote", "tg-emoji"}
)
_INLINE_ACTIONS = frozenset(
    {"callback_data", "url", "web_app", "login_url", "switch_inline_query", "pay", "copy_text"}
    | {"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "callback_game"}
)
CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice"}
    | {"upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
)
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly"
    " the same as a current content and reply markup of the message"
)
MAX_VOICE_UPLOAD_BYTES = 50 * 1024 * 1024  # sendVoice: "Bots can currently send voice messages of up to 50 MB"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"


class ApiError(Exception):
    """A Telegram-style failure: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def body(self) -> JsonDict:
        """The JSON answer Telegram gives for this error."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class RateLimit:
    """Flood limits enforced on send*/edit* calls (sendChatAction excluded)."""

    global_per_second: float = 30
    per_chat_per_second: float = 1


@dataclass(frozen=True)
class Upload:
    """A file part received in a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class ApiCall:
    """One request the bot made: canonical method name, parsed params, HTTP status and JSON answer."""

    method: str
    params: JsonDict
    status: int
    response: JsonDict
    at: float = 0.0  # time.monotonic() when the request arrived

    @property
    def arrived(self) -> float:
        """time.monotonic() when the request arrived (the same as `at`)."""
        return self.at

    @property
    def result(self) -> Any:
        """The "result" of a successful answer (None on errors)."""
        return self.response.get("result")


@dataclass
class StoredFile:
    """A file held by the server, downloadable at file_path."""

    file_id: str
    file_unique_id: str
    file_path: str
    kind: str  # photo, document, video, voice or sticker
    size: int
    data: bytes = field(repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    photo_sizes: list[JsonDict] | None = field(default=None, repr=False)

    def media_json(self) -> JsonDict:
        """The fields every Telegram file object shares."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": self.size}

    def info(self) -> DocumentInfo:
        """This file as the DocumentInfo tests read from BotMessage.document."""
        return DocumentInfo(self.file_id, self.file_name, self.mime_type, self.data)

    def document_json(self) -> JsonDict:
        """This file as a Telegram Document object."""
        named = {"file_name": self.file_name} if self.file_name else {}
        return {**self.media_json(), **named, "mime_type": self.mime_type or "application/octet-stream"}


class _HtmlText(HTMLParser):
    """Reduces Telegram-flavoured HTML to its plain text, recording the first markup error."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.error = self.error or f'Unsupported start tag "{tag}"'

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unmatched end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self.error = self.error or 'Unexpected "<": escape it as &lt;'
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(unescape(f"&#{name};"))


def _plain(text: str, parse_mode: Any) -> str:
    """Text as Telegram stores it: HTML markup removed; other parse modes are kept verbatim."""
    if not isinstance(parse_mode, str) or parse_mode.upper() != "HTML":
        return text
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    if parser.stack and not parser.error:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    if parser.error:
        raise ApiError(400, f"Bad Request: can't parse entities: {parser.error}")
    return "".join(parser.parts)


def check_text(text: Any, parse_mode: Any) -> str:
    """Validate a message text; return it as Telegram stores it (markup removed)."""
    if not isinstance(text, str) or not text.strip() or not (plain := _plain(text, parse_mode)).strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain) > MAX_TEXT_LENGTH:
        raise ApiError(400, "Bad Request: message is too long")
    return plain


def check_caption(caption: Any, parse_mode: Any) -> str | None:
    """Validate an optional caption; return it as Telegram stores it (None if absent)."""
    if caption is None or caption == "":
        return None
    plain = _plain(str(caption), parse_mode)
    if utf16_len(plain) > MAX_CAPTION_LENGTH:
        raise ApiError(400, "Bad Request: message caption is too long")
    return plain


def check_markup(markup: Any) -> JsonDict | None:
    """Validate reply_markup the way Telegram does; return it unchanged."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard", [])
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Arrays')
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
            raise ApiError(400, "Bad Request: can't parse inline keyboard button: text is required")
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        elif "url" in button:
            if not str(button["url"]).startswith(("http://", "https://", "tg://")):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        elif not any(action in button for action in _INLINE_ACTIONS):
            raise ApiError(
                400,
                "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            )
    return markup


def inline_markup(markup: JsonDict | None) -> JsonDict | None:
    """The part of reply_markup Telegram echoes back in Message objects (inline keyboards only)."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def _convert(key: str, value: Any) -> Any:
    """Decode one form/query value: JSON for known JSON fields, numbers and booleans by name."""
    if not isinstance(value, str):
        return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
    if key in _INT_FIELDS and _INT_RE.fullmatch(value):
        return int(value)
    if key in _FLOAT_FIELDS:
        try:
            return float(value)
        except ValueError:
            raise ApiError(400, f"Bad Request: wrong {key}") from None
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG; a plausible default for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 1280, 960


class _Bucket:
    """Token bucket allowing `rate` operations per second with bursts up to max(1, rate)."""

    def __init__(self, rate: float) -> None:
        self.rate, self.capacity = rate, max(1.0, rate)
        self.tokens, self.stamp = self.capacity, time.monotonic()

    def wait_time(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class FloodControl:
    """Telegram-like flood limits on send*/edit* calls (sendChatAction excluded), off when limit is None."""

    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self.rejected = 0
        self._global = _Bucket(limit.global_per_second) if limit else None
        self._per_chat: dict[str, _Bucket] = {}

    def check(self, method: str, params: JsonDict) -> None:
        """Take one token from the global and the chat bucket, or raise a 429 ApiError."""
        if self.limit is None or self._global is None or method == "sendChatAction":
            return
        if not method.startswith(("send", "edit")):
            return
        chat_key = str(params.get("chat_id"))
        if chat_key not in self._per_chat:
            self._per_chat[chat_key] = _Bucket(self.limit.per_chat_per_second)
        buckets = (self._global, self._per_chat[chat_key])
        wait = max(bucket.wait_time() for bucket in buckets)
        if wait > 0:
            self.rejected += 1
            retry = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        for bucket in buckets:
            bucket.tokens -= 1


class FileStore:
    """In-memory files by file_id and by file_path, shared by bot uploads and simulated users."""

    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def store(
        self,
        data: bytes,
        *,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
        declared_size: int | None = None,
    ) -> StoredFile:
        """Store a file under a fresh file_id; file_unique_id derives from the content."""
        digest = hashlib.sha256(data if declared_size is None else data + b"|%d" % declared_size).digest()
        number = next(self._numbers)
        ext = mimetypes.guess_extension(mime_type or "") or (".jpg" if kind == "photo" else "")
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{kind[:3].upper()}{number}_{secrets.token_urlsafe(18)}",
            file_unique_id="AQAD" + base64.urlsafe_b64encode(digest[:9]).decode(),
            file_path=f"{kind}s/file_{number}{ext}",
            kind=kind,
            size=len(data) if declared_size is None else declared_size,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.by_id[stored.file_id] = self.by_path[stored.file_path] = stored
        return stored

    def store_photo(self, data: bytes, width: int, height: int) -> list[JsonDict]:
        """Store a photo plus a thumbnail; return its PhotoSize list (largest last)."""
        scale = min(1.0, 90 / max(width, height, 1))
        thumb = self.store(b"thumbnail:" + hashlib.sha256(data).digest(), kind="photo", mime_type="image/jpeg")
        full = self.store(data, kind="photo", mime_type="image/jpeg")
        thumb_size = {"width": max(1, round(width * scale)), "height": max(1, round(height * scale))}
        sizes = [{**thumb.media_json(), **thumb_size}, {**full.media_json(), "width": width, "height": height}]
        thumb.photo_sizes = full.photo_sizes = sizes
        return copy.deepcopy(sizes)

    def existing(self, ref: Any, kind: str) -> StoredFile:
        """Resolve a file_id sent by the bot, which must name a stored file of this kind."""
        stored = self.by_id.get(ref) if isinstance(ref, str) else None
        if stored is None:
            raise ApiError(400, WRONG_FILE_ID)
        if stored.kind != kind:
            raise ApiError(400, f"Bad Request: can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored

    def photo_input(self, ref: Any) -> list[JsonDict]:
        """PhotoSize list for a photo the bot sends (upload or file_id)."""
        if isinstance(ref, Upload):
            return self.store_photo(ref.data, *_image_size(ref.data))
        if ref is None or ref == "":
            raise ApiError(400, "Bad Request: there is no photo in the request")
        return copy.deepcopy(self.existing(ref, "photo").photo_sizes or [])

    def voice_input(self, ref: Any) -> StoredFile:
        """Stored file for a voice message the bot sends (upload up to 50 MB, or the file_id of a voice)."""
        if isinstance(ref, Upload):
            if len(ref.data) > MAX_VOICE_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            return self.store(ref.data, kind="voice", file_name=ref.filename, mime_type="audio/ogg")
        if ref is None or ref == "":
            raise ApiError(400, "Bad Request: there is no voice in the request")
        return self.existing(ref, "voice")

    def document_input(self, ref: Any) -> StoredFile:
        """Stored file for a document the bot sends (upload or file_id)."""
        if isinstance(ref, Upload):
            guessed = mimetypes.guess_type(ref.filename or "")[0]
            mime = ref.content_type if ref.content_type not in (None, "application/octet-stream") else guessed
            return self.store(ref.data, kind="document", file_name=ref.filename, mime_type=mime)
        if ref is None or ref == "":
            raise ApiError(400, "Bad Request: there is no document in the request")
        return self.existing(ref, "document")


async def read_params(request: web.Request) -> JsonDict:
    """Parameters of a Bot API request from the query string and a form, multipart or JSON body."""
    raw: JsonDict = dict(request.query)
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: request body must be a JSON object")
            raw.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    with value.file:
                        raw[key] = Upload(value.filename, value.content_type, value.file.read())
                else:
                    raw[key] = value
    return {key: _convert(key, value) for key, value in raw.items()}


def scope_key(scope: Any) -> str:
    """Canonical JSON of a BotCommandScope (default scope when absent), used as a storage key."""
    scope = dict(scope) if isinstance(scope, dict) and scope else {"type": "default"}
    if not isinstance(scope.get("type"), str):
        raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
    for key in ("chat_id", "user_id"):
        if isinstance(scope.get(key), str) and _INT_RE.fullmatch(scope[key]):
            scope[key] = int(scope[key])
    return json.dumps(scope, sort_keys=True)


def check_commands(commands: Any) -> list[JsonDict]:
    """Validate setMyCommands' list of BotCommand; return it normalised."""
    if not isinstance(commands, list) or len(commands) > 100:
        raise ApiError(400, "Bad Request: commands must be an array of at most 100 BotCommand")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in commands]
