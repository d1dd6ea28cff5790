"""What a channel's sender promises the outbox dispatcher: the calls of one notification, failures in plain terms.

The dispatcher (scheduler/outbox.py) knows no channel: it claims notifications, paces and retries them, and records
what failed for good. Each channel's border turns a notification into its calls and its own errors into these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.domain.notifications import Message

SendCall = Callable[[], Awaitable[object]]

PASSING_PAUSE_SECONDS = 0.5  # before the first retry after a passing failure; doubled for each further one


def passing_pause(retry: int) -> float:
    """Seconds to wait before retry number `retry` (from 1) after a passing failure: the one back-off of retries."""
    return float(PASSING_PAUSE_SECONDS * 2 ** (retry - 1))


class DeliveryError(Exception):
    """A call of a notification failed."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class RateLimited(DeliveryError):
    """The channel asks to wait `seconds` before anything more is sent."""

    def __init__(self, error: str, seconds: float) -> None:
        super().__init__(error)
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The person cannot be reached (blocked the bot, chat gone): theirs to fix; `reason` is told to supervisors."""

    def __init__(self, error: str, reason: str) -> None:
        super().__init__(error)
        self.reason = reason


class Refused(DeliveryError):
    """The channel will never take this notification (GridSafe's fault): the admins are told."""


class Passing(DeliveryError):
    """A time-out, a lost connection or a server error: tried again in a moment."""


class Later(DeliveryError):
    """Any other refusal the channel may lift later: back to the queue."""


class Sender(Protocol):
    """A channel's sending half: the calls that deliver one notification to an address, in order."""

    def calls(self, address: int | str, message: Message) -> list[SendCall]:
        """The calls to an address (a Telegram chat id, a WeCom userid); each raises only DeliveryError subclasses
        for failures it can name."""
        ...

    def message_key(self, results: list[object]) -> str | None:
        """The channel's key of the message that carries the notification's text and buttons, from what its calls
        returned, in order (None: unknown)."""
        ...
