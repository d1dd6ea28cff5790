"""Scenario wecom: a fan-out to WeCom members through the client's pacer against WeCom's real per-member rule, and
callbacks answered by the inbound server.

WeCom allows 30 messages a minute and 1,000 an hour per member and drops the rest without an error; the loopback
server (sandbox/wecom.py) enforces exactly that and counts what it drops. Both sides share one clock that runs
SCALE times faster than real time, so an hour of pacing takes three minutes; waits are scaled the same way, and the
figures are in WeCom's (virtual) time. The achieved rate is held against the allowed one message by message: the
rule lets a member's k-th message arrive no earlier than a minute after their (k-30)-th, so a sender at the allowed
rate sends 30 messages per 60 s and one that waits d s longer each time sends 30 per 60 + d s; the ratio is
60 / (60 + the mean of d). Each member's messages go in order (as the outbox sends each chat's), members at once.
Real round trips are stretched by SCALE on the shared clock, so the ratio here is a lower bound of production's.
"""

from __future__ import annotations

import asyncio
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.measure import Outcome, spread
from handlers.wecom.callback import CallbackServer
from handlers.wecom.client import WeComClient
from handlers.wecom.inbound import Inbound
from handlers.wecom.pacer import PER_MINUTE
from sandbox.wecom import CallbackResult, WeComServer
from storage.media import MediaStore

SCALE = 20.0  # WeCom's time runs 20 times faster: an hour in three minutes
SIZES = {"tiny": (3, 40), "small": (10, 100), "full": (2, 500)}  # members, messages each (1,000 at small and full)
CALLBACKS = {"tiny": 60, "small": 500, "full": 2000}
CALLBACK_SENDERS = 10


class ScaledClock:
    """A clock running SCALE times faster than real time, and the sleep that matches it."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._origin = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
        self._started = time.monotonic()

    def now(self) -> datetime:
        """The scaled moment."""
        return self._origin + timedelta(seconds=(time.monotonic() - self._started) * self.scale)

    async def sleep(self, seconds: float) -> None:
        """Wait seconds of scaled time."""
        await asyncio.sleep(seconds / self.scale)


def rate_of_allowed(arrivals: list[datetime]) -> float:
    """60 / (60 + the mean delay of each message beyond a minute after the one 30 before it); NaN if too few."""
    delays = [(arrivals[k] - arrivals[k - PER_MINUTE]).total_seconds() - 60 for k in range(PER_MINUTE, len(arrivals))]
    return 60 / (60 + sum(delays) / len(delays)) if delays else math.nan


async def run(size: str, folder: Path) -> Outcome:
    """Fan out, then take callbacks; hold the rate, the drops and the answer time against their targets."""
    members, each = SIZES[size]
    clock = ScaledClock(SCALE)
    outcome = Outcome("wecom", size)
    received: list[Inbound] = []

    async def handle(message: Inbound) -> None:
        received.append(message)

    async with WeComServer(clock=clock) as server:
        client = WeComClient(
            base_url=server.base_url,
            corp_id=server.corp_id,
            secret=server.secret,
            agent_id=server.agent_id,
            clock=clock,
            sleep=clock.sleep,
        )
        userids = [f"member{n:03d}" for n in range(members)]
        started = time.monotonic()
        await asyncio.gather(*(_remind(client, userid, each) for userid in userids))
        fanout_seconds = time.monotonic() - started
        ratios = [rate_of_allowed([m.at for m in server.delivered_to(userid)]) for userid in userids]
        delivered, dropped = len(server.delivered), len(server.dropped)

        media = MediaStore(folder / "media")
        async with CallbackServer(server.crypto, handle, client=client, media=media) as callback:
            server.callback_url = callback.url
            answers = await _callbacks(server, CALLBACKS[size])
            await callback.idle()
        await client.close()

    worst = round(min(ratios), 3)
    p95 = spread([a.seconds for a in answers])["p95_ms"]
    outcome.figures = {
        "members": members,
        "messages": members * each,
        "per_member": each,
        "clock_scale": SCALE,
        "allowed_per_member": {"per_minute": PER_MINUTE, "per_hour": 1000},
        "achieved_of_allowed_rate": {"worst_member": worst, "mean": round(sum(ratios) / len(ratios), 3)},
        "delivered": delivered,
        "dropped": dropped,
        "pacer_waited_seconds": round(client.pacer.waited_seconds, 1),
        "fanout_real_seconds": round(fanout_seconds, 2),
        "token_fetches": client.token_fetches,
        "callbacks": len(answers),
        "callbacks_handled": len(received),
        "callback_answer": spread([a.seconds for a in answers]),
        "callback_errors": sum(1 for a in answers if a.status != 200),
    }
    outcome.at_least("achieved_of_allowed_rate", worst, 0.95)
    outcome.at_most("dropped", dropped, 0)
    outcome.at_most("lost", members * each - delivered, 0)
    outcome.at_most("callback_answer_p95_ms", p95, 100, "ms")
    return outcome


async def _remind(client: WeComClient, userid: str, count: int) -> None:
    """One member's reminders, in order (as the outbox sends each chat's), every member at once."""
    for k in range(count):
        await client.send_text(userid, f"提醒 {k}")


async def _callbacks(server: WeComServer, count: int) -> list[CallbackResult]:
    """count callbacks from CALLBACK_SENDERS members at once: texts, every tenth an image, every fifth retried."""
    answers: list[CallbackResult] = []
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40

    async def sender(n: int) -> None:
        member = server.member(f"sender{n:02d}")
        for k in range(n, count, CALLBACK_SENDERS):
            plaintext = member.image(photo) if k % 10 == 0 else member.text(f"排查 {k}")
            answers.extend(await member.deliver(plaintext, times=2 if k % 5 == 0 else 1))

    await asyncio.gather(*(sender(n) for n in range(CALLBACK_SENDERS)))
    return answers
