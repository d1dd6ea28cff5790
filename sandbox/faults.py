"""Fault injection for the loopback Bot API: 429s, 5xx answers, slow answers, time-outs and dropped connections.

Tests add a plan to ``server.faults`` before driving the bot::

    plan = server.faults.add("sendMessage", "429", retry_after=1)
    plan = server.faults.add("file", "drop", times=2)           # the /file/bot<token>/<path> download route
    plan = server.faults.add("getUpdates", "5xx", status=502)

The first plan (in the order added) that targets a request, matches its params and is not spent takes it. What each
kind does, and whether the request's side effect (the message sent, the file served) happens:

- ``"429"``: answers 429 Too Many Requests with ``parameters.retry_after``; no side effect.
- ``"5xx"``: answers ``status`` (500, 502, 503, ...) with a Telegram-style error body; no side effect.
- ``"error"``: the same for any error ``status`` from 400 to 599 (e.g. 404, 409), for refusals other than 429/5xx.
- ``"slow"``: waits ``delay`` seconds, then carries the request out and answers normally.
- ``"timeout"``: waits ``delay`` seconds (meant to exceed the client's read time-out). With ``after=True`` (the
  default) the request is then carried out even though the client may have given up, as on the real Telegram: a
  sendMessage that times out this way is the at-least-once case, delivered once now and once more when the bot retries.
  With ``after=False`` the connection is closed after the wait and nothing happens.
- ``"drop"``: closes the TCP connection without any HTTP answer. With ``after=False`` (the default) it is closed
  before anything happens; with ``after=True`` the request is carried out first and only the answer is lost.

Every request a plan affects is recorded as a :class:`FaultedCall` on the plan and in ``Faults.log``; answered ones
(429, 5xx, and slow ones the client still waited for) are also in ``server.calls`` as usual.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, get_args

from aiohttp import web

from sandbox.apirules import ApiError
from sandbox.simusers import JsonDict

__all__ = ["FILE", "FaultKind", "FaultPlan", "FaultedCall", "Faults", "Intercept"]

FaultKind = Literal["429", "5xx", "error", "slow", "timeout", "drop"]
KINDS: frozenset[str] = frozenset(get_args(FaultKind))
FILE = "file"  # the target name of the file download route

_REASONS = {
    400: "Bad Request: injected fault",
    403: "Forbidden: injected fault",
    404: "Not Found",
    409: "Conflict: injected fault",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class FaultedCall:
    """One request a fault plan affected."""

    target: str  # the canonical Bot API method name, or "file"
    kind: str
    params: JsonDict
    arrived: float  # time.monotonic() when the request arrived
    status: int | None = None  # the HTTP status answered; None when the connection was dropped instead
    carried_out: bool = False  # whether the side effect happened (message sent, file served)
    delivered: bool = False  # whether the client was still there to receive the answer


class FaultPlan:
    """What to do to the next `times` requests to `target` (that `match`, if given)."""

    def __init__(
        self,
        target: str,
        kind: str,
        *,
        times: int,
        delay: float,
        retry_after: int,
        status: int,
        match: Callable[[JsonDict], bool] | None,
        after: bool,
    ) -> None:
        self.target, self.kind, self.times, self.delay = target, kind, times, delay
        self.retry_after, self.status, self.match, self.after = retry_after, status, match, after
        self.hits = 0  # how many requests this plan has affected so far
        self.arrived = asyncio.Event()  # set when the first matching request arrives (before the fault acts)
        self.calls: list[FaultedCall] = []

    def remaining(self) -> int:
        """How many more requests this plan will affect."""
        return max(self.times - self.hits, 0)

    def matches(self, target: str, params: JsonDict) -> bool:
        """Whether this plan takes a request to `target` with these params."""
        if self.remaining() == 0 or self.target != target.lower():
            return False
        return self.match is None or bool(self.match(params))

    def __repr__(self) -> str:
        return f"FaultPlan({self.target!r}, {self.kind!r}, hits={self.hits}, times={self.times})"


@dataclass
class Intercept:
    """A fault acting on one request; the server asks it whether to carry the request out and tells it the end."""

    plan: FaultPlan
    call: FaultedCall
    _request: web.BaseRequest = field(repr=False)

    @property
    def carry_out(self) -> bool:
        """Whether the server should carry the request out (False: the connection is already dropped)."""
        return self.plan.kind in ("slow", "timeout", "drop") and (self.plan.kind == "slow" or self.plan.after)

    def finish(self, status: int) -> bool:
        """The server has carried the request out with this status; True when the answer should still be sent."""
        self.call.carried_out = 200 <= status <= 299
        if self.plan.kind == "drop":
            _drop(self._request)
            return False
        self.call.status = status
        self.call.delivered = _open(self._request)
        return self.call.delivered


class Faults:
    """The fault plans of one BotApiServer (``server.faults``) and a log of every request they affected."""

    def __init__(self) -> None:
        self.plans: list[FaultPlan] = []
        self.log: list[FaultedCall] = []

    def add(
        self,
        target: str,
        kind: str,
        *,
        times: int = 1,
        delay: float = 0.0,
        retry_after: int = 1,
        status: int = 502,
        match: Callable[[JsonDict], bool] | None = None,
        after: bool | None = None,
    ) -> FaultPlan:
        """Affect the next `times` requests to `target` (a Bot API method, any case, or "file") with `kind`.

        `after` (for "drop" and "timeout") says whether the request is carried out before the connection is lost:
        default False for "drop", True for "timeout" (see the module docstring).
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        if times < 1:
            raise ValueError("times must be at least 1")
        if kind == "5xx" and not 500 <= status <= 599:
            raise ValueError("a 5xx fault needs a status from 500 to 599")
        if kind == "error" and not 400 <= status <= 599:
            raise ValueError("an error fault needs a status from 400 to 599")
        if delay < 0 or retry_after < 1:
            raise ValueError("delay must be >= 0 and retry_after >= 1")
        plan = FaultPlan(
            target.lower(),
            kind,
            times=times,
            delay=delay,
            retry_after=retry_after,
            status=status,
            match=match,
            after=(kind == "timeout") if after is None else after,
        )
        self.plans.append(plan)
        return plan

    def clear(self) -> None:
        """Forget every plan (the log stays)."""
        self.plans.clear()

    def calls_to(self, target: str) -> list[FaultedCall]:
        """Faulted requests to one target (method name matched case-insensitively, or "file")."""
        return [call for call in self.log if call.target.lower() == target.lower()]

    @property
    def pending(self) -> int:
        """How many requests the plans added will still affect."""
        return sum(plan.remaining() for plan in self.plans)

    async def intercept(self, target: str, params: JsonDict, request: web.BaseRequest) -> Intercept | None:
        """Called by the server for every request before it acts: apply the first matching plan, if any.

        Raises ApiError for "429" and "5xx" (the server answers it, recorded as usual). Returns None when no plan
        matches, else an Intercept: the server carries the request out only if `carry_out`, then calls `finish`.
        """
        plan = next((p for p in self.plans if p.matches(target, params)), None)
        if plan is None:
            return None
        plan.hits += 1
        call = FaultedCall(target, plan.kind, params, time.monotonic())
        plan.calls.append(call)
        self.log.append(call)
        plan.arrived.set()
        if plan.kind == "429":
            call.status, call.delivered = 429, True
            raise ApiError(429, f"Too Many Requests: retry after {plan.retry_after}", retry_after=plan.retry_after)
        if plan.kind in ("5xx", "error"):
            call.status, call.delivered = plan.status, True
            raise ApiError(plan.status, _REASONS.get(plan.status, f"Error {plan.status}"))
        if plan.kind in ("slow", "timeout"):
            await asyncio.sleep(plan.delay)
        intercept = Intercept(plan, call, request)
        if not intercept.carry_out:
            _drop(request)
        return intercept


def _open(request: web.BaseRequest) -> bool:
    return request.transport is not None and not request.transport.is_closing()


def _drop(request: web.BaseRequest) -> None:
    """Close the connection: the client sees it end without any HTTP answer."""
    if request.transport is not None:
        request.transport.close()
