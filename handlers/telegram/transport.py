"""The HTTP transport to the Bot API: python-telegram-bot's requests carried by aiohttp instead of its default httpx.

Every answer, edit, download and notification is one Bot API request, so their cost sets how many people GridSafe can
serve. Measured with `python -m bench queries` on a 2-core VM, httpx (with httpcore and anyio under it) spent about
4 ms of CPU per request and aiohttp about 1 ms: GridSafe went from 75 to 280 answered updates a second. SOCKS proxies
stay with PTB's own httpx transport, which supports them (with python-telegram-bot[socks]).
"""

from __future__ import annotations

from urllib.parse import urlencode

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

POOL_SIZE = 256  # what PTB's ApplicationBuilder gives its own transport
TIMEOUT_SECONDS = 5.0  # PTB's default connect and read timeouts
POOL_TIMEOUT_SECONDS = 1.0  # PTB's default wait for a free connection
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _given(value: object, default: float | None) -> float | None:
    """A timeout passed to one request, or this transport's default when the caller left it out."""
    if value is BaseRequest.DEFAULT_NONE:
        return default
    assert value is None or isinstance(value, int | float)
    return value


class AiohttpRequest(BaseRequest):
    """One aiohttp session per transport: pooled keep-alive connections, optionally through an HTTP(S) proxy."""

    def __init__(
        self,
        *,
        connection_pool_size: int = POOL_SIZE,
        proxy: str | None = None,
        read_timeout: float | None = TIMEOUT_SECONDS,
        connect_timeout: float | None = TIMEOUT_SECONDS,
        pool_timeout: float | None = POOL_TIMEOUT_SECONDS,
    ) -> None:
        self._pool_size = connection_pool_size
        self._proxy = proxy
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout of requests that do not set one (PTB adds the long-poll time to it for getUpdates)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (in the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; parameters as a form, files (if any) as multipart, as PTB's httpx transport does."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's "connect" covers waiting for a pooled connection and opening one.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=_given(read_timeout, self._read_timeout),
        )
        data: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None:
            parameters = request_data.json_parameters
            files = request_data.multipart_data
            if files:
                # File names as UTF-8, as httpx sends them (aiohttp would percent-encode 隐患台账.xlsx).
                form = aiohttp.FormData(quote_fields=False)
                for name, value in parameters.items():
                    form.add_field(name, value)
                for name, (file_name, content, mime_type) in files.items():
                    form.add_field(name, content, filename=file_name, content_type=mime_type)
                data = form
            else:
                # Encoded here: a dict would make aiohttp build a whole multipart writer just to urlencode it.
                data, headers = urlencode(parameters).encode(), _FORM
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout, proxy=self._proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
