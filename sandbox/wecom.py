"""Loopback WeCom (企业微信) API server and simulated WeCom members who send signed, encrypted callbacks.

It behaves like WeCom where GridSafe depends on it: access tokens that expire after 7,200 s (on an injected clock),
40014/42001 on demand, message/send with its byte and button limits, one-use card response codes, media that expire
after 3 days, and the per-member rule (30 messages a minute, 1,000 an hour per member per app) which WeCom enforces
by dropping messages SILENTLY: the answer is "ok", so the server counts drops for tests and the benchmark to see.
Error codes are WeCom's where documented; the limits are in the constants below.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

from bot.clock import Clock, SystemClock
from handlers.wecom.crypto import CallbackCrypto, envelope

JsonDict = dict[str, Any]
_MSG_IDS = itertools.count(7_000_000_000_000_000_001)  # the MsgIds of members' messages, unique in the process

TOKEN_TTL = timedelta(seconds=7200)
MEDIA_TTL = timedelta(days=3)
RESPONSE_CODE_TTL = timedelta(hours=72)
TEXT_MAX_BYTES = 2048
CARD_MAX_BUTTONS = 6
BUTTON_KEY_MAX_BYTES = 1024
TASK_ID_MAX_BYTES = 128
PER_MINUTE = 30
PER_HOUR = 1000
EVENT_TIMEOUT = 20.0  # seconds a simulated member waits for an answer (a bound on waiting, as sandbox/simusers.py's)
MEDIA_MAX_BYTES = {"image": 10 * 1024 * 1024, "file": 20 * 1024 * 1024}

OK = 0
INVALID_SECRET = 40001
INVALID_MEDIA_ID = 40007
INVALID_MEDIA_SIZE = 40009
INVALID_CORP_ID = 40013
INVALID_TOKEN = 40014
INVALID_AGENT = 40056
INVALID_PARAMETER = 40058
MISSING_TOKEN = 41001
EXPIRED_TOKEN = 42001
CONTENT_TOO_LONG = 45002
API_FREQUENCY = 45009  # calls of an API beyond WeCom's frequency limit
SYSTEM_BUSY = -1
ALL_RECEIVERS_INVALID = 81013  # every touser is unknown or outside the app's visible range
INVALID_RESPONSE_CODE = 40097  # the sandbox's choice for a used or expired response_code


@dataclass(frozen=True)
class WeComCall:
    """One request to the server: path, query, JSON body (or upload summary), the JSON answer and the clock's time."""

    path: str
    query: dict[str, str]
    body: JsonDict
    response: JsonDict
    at: datetime

    @property
    def errcode(self) -> int:
        """WeCom's errcode of the answer."""
        return int(self.response.get("errcode", 0))


@dataclass(frozen=True)
class Delivered:
    """A message WeCom accepted and delivered to one member (or a card of theirs updated: "update_template_card")."""

    touser: str
    msgtype: str
    body: JsonDict
    msgid: str
    at: datetime
    response_code: str = ""  # a card's: what a press on it carries back

    @property
    def card(self) -> JsonDict:
        """The template card sent or put in place (empty for other messages, or a buttons-only update)."""
        card = self.body.get("template_card")
        return card if isinstance(card, dict) else {}

    @property
    def text(self) -> str:
        """What the member reads: a text's content, a card's title and text; a buttons-only update's new label."""
        if self.msgtype == "text":
            return str(self.body["text"]["content"])
        if self.card:
            title = str((self.card.get("main_title") or {}).get("title", ""))
            return "\n".join(part for part in (title, str(self.card.get("sub_title_text", ""))) if part)
        if isinstance(self.body.get("button"), dict):
            return str(self.body["button"].get("replace_name", ""))
        return ""

    @property
    def buttons(self) -> dict[str, str]:
        """A card's buttons: label -> key."""
        return {str(b["text"]): str(b["key"]) for b in self.card.get("button_list", [])}

    @property
    def task_id(self) -> str:
        """A card's task_id."""
        return str(self.card.get("task_id", ""))


@dataclass
class _Media:
    kind: str
    data: bytes
    filename: str
    content_type: str
    created: datetime


