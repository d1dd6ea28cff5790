"""The WeCom API client: access token cached and renewed, media reused, text split, every send paced per member."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp

from bot.clock import Clock
from bot.settings import WeComSettings
from handlers.wecom.pacer import Pacer, Sleep

JsonDict = dict[str, Any]

TEXT_MAX_BYTES = 2048
CARD_MAX_BUTTONS = 6
MEDIA_TTL = timedelta(days=3)
MEDIA_REUSE_MARGIN = timedelta(hours=1)  # a media_id this close to its end is uploaded again, not risked
TOKEN_MARGIN = timedelta(minutes=5)  # renewed a little before WeCom's expiry: a request in flight must not race it
TOKEN_ERRORS = frozenset({40014, 42001})  # invalid / expired access_token: renew and retry once
INVALID_MEDIA_ID = 40007  # a kept media_id WeCom no longer knows: uploaded again, once


class WeComApiError(Exception):
    """WeCom answered a call with a non-zero errcode."""

    def __init__(self, path: str, errcode: int, errmsg: str) -> None:
        super().__init__(f"{path}: {errcode} {errmsg}")
        self.path, self.errcode, self.errmsg = path, errcode, errmsg


@dataclass(frozen=True)
class SentCard:
    """A template card WeCom accepted: its msgid and the one-use code that updates it."""

    msgid: str
    response_code: str


class MediaIds(Protocol):
    """Where the media_ids of uploaded bytes are kept with their upload time (storage in production)."""

    async def media_id(self, kind: str, sha256: str) -> tuple[str, datetime] | None:
        """The media_id kept for these bytes and when they were uploaded, if any."""
        ...

    async def keep_media_id(self, kind: str, sha256: str, media_id: str, uploaded: datetime) -> None:
        """Keep a new upload's media_id."""
        ...

    async def forget_media_id(self, kind: str, sha256: str) -> None:
        """WeCom refused the kept media_id: the next send uploads the bytes again."""
        ...


class MemoryMediaIds:
    """Media ids kept in the process only (tests, the benchmark, a client without storage)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], tuple[str, datetime]] = {}

    async def media_id(self, kind: str, sha256: str) -> tuple[str, datetime] | None:
        """The media_id kept for these bytes, if any."""
        return self._ids.get((kind, sha256))

    async def keep_media_id(self, kind: str, sha256: str, media_id: str, uploaded: datetime) -> None:
        """Keep a new upload's media_id."""
        self._ids[(kind, sha256)] = (media_id, uploaded)

    async def forget_media_id(self, kind: str, sha256: str) -> None:
        """Forget a refused media_id."""
        self._ids.pop((kind, sha256), None)


def split_text(text: str, limit: int = TEXT_MAX_BYTES) -> list[str]:
    """Pieces of at most limit UTF-8 bytes, cut between characters, at the last line break when there is one."""
    pieces: list[str] = []
    while len(text.encode()) > limit:
        fits, size = 0, 0
        for char in text:
            size += len(char.encode())
            if size > limit:
                break
            fits += 1
        newline = text.rfind("\n", 0, fits)
        cut = newline if newline > 0 else fits
        pieces.append(text[:cut])
        text = text[cut + 1 :] if newline > 0 else text[cut:]
    if text or not pieces:
        pieces.append(text)
    return pieces


