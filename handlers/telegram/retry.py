"""Sending a Telegram request again when it failed for a passing reason: a 429, a 5xx answer, a dropped connection.

Three policies, one per kind of request:

- Replies (answers, edits, button answers) go through :class:`RetryingRateLimiter`: a failed request is sent once more,
  after Telegram's ``retry_after`` for a 429 or a short pause otherwise. A request that timed out is not sent again:
  Telegram may have carried it out, and a person would see the answer twice.
- Downloads of the photos people send (:func:`download`): getFile and the file itself, tried up to three times,
  time-outs included (a download changes nothing, so trying again is always safe).
- Notifications: the outbox dispatcher has its own policy (scheduler/outbox.py) and turns the reply retry off around
  its requests with :func:`own_retries`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, Protocol

from telegram import File
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

from bot.chat.delivery import passing_pause

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

REPLY_RETRIES = 1  # a reply is sent at most twice
DOWNLOAD_ATTEMPTS = 3
MAX_RETRY_AFTER_SECONDS = 30.0  # a person does not wait longer for a reply; the outbox waits as long as asked

_OWN_RETRIES: ContextVar[bool] = ContextVar("gridsafe_own_retries", default=False)


@contextmanager
def own_retries() -> Iterator[None]:
    """Within this block the caller retries on its own: RetryingRateLimiter sends each request once."""
    token = _OWN_RETRIES.set(True)
    try:
        yield
    finally:
        _OWN_RETRIES.reset(token)


def retry_after_seconds(exc: RetryAfter) -> float:
    """Telegram's retry_after in seconds (an int or a timedelta, depending on PTB_TIMEDELTA)."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def pause_before_retry(exc: Exception, retry: int, *, idempotent: bool) -> float | None:
    """Seconds to wait before sending the request again (`retry` counts from 1), or None when it must not be.

    A 429 waits Telegram's retry_after (up to MAX_RETRY_AFTER_SECONDS); a 5xx answer or a lost connection waits
    bot.chat.delivery.passing_pause (0.5 s, doubled for each further retry); a time-out is retried only for an `idempotent` request. Refusals
    (400 Bad Request, 403 Forbidden, ...) are never retried.
    """
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return seconds if seconds <= MAX_RETRY_AFTER_SECONDS else None
    if isinstance(exc, BadRequest) or not isinstance(exc, NetworkError):
        return None
    if isinstance(exc, TimedOut) and not idempotent:
        return None
    return passing_pause(retry)


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (group chats paced, 429s reported) plus one retry of a reply that failed in passing."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Send the request; send it once more if it failed in passing (not within own_retries())."""
        retry = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except TelegramError as exc:
                retry += 1
                pause = None
                if not _OWN_RETRIES.get() and retry <= REPLY_RETRIES:
                    pause = pause_before_retry(exc, retry, idempotent=False)
                if pause is None:
                    raise
                log.warning("Telegram %s failed (%s); sending it again in %.1f s", endpoint, exc, pause)
                await asyncio.sleep(pause)


class Downloadable(Protocol):
    """A PhotoSize or Document: something getFile resolves."""

    async def get_file(self) -> File:
        """Resolve the file through getFile."""
        ...


async def download(source: Downloadable) -> bytes:
    """The file's content: getFile and the download, tried up to DOWNLOAD_ATTEMPTS times.

    Raises the last TelegramError when every attempt failed, or at once for a refusal (e.g. 400 file is too big).
    """
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            with own_retries():
                file = await source.get_file()
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            pause = pause_before_retry(exc, attempt, idempotent=True)
            if pause is None or attempt == DOWNLOAD_ATTEMPTS:
                raise
            log.warning("photo download failed (%s, attempt %s); trying again in %.1f s", exc, attempt, pause)
            await asyncio.sleep(pause)
    raise AssertionError("unreachable")
