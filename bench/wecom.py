"""Scenario wecom: a fan-out of reminders to WeCom members through GridSafe's outbox (queued by the Notifier with the
routing rule, claimed by the dispatcher, sent by the WeCom sender through the client's pacer) against WeCom's real
per-member rule, and callbacks answered by the inbound server.

WeCom allows 30 messages a minute and 1,000 an hour per member and drops the rest without an error; the loopback
server (sandbox/wecom.py) enforces exactly that and counts what it drops. Both sides share one clock that runs
SCALE times faster than real time (SCALES, by size; at 20 an hour of pacing takes three minutes); waits are scaled the same way, and the
figures are in WeCom's (virtual) time. The achieved rate is held against the allowed one message by message: the
rule lets a member's k-th message arrive no earlier than a minute after their (k-30)-th, so a sender at the allowed
rate sends 30 messages per 60 s and one that waits d s longer each time sends 30 per 60 + d s; the ratio is
60 / (60 + the mean of d). Each member's messages go in order (as the outbox sends each chat's), members at once.
Real round trips are stretched by SCALE on the shared clock, so the ratio here is a lower bound of production's. So is
the outbox's own work (claiming and confirming each notification in the database): the scale is chosen per size so
that the real rate it asks of the outbox (members x 0.5 messages a second x scale) stays near 25 a second, well
within what the outbox does on a busy machine (about 90 a second measured), and the figure measures the pacing, not
a 20-fold compressed database.
"""

from __future__ import annotations

import asyncio
import csv
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.measure import Outcome, spread
from bot.domain.notifications import Message, Notification
from bot.domain.people import Channel
from bot.domain.roster import validate
from bot.roster_file import read_roster
from bot.services.container import Services
from bot.settings import load_settings
from handlers.wecom.callback import CallbackServer
from handlers.wecom.client import WeComClient
from handlers.wecom.inbound import Inbound
from handlers.wecom.outbox_sender import WeComSender
from handlers.wecom.pacer import PER_MINUTE
from handlers.wecom.render import Renderer
from sandbox.wecom import CallbackResult, WeComServer
from scheduler.jobs import outlets
from scheduler.outbox import OutboxDispatcher
from storage.media import MediaStore

SCALES = {"tiny": 16.0, "small": 5.0, "full": 20.0}  # WeCom's time runs this many times faster than real time
SIZES = {"tiny": (3, 40), "small": (10, 100), "full": (2, 500)}  # members, messages each (1,000 at small and full)
CALLBACKS = {"tiny": 60, "small": 500, "full": 2000}
CALLBACK_SENDERS = 10


class ScaledClock:
    """A clock running `scale` times faster than real time, and the sleep that matches it."""

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
    clock = ScaledClock(SCALES[size])
    outcome = Outcome("wecom", size)
    received: list[Inbound] = []

    async def handle(message: Inbound) -> None:
        received.append(message)

    async with WeComServer(clock=clock) as server:
        services = await _services(folder, server, clock, members)
        client = WeComClient(
            base_url=server.base_url,
            corp_id=server.corp_id,
            secret=server.secret,
            agent_id=server.agent_id,
            clock=clock,
            sleep=clock.sleep,
            media_ids=services.wecom_media,
        )
        userids = [f"member{n:03d}" for n in range(members)]
        await _queue(services, clock, each)

        def kick() -> None:  # the replies' renderer wakes the outbox after an action: there are none here
            return None

        dispatcher = OutboxDispatcher(
            outlets(services, {Channel.WECOM: WeComSender(client, services.media, Renderer(client, services, kick))}),
            services.outbox,
            clock,
            unreachable=services.reminders.unreachable,
            failed=services.reminders.delivery_failed,
        )
        started = time.monotonic()
        sent = await dispatcher.drain()
        fanout_seconds = time.monotonic() - started
        await dispatcher.close()
        rows = await services.db.fetch_all("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        statuses = {str(row[0]): int(row[1]) for row in rows}
        ratios = [rate_of_allowed([m.at for m in server.delivered_to(userid)]) for userid in userids]
        delivered, dropped = len(server.delivered), len(server.dropped)

        media = MediaStore(folder / "media")
        async with CallbackServer(server.crypto, handle, client=client, media=media) as callback:
            server.callback_url = callback.url
            answers = await _callbacks(server, CALLBACKS[size])
            await callback.idle()
        await client.close()
        await services.close()

    worst = round(min(ratios), 3)
    p95 = spread([a.seconds for a in answers])["p95_ms"]
    outcome.figures = {
        "members": members,
        "messages": members * each,
        "per_member": each,
        "clock_scale": SCALES[size],
        "allowed_per_member": {"per_minute": PER_MINUTE, "per_hour": 1000},
        "achieved_of_allowed_rate": {"worst_member": worst, "mean": round(sum(ratios) / len(ratios), 3)},
        "outbox": statuses,
        "sent_by_dispatcher": sent,
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


async def _services(folder: Path, server: WeComServer, clock: ScaledClock, members: int) -> Services:
    """GridSafe's services on a fresh database, WeCom configured, with `members` owners on WeCom only."""
    environ = {
        "GRIDSAFE_STORAGE__DATABASE": str(folder / "data" / "gridsafe.db"),
        "GRIDSAFE_STORAGE__MEDIA_DIR": str(folder / "data" / "media"),
        "GRIDSAFE_WECOM__CORP_ID": server.corp_id,
        "GRIDSAFE_WECOM__AGENT_ID": str(server.agent_id),
        "GRIDSAFE_WECOM__SECRET": server.secret,
        "GRIDSAFE_WECOM__TOKEN": server.crypto.token,
        "GRIDSAFE_WECOM__ENCODING_AES_KEY": server.crypto.encoding_aes_key,
        "GRIDSAFE_WECOM__API_BASE_URL": server.base_url,
    }
    services = await Services.open(load_settings(None, environ), clock, create_database=True)
    roster = folder / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        rows = [["town", "village", "name", "role", "phone", "wecom_userid"]]
        rows += [["T1", "V1", f"member{n:03d}", "owner", "", f"member{n:03d}"] for n in range(members)]
        csv.writer(f).writerows(rows)
    await services.roster.import_entries(validate(read_roster(roster)))
    return services


async def _queue(services: Services, clock: ScaledClock, each: int) -> None:
    """Each member's reminders, queued as a scheduler pass queues them (routed by the Notifier: WeCom only)."""
    people = await services.db.fetch_all("SELECT id FROM people ORDER BY id")
    notifications = [
        Notification(person_id=int(row[0]), dedupe_key=f"bench:{row[0]}:{k}", message=Message(text=f"提醒 {k}"))
        for k in range(each)
        for row in people
    ]
    async with services.db.transaction() as tx:
        await services.notifier.enqueue_many(tx, notifications, clock.now())


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