class WeComClient:
    """One self-built app's API: send text, images, files and cards to members; update cards; fetch media."""

    def __init__(
        self,
        *,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        proxy: str = "",
        session: aiohttp.ClientSession | None = None,
        media_ids: MediaIds | None = None,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._corp_id, self._secret, self.agent_id = corp_id, secret, agent_id
        self._clock = clock
        self._proxy = proxy or None
        self._session = session
        self._own_session = session is None
        self.pacer = Pacer(clock, sleep)
        self._token: tuple[str, datetime] | None = None
        self._token_lock = asyncio.Lock()
        self._media: MediaIds = media_ids or MemoryMediaIds()
        self.token_fetches = 0

    @classmethod
    def from_settings(
        cls, settings: WeComSettings, clock: Clock, *, sleep: Sleep = asyncio.sleep, media_ids: MediaIds | None = None
    ) -> WeComClient:
        """The client of the configured app (media_ids: where uploads are remembered, e.g. the database)."""
        return cls(
            base_url=settings.api_base_url,
            corp_id=settings.corp_id,
            secret=settings.secret.get_secret_value(),
            agent_id=settings.agent_id,
            clock=clock,
            proxy=settings.proxy_url,
            sleep=sleep,
            media_ids=media_ids,
        )

    async def close(self) -> None:
        """Close the HTTP session if the client made it."""
        if self._session is not None and self._own_session:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self._session

    async def access_token(self) -> str:
        """The cached access_token, fetched again when it nears its expiry."""
        async with self._token_lock:
            now = self._clock.now()
            if self._token is not None and now < self._token[1]:
                return self._token[0]
            params = {"corpid": self._corp_id, "corpsecret": self._secret}
            async with self._http().get(f"{self._base}/cgi-bin/gettoken", params=params, proxy=self._proxy) as response:
                answer = await response.json(content_type=None)
            self.token_fetches += 1
            if answer.get("errcode", 0) != 0:
                raise WeComApiError("gettoken", int(answer["errcode"]), str(answer.get("errmsg", "")))
            lifetime = timedelta(seconds=int(answer.get("expires_in", 7200)))
            self._token = (str(answer["access_token"]), now + lifetime - TOKEN_MARGIN)
            return self._token[0]

    def _forget_token(self, token: str) -> None:
        if self._token is not None and self._token[0] == token:
            self._token = None

    async def _call(
        self,
        path: str,
        *,
        json: JsonDict | None = None,
        params: dict[str, str] | None = None,
        form: aiohttp.FormData | None = None,
        raw: bool = False,
    ) -> JsonDict:
        """POST json (or form), or GET; renew the token and retry once on 40014/42001; raise on another errcode."""
        for attempt in (1, 2):
            token = await self.access_token()
            query = {"access_token": token} | (params or {})
            method = "GET" if json is None and form is None else "POST"
            async with self._http().request(
                method, f"{self._base}/cgi-bin/{path}", params=query, json=json, data=form, proxy=self._proxy
            ) as response:
                if raw and not response.content_type.endswith(("json", "text/plain")):
                    return {"errcode": 0, "_bytes": await response.read(), "_type": response.content_type}
                answer: JsonDict = await response.json(content_type=None)
            errcode = int(answer.get("errcode", 0))
            if errcode in TOKEN_ERRORS and attempt == 1:
                self._forget_token(token)
                continue
            if errcode != 0:
                raise WeComApiError(path, errcode, str(answer.get("errmsg", "")))
            return answer
        raise AssertionError("unreachable")

    async def _send(self, userid: str, msgtype: str, content: JsonDict) -> JsonDict:
        body = {"touser": userid, "msgtype": msgtype, "agentid": self.agent_id, msgtype: content}
        async with self.pacer.slot(userid):
            return await self._call("message/send", json=body)

    async def send_text(self, userid: str, text: str) -> list[str]:
        """Send text to one member, in pieces of at most 2,048 bytes; the msgids."""
        return [str((await self._send(userid, "text", {"content": piece}))["msgid"]) for piece in split_text(text)]

    async def upload(self, kind: str, data: bytes, filename: str) -> str:
        """The media_id of these bytes: the one uploaded before while it has time left, else a new upload."""
        sha256 = hashlib.sha256(data).hexdigest()
        now = self._clock.now()
        known = await self._media.media_id(kind, sha256)
        if known is not None and now - known[1] < MEDIA_TTL - MEDIA_REUSE_MARGIN:
            return known[0]
        form = aiohttp.FormData()
        form.add_field("media", data, filename=filename, content_type="application/octet-stream")
        answer = await self._call("media/upload", params={"type": kind}, form=form)
        await self._media.keep_media_id(kind, sha256, str(answer["media_id"]), now)
        return str(answer["media_id"])

    async def _send_media(self, userid: str, kind: str, data: bytes, filename: str) -> str:
        """Send uploaded bytes; a kept media_id WeCom refuses (40007) is forgotten and the bytes uploaded again."""
        for attempt in (1, 2):
            media_id = await self.upload(kind, data, filename)
            try:
                return str((await self._send(userid, kind, {"media_id": media_id}))["msgid"])
            except WeComApiError as exc:
                if exc.errcode != INVALID_MEDIA_ID or attempt == 2:
                    raise
                await self._media.forget_media_id(kind, hashlib.sha256(data).hexdigest())
        raise AssertionError("unreachable")

    async def send_image(self, userid: str, data: bytes, filename: str = "image.png") -> str:
        """Send a picture (uploaded once per 3 days); its msgid."""
        return await self._send_media(userid, "image", data, filename)

    async def send_file(self, userid: str, data: bytes, filename: str) -> str:
        """Send a file, e.g. the ledger .xlsx (uploaded once per 3 days); its msgid."""
        return await self._send_media(userid, "file", data, filename)

    async def send_card(self, userid: str, card: JsonDict) -> SentCard:
        """Send a button_interaction template card (at most 6 buttons); its msgid and response_code."""
        if len(card.get("button_list", [])) > CARD_MAX_BUTTONS:
            raise ValueError(f"a WeCom card holds at most {CARD_MAX_BUTTONS} buttons")
        answer = await self._send(userid, "template_card", card)
        return SentCard(str(answer["msgid"]), str(answer["response_code"]))

    async def update_card(self, userids: list[str], response_code: str, card: JsonDict) -> None:
        """Replace a card in place after a press (the response_code works once)."""
        body = {"userids": userids, "agentid": self.agent_id, "response_code": response_code, "template_card": card}
        await self._call("message/update_template_card", json=body)

    async def update_buttons(self, userids: list[str], response_code: str, button: JsonDict) -> None:
        """Turn a card's buttons into one that cannot be pressed (e.g. {"replace_name": "已处理"}) after a press."""
        body = {"userids": userids, "agentid": self.agent_id, "response_code": response_code, "button": button}
        await self._call("message/update_template_card", json=body)

    async def download(self, media_id: str) -> tuple[bytes, str]:
        """The bytes and content type of a medium a member sent (media_ids expire after 3 days)."""
        answer = await self._call("media/get", params={"media_id": media_id}, raw=True)
        return bytes(answer["_bytes"]), str(answer["_type"])
