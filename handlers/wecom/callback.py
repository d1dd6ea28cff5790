"""The inbound callback server: checks, decrypts and parses WeCom's callbacks, answers at once, processes after.

WeCom waits 5 s for an answer and otherwise delivers the same callback again (three times in all), so the answer
never waits for GridSafe's work: a callback is checked, decrypted, parsed and queued, then answered "success".
Each member's messages are processed in order in their own lane (one slow member never holds up another); a retry or
duplicate is recognised by its delivery key and handled once. An image's media_id is downloaded first thing in
processing, since WeCom forgets it after 3 days.

The recent delivery keys live in memory (bounded): WeCom's retries come within seconds, so only a restart inside that
window could let one through twice, and the core re-authorizes every action against the current state anyway.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Protocol, Self

from aiohttp import web

from bot.clock import Clock
from bot.domain.flood import Arrival, FloodWatch, Screening
from handlers.wecom.client import WeComApiError, WeComClient
from handlers.wecom.crypto import CallbackCrypto, WeComCryptoError
from handlers.wecom.inbound import (
    BadXml,
    ImageMessage,
    Inbound,
    RecentKeys,
    delivery_key,
    encrypted_part,
    parse_message,
)

log = logging.getLogger(__name__)

Handler = Callable[[Inbound], Awaitable[None]]
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class PhotoStore(Protocol):
    """Where an image's bytes are kept (the services' media store): a border does not reach storage itself."""

    def put(self, data: bytes, extension: str) -> str:
        """Store the bytes; their sha256."""
        ...


class CallbackServer:
    """Serves WeCom's callback URL on host:port/path and hands each new message to the injected handler."""

    def __init__(
        self,
        crypto: CallbackCrypto,
        handler: Handler,
        *,
        client: WeComClient | None = None,
        media: PhotoStore | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/wecom/callback",
        recent: RecentKeys | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._crypto, self._handler = crypto, handler
        self._client, self._media = client, media
        self.host, self.port, self.path = host, port, path
        self._recent = recent or RecentKeys()
        self._lanes: dict[str, asyncio.Queue[Inbound]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._pending = 0
        self._runner: web.AppRunner | None = None
        self.duplicates = 0
        self.refused = 0
        # A member's backlog (messages waiting or running) makes a flood, as a Telegram chat's does (bot/domain/flood.py).
        self._clock = clock
        self._floods = FloodWatch()
        self._backlog: dict[str, int] = {}
        self.dropped = 0

    async def start(self) -> None:
        """Listen (port 0: any free one, then in self.port)."""
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get(self.path, self._verify)
        app.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening and cancel the lanes still working."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for task in list(self._workers):
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The callback URL as served (behind a reverse proxy WeCom is given the public one)."""
        return f"http://{self.host}:{self.port}{self.path}"

    async def idle(self) -> None:
        """Return once every queued message has been processed (for tests and the benchmark)."""
        await self._idle.wait()

    def _query(self, request: web.Request, *names: str) -> list[str]:
        return [request.query.get(name, "") for name in names]

    async def _verify(self, request: web.Request) -> web.Response:
        """The admin console's check of the URL: answer the decrypted echostr."""
        msg_signature, timestamp, nonce, echostr = self._query(
            request, "msg_signature", "timestamp", "nonce", "echostr"
        )
        try:
            echo = self._crypto.open(msg_signature, timestamp, nonce, echostr)
        except WeComCryptoError as exc:
            self.refused += 1
            log.warning("wecom callback verification refused: %s", type(exc).__name__)
            return web.Response(status=403)
        return web.Response(body=echo, content_type="text/plain")

    async def _receive(self, request: web.Request) -> web.Response:
        msg_signature, timestamp, nonce = self._query(request, "msg_signature", "timestamp", "nonce")
        try:
            plaintext = self._crypto.open(msg_signature, timestamp, nonce, encrypted_part(await request.read()))
            message = parse_message(plaintext)
        except WeComCryptoError as exc:
            self.refused += 1
            log.warning("wecom callback refused: %s", type(exc).__name__)
            return web.Response(status=403)
        except BadXml as exc:
            self.refused += 1
            log.warning("wecom callback with bad XML refused: %s", exc)
            return web.Response(status=400)
        if not self._recent.first_time(delivery_key(message)):
            self.duplicates += 1
            return web.Response(text="success")
        self._enqueue(message)
        return web.Response(text="success")

    def screen(self, userid: str) -> Screening:
        """Whether the member's next message is served (a flooding member is refused, told once)."""
        return self._floods.screen(userid)

    def _enqueue(self, message: Inbound) -> None:
        if self._clock is not None:
            backlog = self._backlog.get(message.userid, 0)
            if self._floods.arrive(message.userid, backlog, self._clock.now()) is Arrival.DROP:
                self.dropped += 1
                return
        self._backlog[message.userid] = self._backlog.get(message.userid, 0) + 1
        self._pending += 1
        self._idle.clear()
        lane = self._lanes.get(message.userid)
        if lane is None:
            lane = self._lanes[message.userid] = asyncio.Queue()
            task = asyncio.create_task(self._drain(message.userid, lane))
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        lane.put_nowait(message)

    async def _drain(self, userid: str, lane: asyncio.Queue[Inbound]) -> None:
        """Process one member's messages in order; the lane ends when it runs empty."""
        while not lane.empty():
            message = lane.get_nowait()
            try:
                await self._handler(await self._fetched(message))
            except Exception:
                log.exception("processing a wecom %s failed", type(message).__name__)
            finally:
                self._pending -= 1
                self._backlog[userid] -= 1
                if self._backlog[userid] == 0:
                    del self._backlog[userid]
        del self._lanes[userid]
        if self._pending == 0:
            self._idle.set()

    async def _fetched(self, message: Inbound) -> Inbound:
        """An image with its bytes in the media store (its media_id expires after 3 days)."""
        if not isinstance(message, ImageMessage) or self._client is None or self._media is None:
            return message
        try:
            data, content_type = await self._client.download(message.media_id)
        except WeComApiError as exc:
            log.warning("wecom image could not be fetched: %s", exc)
            return message
        extension = EXTENSIONS.get(content_type.split(";")[0].strip(), "jpg")
        sha256 = await asyncio.to_thread(self._media.put, data, extension)
        return dataclasses.replace(message, sha256=sha256, extension=extension)