@dataclass
class _Window:
    """One member's accepted messages within the last hour (arrival times), for the per-member rule."""

    times: deque[datetime] = field(default_factory=deque)


def _fail(errcode: int, errmsg: str) -> JsonDict:
    return {"errcode": errcode, "errmsg": errmsg}


class WeComServer:
    """Loopback WeCom API on 127.0.0.1; `member(...)` gives simulated people who call back GridSafe."""

    def __init__(
        self,
        *,
        corp_id: str = "wwgridsafe0000001",
        secret: str = "sandbox-wecom-secret",
        agent_id: int = 1000002,
        token: str = "sandboxtoken",
        encoding_aes_key: str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        clock: Clock | None = None,
    ) -> None:
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.crypto = CallbackCrypto(token, encoding_aes_key, corp_id)
        self.clock: Clock = clock or SystemClock()
        self.calls: list[WeComCall] = []
        self.delivered: list[Delivered] = []
        self.dropped: list[Delivered] = []  # over the per-member rule: answered "ok", never delivered
        self.callback_url = ""
        self.members: set[str] | None = None  # the app's visible range; None: every userid is a member
        self.watchers: list[Callable[[Delivered], object]] = []  # told of every message a member gets (sandbox page)
        self._tokens: dict[str, datetime] = {}  # access_token -> expiry
        self._forced: deque[int] = deque()
        self._refusals: deque[int] = deque()
        self._media: dict[str, _Media] = {}
        self._response_codes: dict[str, datetime] = {}  # unused card response codes -> when issued
        self._task_ids: set[str] = set()
        self._windows: dict[str, _Window] = {}
        self._msgids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._inboxes: dict[str, list[Delivered]] = {}  # per member: deliveries and updates of their cards, in order
        self._arrived = asyncio.Event()

    # ---- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve in the running event loop."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/message/send", self._send)
        app.router.add_post("/cgi-bin/message/update_template_card", self._update_card)
        app.router.add_post("/cgi-bin/media/upload", self._upload)
        app.router.add_get("/cgi-bin/media/get", self._media_get)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Shut the server down."""
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
    def base_url(self) -> str:
        """What `wecom.api_base_url` points at (WeCom's is https://qyapi.weixin.qq.com)."""
        return f"http://127.0.0.1:{self._port}"

    # ---- test controls --------------------------------------------------------------------

    def fail_next(self, errcode: int) -> None:
        """The next call carrying an access_token answers errcode (40014 or 42001) and that token stops working."""
        self._forced.append(errcode)

    def refuse_next(self, errcode: int) -> None:
        """The next message/send answers errcode (e.g. 45009, -1) and delivers nothing."""
        self._refusals.append(errcode)

    def forget_media(self) -> None:
        """Every uploaded medium is gone (as after 3 days, or for another app): their media_ids answer 40007."""
        self._media.clear()

    def calls_to(self, path: str) -> list[WeComCall]:
        """The calls to one API path, e.g. "message/send"."""
        return [call for call in self.calls if call.path == f"/cgi-bin/{path}"]

    def delivered_to(self, userid: str) -> list[Delivered]:
        """What one member received, in order."""
        return [message for message in self.delivered if message.touser == userid]

    def media_bytes(self, media_id: str) -> bytes:
        """The bytes of an uploaded medium (expired or not)."""
        return self._media[media_id].data

    def put_media(self, data: bytes, kind: str = "image", filename: str = "photo.jpg") -> str:
        """Store a medium as if a member had sent it (what an image callback's MediaId refers to)."""
        media_id = f"{kind[0]}{secrets.token_hex(16)}"
        self._media[media_id] = _Media(
            kind, data, filename, "image/jpeg" if kind == "image" else "application/octet-stream", self.clock.now()
        )
        return media_id

    def member(self, userid: str) -> WeComMember:
        """A simulated person of this corp, who sends callbacks to callback_url."""
        return WeComMember(self, userid)

    # ---- handlers -------------------------------------------------------------------------

    def _record(self, request: web.Request, body: JsonDict, response: JsonDict) -> web.Response:
        self.calls.append(WeComCall(request.path, dict(request.query), body, response, self.clock.now()))
        return web.json_response(response)

    def inbox(self, userid: str) -> list[Delivered]:
        """What one member has seen, in order: messages delivered and updates of their cards."""
        return self._inboxes.get(userid, [])

    def _arrive(self, message: Delivered) -> None:
        self._inboxes.setdefault(message.touser, []).append(message)
        for watcher in self.watchers:
            watcher(message)
        self._arrived.set()
        self._arrived = asyncio.Event()

    async def until(self, condition: Callable[[], bool], timeout: float = EVENT_TIMEOUT) -> bool:
        """Wait until condition holds, re-checked at each delivery or update (False once timeout seconds pass)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            left = deadline - loop.time()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                return condition()
        return True

    def _token_error(self, request: web.Request) -> JsonDict | None:
        token = request.query.get("access_token", "")
        if not token:
            return _fail(MISSING_TOKEN, "access_token missing")
        if self._forced:
            code = self._forced.popleft()
            self._tokens.pop(token, None)
            return _fail(code, "access_token expired" if code == EXPIRED_TOKEN else "invalid access_token")
        expiry = self._tokens.get(token)
        if expiry is None:
            return _fail(INVALID_TOKEN, "invalid access_token")
        if self.clock.now() >= expiry:
            return _fail(EXPIRED_TOKEN, "access_token expired")
        return None

    async def _gettoken(self, request: web.Request) -> web.Response:
        if request.query.get("corpid") != self.corp_id:
            return self._record(request, {}, _fail(INVALID_CORP_ID, "invalid corpid"))
        if request.query.get("corpsecret") != self.secret:
            return self._record(request, {}, _fail(INVALID_SECRET, "invalid credential"))
        token = secrets.token_urlsafe(48)
        self._tokens[token] = self.clock.now() + TOKEN_TTL
        answer = {"errcode": OK, "errmsg": "ok", "access_token": token, "expires_in": int(TOKEN_TTL.total_seconds())}
        return self._record(request, {}, answer)

    async def _json_body(self, request: web.Request) -> JsonDict | None:
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    async def _send(self, request: web.Request) -> web.Response:
        body = await self._json_body(request)
        if body is None:
            return self._record(request, {}, _fail(INVALID_PARAMETER, "invalid json"))
        if (error := self._token_error(request)) is not None:
            return self._record(request, body, error)
        if str(body.get("agentid")) != str(self.agent_id):
            return self._record(request, body, _fail(INVALID_AGENT, "invalid agentid"))
        if self._refusals:
            refusal = self._refusals.popleft()
            return self._record(request, body, _fail(refusal, "refused on request"))
        msgtype = body.get("msgtype")
        error = self._check_message(msgtype, body)
        if error is not None:
            return self._record(request, body, error)
        users = [user for user in str(body.get("touser", "")).split("|") if user]
        if not users:
            return self._record(request, body, _fail(INVALID_PARAMETER, "touser empty"))
        invalid = [user for user in users if self.members is not None and user.lower() not in self.members]
        if len(invalid) == len(users):
            return self._record(request, body, _fail(ALL_RECEIVERS_INVALID, "user & party & tag all invalid"))
        users = [user for user in users if user not in invalid]
        msgid = f"msg{next(self._msgids)}"
        answer: JsonDict = {"errcode": OK, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": msgid}
        code = ""
        if msgtype == "template_card":
            code = secrets.token_urlsafe(24)
            self._response_codes[code] = self.clock.now()
            self._task_ids.add(str(body["template_card"]["task_id"]))
            answer["response_code"] = code
        now = self.clock.now()
        for user in users:
            message = Delivered(user, str(msgtype), body, msgid, now, code)
            if self._admit(user, now):
                self.delivered.append(message)
                self._arrive(message)
            else:
                self.dropped.append(message)
        return self._record(request, body, answer)

    def _admit(self, user: str, now: datetime) -> bool:
        """WeCom's per-member rule: within any minute 30, within any hour 1,000; beyond, the message is dropped."""
        window = self._windows.setdefault(user, _Window())
        while window.times and window.times[0] <= now - timedelta(hours=1):
            window.times.popleft()
        last_minute = sum(1 for moment in window.times if moment > now - timedelta(minutes=1))
        if last_minute >= PER_MINUTE or len(window.times) >= PER_HOUR:
            return False
        window.times.append(now)
        return True

    def _check_message(self, msgtype: object, body: JsonDict) -> JsonDict | None:
        if msgtype == "text":
            content = str((body.get("text") or {}).get("content", ""))
            if not content:
                return _fail(INVALID_PARAMETER, "empty content")
            if len(content.encode()) > TEXT_MAX_BYTES:
                return _fail(CONTENT_TOO_LONG, f"content size out of limit ({TEXT_MAX_BYTES} bytes)")
            return None
        if msgtype in ("image", "file"):
            media_id = str((body.get(str(msgtype)) or {}).get("media_id", ""))
            if not self._live_media(media_id):
                return _fail(INVALID_MEDIA_ID, "invalid media_id")
            return None
        if msgtype == "template_card":
            return self._check_card(body.get("template_card"))
        return _fail(INVALID_PARAMETER, f"unsupported msgtype {msgtype!r}")

    def _check_card(self, card: object) -> JsonDict | None:
        if not isinstance(card, dict) or card.get("card_type") != "button_interaction":
            return _fail(INVALID_PARAMETER, "template_card must be a button_interaction card")
        task_id = str(card.get("task_id", ""))
        if not task_id or len(task_id.encode()) > TASK_ID_MAX_BYTES or task_id in self._task_ids:
            return _fail(INVALID_PARAMETER, "task_id missing, too long or used before")
        if not all(c.isascii() and (c.isalnum() or c in "_-@") for c in task_id):
            return _fail(INVALID_PARAMETER, "task_id may hold letters, digits and _-@ only")
        buttons = card.get("button_list")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= CARD_MAX_BUTTONS:
            return _fail(INVALID_PARAMETER, f"button_list needs 1 to {CARD_MAX_BUTTONS} buttons")
        keys = [str(button.get("key", "")) if isinstance(button, dict) else "" for button in buttons]
        if any(not key or len(key.encode()) > BUTTON_KEY_MAX_BYTES for key in keys) or len(set(keys)) != len(keys):
            return _fail(INVALID_PARAMETER, f"button keys must be distinct, 1 to {BUTTON_KEY_MAX_BYTES} bytes")
        return None

    async def _update_card(self, request: web.Request) -> web.Response:
        body = await self._json_body(request)
        if body is None:
            return self._record(request, {}, _fail(INVALID_PARAMETER, "invalid json"))
        if (error := self._token_error(request)) is not None:
            return self._record(request, body, error)
        code = str(body.get("response_code", ""))
        issued = self._response_codes.pop(code, None)  # one use: gone whatever happens next
        if issued is None or self.clock.now() - issued > RESPONSE_CODE_TTL:
            return self._record(request, body, _fail(INVALID_RESPONSE_CODE, "response_code used or expired"))
        card = body.get("template_card")
        if card is not None:
            if not isinstance(card, dict):
                return self._record(request, body, _fail(INVALID_PARAMETER, "template_card"))
            buttons = card.get("button_list", [])
            if not isinstance(buttons, list) or len(buttons) > CARD_MAX_BUTTONS:
                return self._record(request, body, _fail(INVALID_PARAMETER, "too many buttons"))
        elif not isinstance(body.get("button"), dict):
            return self._record(request, body, _fail(INVALID_PARAMETER, "button or template_card needed"))
        for user in body.get("userids") or []:
            self._arrive(Delivered(str(user), "update_template_card", body, "", self.clock.now(), code))
        return self._record(request, body, {"errcode": OK, "errmsg": "ok", "invaliduser": []})

    def _live_media(self, media_id: str) -> _Media | None:
        media = self._media.get(media_id)
        if media is None or self.clock.now() - media.created >= MEDIA_TTL:
            return None
        return media

    async def _upload(self, request: web.Request) -> web.Response:
        kind = request.query.get("type", "")
        if (error := self._token_error(request)) is not None:
            return self._record(request, {"type": kind}, error)
        if kind not in MEDIA_MAX_BYTES:
            return self._record(request, {"type": kind}, _fail(INVALID_PARAMETER, "invalid media type"))
        data, filename, content_type = b"", "", "application/octet-stream"
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if isinstance(part, aiohttp.BodyPartReader) and part.name == "media":
                data = await part.read()
                filename = part.filename or ""
                content_type = part.headers.get("Content-Type", content_type)
        summary = {"type": kind, "filename": filename, "bytes": len(data)}
        if not data or len(data) > MEDIA_MAX_BYTES[kind]:
            return self._record(request, summary, _fail(INVALID_MEDIA_SIZE, "invalid media size"))
        media_id = f"{kind[0]}{secrets.token_hex(16)}"
        now = self.clock.now()
        self._media[media_id] = _Media(kind, data, filename, content_type, now)
        answer = {
            "errcode": OK,
            "errmsg": "ok",
            "type": kind,
            "media_id": media_id,
            "created_at": str(int(now.timestamp())),
        }
        return self._record(request, summary, answer)

    async def _media_get(self, request: web.Request) -> web.Response:
        media_id = request.query.get("media_id", "")
        if (error := self._token_error(request)) is not None:
            return self._record(request, {"media_id": media_id}, error)
        media = self._live_media(media_id)
        if media is None:
            return self._record(request, {"media_id": media_id}, _fail(INVALID_MEDIA_ID, "invalid media_id"))
        self.calls.append(
            WeComCall(request.path, dict(request.query), {"media_id": media_id}, {"errcode": OK}, self.clock.now())
        )
        headers = {"Content-Disposition": f'attachment; filename="{media.filename}"'}
        return web.Response(body=media.data, content_type=media.content_type, headers=headers)


@dataclass(frozen=True)
class CallbackResult:
    """How GridSafe's callback URL answered one delivery: HTTP status, body, and the time it took."""

    status: int
    body: str
    seconds: float


class WeComMember:
    """A simulated member who writes to the app: each message is a signed, encrypted callback to callback_url."""

    def __init__(self, server: WeComServer, userid: str) -> None:
        self.server, self.userid = server, userid
        self.consumed = 0  # messages of the inbox read by next_message

    async def send(self, content: str) -> CallbackResult:
        """Type a text message."""
        return (await self.deliver(self.text(content)))[0]

    async def send_image(self, data: bytes) -> CallbackResult:
        """Send a picture."""
        return (await self.deliver(self.image(data)))[0]

    async def send_location(self, latitude: float, longitude: float, label: str = "") -> CallbackResult:
        """Share a location."""
        return (await self.deliver(self.location(latitude, longitude, label)))[0]

    async def press(self, label: str, card: Delivered | None = None) -> CallbackResult:
        """Press the button with this label on card (by default the latest card showing it)."""
        card = card or self.latest_card(label)
        return (await self.deliver(self.card_press(card.buttons[label], card.task_id, card.response_code)))[0]

    def latest_card(self, label: str) -> Delivered:
        """The member's latest card with a button of this label."""
        for message in reversed(self.server.inbox(self.userid)):
            if label in message.buttons:  # a card sent, or put in place by an update
                return message
        raise AssertionError(f"{self.userid}: no card with a button {label!r}")

    async def next_message(self, timeout: float = EVENT_TIMEOUT) -> Delivered:
        """The next message (or card update) not read yet, waiting up to timeout seconds."""
        inbox = self.server.inbox
        if not await self.server.until(lambda: len(inbox(self.userid)) > self.consumed, timeout):
            seen = [m.text for m in inbox(self.userid)]
            raise AssertionError(f"{self.userid}: nothing new within {timeout}s; seen so far: {seen}")
        self.consumed += 1
        return inbox(self.userid)[self.consumed - 1]

    async def expect_button(self, label: str, timeout: float = EVENT_TIMEOUT) -> Delivered:
        """Read messages until a card with a button of this label."""
        skipped: list[str] = []
        while True:
            try:
                message = await self.next_message(timeout)
            except AssertionError:
                raise AssertionError(f"{self.userid}: no card with {label!r}; got {skipped}") from None
            if label in message.buttons:
                return message
            skipped.append(message.text or message.msgtype)

    async def expect(self, fragment: str, timeout: float = EVENT_TIMEOUT) -> Delivered:
        """Read messages until one whose text contains fragment."""
        skipped: list[str] = []
        while True:
            try:
                message = await self.next_message(timeout)
            except AssertionError:
                raise AssertionError(f"{self.userid}: nothing containing {fragment!r}; got {skipped}") from None
            if fragment in message.text:
                return message
            skipped.append(message.text or message.msgtype)

    def _xml(self, msgtype: str, fields: dict[str, str], *, msgid: bool = True) -> str:
        created = str(int(self.server.clock.now().timestamp()))
        head = {
            "ToUserName": self.server.corp_id,
            "FromUserName": self.userid,
            "CreateTime": created,
            "MsgType": msgtype,
        }
        items = head | fields | ({"MsgId": str(next(_MSG_IDS))} if msgid else {})
        items["AgentID"] = str(self.server.agent_id)
        inner = "".join(f"<{name}><![CDATA[{value}]]></{name}>" for name, value in items.items())
        return f"<xml>{inner}</xml>"

    def text(self, content: str) -> str:
        """The plaintext XML of a text message (send it with `deliver`)."""
        return self._xml("text", {"Content": content})

    def image(self, data: bytes) -> str:
        """An image message: the picture is stored on the server under a fresh MediaId."""
        media_id = self.server.put_media(data)
        return self._xml("image", {"PicUrl": f"{self.server.base_url}/pic/{media_id}", "MediaId": media_id})

    def location(self, latitude: float, longitude: float, label: str = "", scale: int = 15) -> str:
        """A location message."""
        fields = {"Location_X": str(latitude), "Location_Y": str(longitude), "Scale": str(scale), "Label": label}
        return self._xml("location", fields)

    def menu_click(self, key: str) -> str:
        """A press on the app's menu (an event: no MsgId)."""
        return self._xml("event", {"Event": "click", "EventKey": key}, msgid=False)

    def card_press(self, key: str, task_id: str, response_code: str = "") -> str:
        """A press on a template card's button (an event: no MsgId)."""
        fields = {
            "Event": "template_card_event",
            "TaskId": task_id,
            "CardType": "button_interaction",
            "EventKey": key,
            "ResponseCode": response_code,
        }
        return self._xml("event", fields, msgid=False)

    def sealed(self, plaintext: str, *, timestamp: str = "", nonce: str = "") -> tuple[dict[str, str], bytes]:
        """The query (msg_signature, timestamp, nonce) and the XML body WeCom would POST for this plaintext."""
        timestamp = timestamp or str(int(self.server.clock.now().timestamp()))
        nonce = nonce or secrets.token_hex(5)
        encrypt, msg_signature = self.server.crypto.seal(plaintext.encode(), timestamp, nonce)
        query = {"msg_signature": msg_signature, "timestamp": timestamp, "nonce": nonce}
        return query, envelope(encrypt, to_user=self.server.corp_id, agent_id=str(self.server.agent_id))

    async def deliver(self, plaintext: str, *, times: int = 1) -> list[CallbackResult]:
        """POST the callback times times (WeCom retries the same message when unsure it arrived), in order."""
        query, body = self.sealed(plaintext)
        return [await post_callback(self.server.callback_url, query, body) for _ in range(times)]


async def post_callback(url: str, query: dict[str, str], body: bytes) -> CallbackResult:
    """One POST to a callback URL, timed."""
    started = time.perf_counter()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, params=query, data=body, headers={"Content-Type": "text/xml"}) as response,
    ):
        text = await response.text()
    return CallbackResult(response.status, text, time.perf_counter() - started)


async def verify_url(url: str, crypto: CallbackCrypto, echo: str = "4926374216273468") -> CallbackResult:
    """What the admin console does when the callback URL is saved: GET with an encrypted echostr."""
    echostr = crypto.encrypt(echo.encode())
    timestamp, nonce = "1409659589", secrets.token_hex(5)
    query = {
        "msg_signature": crypto.sign(timestamp, nonce, echostr),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": echostr,
    }
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session, session.get(url, params=query) as response:
        text = await response.text()
    return CallbackResult(response.status, text, time.perf_counter() - started)
