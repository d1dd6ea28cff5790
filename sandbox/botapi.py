"""Loopback HTTP server speaking the subset of the Telegram Bot API that a PTB Application uses.

Point python-telegram-bot at it with ``base_url=server.base_url`` and ``base_file_url=server.base_file_url``;
drive the bot with simulated users from ``server.user(...)`` / ``server.group(...)``.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from sandbox import apirules as rules
from sandbox.apirules import ApiCall, ApiError, FileStore, FloodControl, RateLimit, StoredFile, Upload
from sandbox.faults import FILE, Faults, Intercept
from sandbox.simusers import BotMessage, JsonDict, Signal, SimChat, SimGroup, SimUser

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiServer",
    "BotMessage",
    "Faults",
    "RateLimit",
    "SimGroup",
    "SimUser",
    "StoredFile",
]

ApiMethod = Callable[[JsonDict], Awaitable[Any]]


class BotApiServer:
    """Loopback Telegram Bot API server plus the simulated users and groups that talk to the bot."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "gridsafe_test_bot",
        *,
        bot_id: int = 123456,
        max_download_bytes: int = 20 * 1024 * 1024,
        rate_limit: RateLimit | None = None,
    ) -> None:
        self.token, self.bot_username, self.bot_id = token, bot_username, bot_id
        self.max_download_bytes, self.rate_limit = max_download_bytes, rate_limit
        self.bot_user: JsonDict = {"id": bot_id, "is_bot": True, "first_name": "GridSafe", "username": bot_username}
        self.calls: list[ApiCall] = []
        self.users: dict[int, SimUser] = {}
        self.groups: dict[int, SimGroup] = {}
        self._chats: dict[int, SimChat] = {}
        self._updates: list[JsonDict] = []
        self.enqueued_at: dict[int, float] = {}  # update_id -> time.monotonic() when it was queued
        self.poll_arrivals: list[float] = []  # time.monotonic() of every getUpdates request, as it arrives
        self._update_ids = itertools.count(1)
        self._updates_signal = Signal()
        self._poll_generation = 0
        self._allowed_updates: list[str] = []
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, Any], JsonDict] = {}  # every live message, by (chat id, message id)
        self._bot_messages: dict[tuple[int, Any], BotMessage] = {}
        self.files = FileStore()
        self.flood = FloodControl(rate_limit)
        self.faults = Faults()  # injected 429s, 5xx, slow answers, time-outs, dropped connections (sandbox/faults.py)
        self._media_group_ids = itertools.count(14_000_000_000_000_001)
        self._queries: dict[str, SimUser] = {}
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._closing = False
        self._methods: dict[str, ApiMethod] = {
            name.removeprefix("_api_"): getattr(self, name) for name in dir(self) if name.startswith("_api_")
        }
        self._canonical = {name.lower(): name for name in self._methods}

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start serving in the running event loop."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        self._closing = False

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._updates_signal.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (0 before start())."""
        return self._port

    @property
    def rejected_429(self) -> int:
        """How many calls flood control refused with 429."""
        return self.flood.rejected

    @property
    def base_url(self) -> str:
        """Value for PTB's base_url (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's base_file_url (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    # ---- test-facing API ------------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str, *, username: str | None = None, language_code: str = "zh-hans"
    ) -> SimUser:
        """The simulated user with this id, created on first use (private chat id == user id)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id not in self.users:
            user = SimUser(self, user_id, first_name, username=username, language_code=language_code)
            self.users[user_id] = user
            self._chats[user_id] = user
        return self.users[user_id]

    def group(self, chat_id: int, title: str) -> SimGroup:
        """The simulated group with this (negative) id, created on first use."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if chat_id not in self.groups:
            self.groups[chat_id] = group = SimGroup(self, chat_id, title)
            self._chats[chat_id] = group
        return self.groups[chat_id]

    def enqueue(self, update: JsonDict) -> JsonDict:
        """Queue an update for getUpdates, assigning the next update_id unless it has one."""
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        self.enqueued_at[update["update_id"]] = time.monotonic()
        self._updates.append(update)
        self._updates_signal.notify()
        return update

    def calls_to(self, method: str) -> list[ApiCall]:
        """Recorded calls of one method (name matched case-insensitively)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def commands_for(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """Commands stored by setMyCommands for exactly this scope and language."""
        return copy.deepcopy(self._commands.get((rules.scope_key(scope), language_code), []))

    def file_bytes(self, file_id: str) -> bytes:
        """Content of a stored file (sent by a user or uploaded by the bot)."""
        return self.files.by_id[file_id].data

    def now(self) -> int:
        """Current Unix time as Telegram reports dates."""
        return int(time.time())

    # ---- state shared with simulated users --------------------------------------------------

    def new_message(self, chat_id: int, sender: JsonDict, content: JsonDict) -> JsonDict:
        """Create and remember a message JSON with the chat's next message id."""
        message_id = self._message_ids.get(chat_id, 0) + 1
        self._message_ids[chat_id] = message_id
        chat = dict(self._chats[chat_id].chat)
        message = {"message_id": message_id, "date": self.now(), "chat": chat, "from": sender, **content}
        self._messages[(chat_id, message_id)] = message
        return message

    def register_callback_query(self, query_id: str, user: SimUser) -> None:
        """Remember who sent a callback query so answerCallbackQuery reaches them."""
        self._queries[query_id] = user

    # ---- HTTP layer -------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        name = request.match_info["method"]
        method = self._canonical.get(name.lower())
        params: JsonDict = {}
        fault: Intercept | None = None
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if method is None:
                raise ApiError(404, "Not Found")
            params = await rules.read_params(request)
            fault = await self.faults.intercept(method, params, request)
            if fault is not None and not fault.carry_out:
                return web.Response()  # the connection is already closed: the client gets no answer
            self.flood.check(method, params)
            status, answer = 200, {"ok": True, "result": await self._methods[method](params)}
        except ApiError as exc:
            status, answer = exc.status, exc.body()
        except Exception as exc:  # a sandbox bug: answer 500 but keep the call on record
            status, answer = 500, {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}
        if fault is not None and not fault.finish(status):
            return web.Response()  # carried out, but the answer is lost (dropped, or the client gave up waiting)
        if request.transport is not None and not request.transport.is_closing():
            # Not recorded: answers nobody receives, such as a long poll the client already abandoned.
            self.calls.append(ApiCall(method or name, params, status, answer, arrived))
        return web.json_response(answer, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            error = ApiError(401, "Unauthorized")
            return web.json_response(error.body(), status=error.status)
        file_path = request.match_info["file_path"]
        try:
            fault = await self.faults.intercept(FILE, {"file_path": file_path}, request)
        except ApiError as exc:
            return web.json_response(exc.body(), status=exc.status)
        if fault is not None and not fault.carry_out:
            return web.Response()  # the connection is already closed: the client gets no answer
        stored = self.files.by_path.get(file_path)
        if stored is None or stored.size > self.max_download_bytes:
            if fault is not None and not fault.finish(404):
                return web.Response()
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        if fault is not None and not fault.finish(200):
            return web.Response()  # served, but the answer is lost (dropped, or the client gave up waiting)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # ---- helpers for the API methods ----------------------------------------------------------

    def _chat(self, params: JsonDict) -> SimChat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if isinstance(chat, SimUser) and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _bot_message(
        self, chat: SimChat, method: str, params: JsonDict, content: JsonDict, document: StoredFile | None = None
    ) -> JsonDict:
        """Create a message from the bot in chat, deliver it to the simulated chat and return its JSON."""
        raw = self.new_message(chat.chat_id, self.bot_user, content)
        markup = params.get("reply_markup")
        if (inline := rules.inline_markup(markup)) is not None:
            raw["reply_markup"] = inline
        reply_to = params.get("reply_to_message_id")
        if isinstance(params.get("reply_parameters"), dict):
            reply_to = params["reply_parameters"].get("message_id")
        if (replied := self._messages.get((chat.chat_id, reply_to))) is not None:
            raw["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
        message = BotMessage(
            message_id=raw["message_id"],
            chat_id=chat.chat_id,
            method=method,
            raw=raw,
            text=content.get("text"),
            caption=content.get("caption"),
            parse_mode=params.get("parse_mode"),
            source=params.get("text", params.get("caption")),
            reply_markup=markup,
            photo=[size["file_id"] for size in content.get("photo", [])],
            document=document.info() if document else None,
            voice_seconds=content["voice"]["duration"] if "voice" in content else None,
            media_group_id=content.get("media_group_id"),
            location=content.get("location"),
            venue=content.get("venue"),
            reply_to_message_id=reply_to if "reply_to_message" in raw else None,
        )
        self._bot_messages[(chat.chat_id, message.message_id)] = message
        chat.receive(message)
        return raw

    def _editable(self, params: JsonDict) -> BotMessage:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by this sandbox")
        key = (self._chat(params).chat_id, params.get("message_id"))
        message = self._bot_messages.get(key)
        if message is None or message.deleted:
            if key in self._messages:
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _edit(self, message: BotMessage, params: JsonDict, changes: JsonDict) -> JsonDict:
        """Apply an edit (content changes plus reply_markup, absent = removed), keeping history."""
        markup = rules.check_markup(params.get("reply_markup"))
        before = (message.text, message.caption, message.source, message.raw.get("reply_markup"))
        after_source = params.get("text", params.get("caption")) if changes else message.source
        after = (
            changes.get("text", message.text),
            changes.get("caption", message.caption),
            after_source,
            rules.inline_markup(markup),
        )
        if before == after:
            raise ApiError(400, rules.NOT_MODIFIED)
        message.history.append(message.snapshot())
        for name, value in changes.items():
            setattr(message, name, value)
            if value is None:
                message.raw.pop(name, None)
            else:
                message.raw[name] = value
        if changes:
            message.source, message.parse_mode = after_source, params.get("parse_mode")
        message.reply_markup = markup
        message.raw.pop("reply_markup", None)
        if after[3] is not None:
            message.raw["reply_markup"] = after[3]
        message.raw["edit_date"] = self.now()
        self._chats[message.chat_id].changed()
        return message.raw

    # ---- Bot API methods (the name after _api_ is the canonical Telegram method name) --------

    async def _api_getMe(self, params: JsonDict) -> JsonDict:
        flags = {"can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        return {**self.bot_user, **flags}

    async def _api_getUpdates(self, params: JsonDict) -> list[JsonDict]:
        self.poll_arrivals.append(time.monotonic())
        try:
            offset, limit = int(params.get("offset") or 0), min(max(int(params.get("limit") or 100), 1), 100)
            timeout = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: wrong offset, limit or timeout") from None
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in params["allowed_updates"]]
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.notify()  # a newer poll terminates older ones, as on Telegram

        def ready() -> bool:
            return self._closing or generation != self._poll_generation or bool(self._deliverable())

        await self._updates_signal.wait_for(ready, timeout)
        if generation != self._poll_generation and not self._closing:
            raise ApiError(409, "Conflict: terminated by other getUpdates request")
        return self._deliverable()[:limit]

    def confirmed(self, update_id: int) -> bool:
        """Whether the bot has confirmed the update (a getUpdates with a higher offset): it is never handed out again."""
        return all(update["update_id"] != update_id for update in self._updates)

    def _deliverable(self) -> list[JsonDict]:
        if self._allowed_updates:
            allowed = set(self._allowed_updates) | {"update_id"}
            self._updates = [u for u in self._updates if set(u) <= allowed]
        return self._updates

    async def _api_deleteWebhook(self, params: JsonDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: JsonDict) -> JsonDict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _api_logOut(self, params: JsonDict) -> bool:
        return True

    async def _api_close(self, params: JsonDict) -> bool:
        return True

    async def _api_setMyCommands(self, params: JsonDict) -> bool:
        commands = rules.check_commands(params.get("commands"))
        self._commands[(rules.scope_key(params.get("scope")), str(params.get("language_code") or ""))] = commands
        return True

    async def _api_getMyCommands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands_for(params.get("scope"), str(params.get("language_code") or ""))

    async def _api_deleteMyCommands(self, params: JsonDict) -> bool:
        self._commands.pop((rules.scope_key(params.get("scope")), str(params.get("language_code") or "")), None)
        return True

    async def _api_sendMessage(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        text = rules.check_text(params.get("text"), params.get("parse_mode"))
        rules.check_markup(params.get("reply_markup"))
        return self._bot_message(chat, "sendMessage", params, {"text": text})

    async def _api_sendPhoto(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        caption = rules.check_caption(params.get("caption"), params.get("parse_mode"))
        rules.check_markup(params.get("reply_markup"))
        content: JsonDict = {"photo": self.files.photo_input(params.get("photo"))}
        if caption is not None:
            content["caption"] = caption
        return self._bot_message(chat, "sendPhoto", params, content)

    async def _api_sendDocument(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        caption = rules.check_caption(params.get("caption"), params.get("parse_mode"))
        rules.check_markup(params.get("reply_markup"))
        stored = self.files.document_input(params.get("document"))
        content: JsonDict = {"document": stored.document_json()}
        if caption is not None:
            content["caption"] = caption
        return self._bot_message(chat, "sendDocument", params, content, stored)

    async def _api_sendVoice(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        caption = rules.check_caption(params.get("caption"), params.get("parse_mode"))
        rules.check_markup(params.get("reply_markup"))
        stored = self.files.voice_input(params.get("voice"))
        duration = params.get("duration")
        voice: JsonDict = {**stored.media_json(), "duration": int(duration or 0), "mime_type": "audio/ogg"}
        content: JsonDict = {"voice": voice}
        if caption is not None:
            content["caption"] = caption
        return self._bot_message(chat, "sendVoice", params, content, stored)

    async def _api_sendMediaGroup(self, params: JsonDict) -> list[JsonDict]:
        chat = self._chat(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media in the group: must be between 2 and 10")
        if not all(isinstance(item, dict) for item in media):
            raise ApiError(400, "Bad Request: can't parse InputMedia JSON object")
        kinds = {item.get("type") for item in media}
        if not kinds <= {"photo", "document"} or (len(kinds) > 1 and "document" in kinds):
            raise ApiError(400, "Bad Request: only photo albums or document albums are supported")
        group_id = str(next(self._media_group_ids))
        prepared: list[tuple[JsonDict, JsonDict, StoredFile | None]] = []
        for item in media:
            caption = rules.check_caption(item.get("caption"), item.get("parse_mode"))
            ref = item.get("media")
            if isinstance(ref, str) and ref.startswith("attach://"):
                ref = params.get(ref.removeprefix("attach://"))
                if not isinstance(ref, Upload):
                    raise ApiError(400, rules.WRONG_FILE_ID)
            stored = self.files.document_input(ref) if item["type"] == "document" else None
            content: JsonDict = {"document": stored.document_json()} if stored else {}
            if stored is None:
                content["photo"] = self.files.photo_input(ref)
            content["media_group_id"] = group_id
            if caption is not None:
                content["caption"] = caption
            item_params = {k: v for k, v in params.items() if k in ("reply_to_message_id", "reply_parameters")}
            item_params |= {k: item[k] for k in ("caption", "parse_mode") if k in item}
            prepared.append((item_params, content, stored))
        return [self._bot_message(chat, "sendMediaGroup", p, c, s) for p, c, s in prepared]

    @staticmethod
    def _location(params: JsonDict) -> JsonDict:
        latitude, longitude = params.get("latitude"), params.get("longitude")
        if not isinstance(latitude, float | int) or not -90 <= latitude <= 90:
            raise ApiError(400, "Bad Request: wrong latitude")
        if not isinstance(longitude, float | int) or not -180 <= longitude <= 180:
            raise ApiError(400, "Bad Request: wrong longitude")
        return {"latitude": float(latitude), "longitude": float(longitude)}

    async def _api_sendLocation(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        location = self._location(params)
        rules.check_markup(params.get("reply_markup"))
        return self._bot_message(chat, "sendLocation", params, {"location": location})

    async def _api_sendVenue(self, params: JsonDict) -> JsonDict:
        chat = self._chat(params)
        location = self._location(params)
        title, address = params.get("title"), params.get("address")
        if not isinstance(title, str) or not title.strip():
            raise ApiError(400, "Bad Request: venue title is empty")
        if not isinstance(address, str) or not address.strip():
            raise ApiError(400, "Bad Request: venue address is empty")
        rules.check_markup(params.get("reply_markup"))
        venue = {"location": location, "title": title, "address": address}
        return self._bot_message(chat, "sendVenue", params, {"location": location, "venue": venue})

    async def _api_sendChatAction(self, params: JsonDict) -> bool:
        chat = self._chat(params)
        if params.get("action") not in rules.CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        chat.chat_actions.append(str(params["action"]))
        chat.changed()
        return True

    async def _api_editMessageText(self, params: JsonDict) -> JsonDict:
        message = self._editable(params)
        text = rules.check_text(params.get("text"), params.get("parse_mode"))
        if message.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._edit(message, params, {"text": text})

    async def _api_editMessageCaption(self, params: JsonDict) -> JsonDict:
        message = self._editable(params)
        caption = rules.check_caption(params.get("caption"), params.get("parse_mode"))
        if message.text is not None or message.location is not None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        return self._edit(message, params, {"caption": caption})

    async def _api_editMessageReplyMarkup(self, params: JsonDict) -> JsonDict:
        return self._edit(self._editable(params), params, {})

    async def _api_deleteMessage(self, params: JsonDict) -> bool:
        chat = self._chat(params)
        key = (chat.chat_id, params.get("message_id"))
        if self._messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if (message := self._bot_messages.get(key)) is not None:
            message.deleted = True
            chat.changed()
        return True

    async def _api_answerCallbackQuery(self, params: JsonDict) -> bool:
        user = self._queries.pop(str(params.get("callback_query_id", "")), None)
        if user is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        answer = {key: params.get(key) for key in ("callback_query_id", "text", "url", "cache_time")}
        user.add_callback_answer({**answer, "show_alert": bool(params.get("show_alert", False))})
        return True

    async def _api_getFile(self, params: JsonDict) -> JsonDict:
        stored = self.files.by_id.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, rules.WRONG_FILE_ID)
        if stored.size > self.max_download_bytes:
            raise ApiError(400, "Bad Request: file is too big")
        return {**stored.media_json(), "file_path": stored.file_path}
