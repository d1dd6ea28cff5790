"""Scenario 3, reminder fan-out: thousands of deadline reminders due at once, to as many chats, within flood limits."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.dbgen import Spec, prepared
from bench.measure import Outcome
from bench.stage import stage
from bench.world import PASS_AT
from bot.settings import ScheduleSettings
from sandbox.botapi import RateLimit

REMINDERS = {"tiny": 20, "small": 100, "full": 5_000}
SERVER_LIMIT = RateLimit(global_per_second=30, per_chat_per_second=1)  # Telegram's flood limits


def spec(reminders: int) -> Spec:
    """Owners each with one hazard whose deadline is today, all bound to Telegram, among a history as large."""
    owners = 10
    return Spec(
        villages=-(-reminders // owners),
        owners_per_village=owners,
        hazards=2 * reminders,
        due=reminders,
        due_kind="d-day",
        bound={"owner": reminders, "supervisor": reminders // 100},
    )


async def run(size: str, folder: Path) -> Outcome:
    """Start GridSafe at 09:00:30 on a deadline day: its start-up pass queues the D-day reminders, the outbox sends."""
    count = REMINDERS[size]
    generated = await prepared(spec(count))
    rate = ScheduleSettings().global_rate_per_second
    outcome = Outcome("fanout", size)
    async with stage(generated, folder, rate_limit=SERVER_LIMIT) as scene:
        owners = {p.user.chat_id: p.user for p in scene.people if p.role == "owner"}
        async with scene.bot(start=PASS_AT) as bot:
            deadline = time.monotonic() + count / rate * 2 + 60
            while sum(1 for user in owners.values() if user.inbox) < count and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # anything sent twice would show now
            memory = bot.memory()
            cpu = bot.cpu_seconds()
        sends = sorted(
            call.at
            for call in scene.server.calls
            if call.method == "sendMessage" and call.status == 200 and call.params.get("chat_id") in owners
        )
        received = [len(user.inbox) for user in owners.values()]
        statuses = dict(scene.query("SELECT status, COUNT(*) FROM outbox GROUP BY status"))
        span = sends[-1] - sends[0] if len(sends) > 1 else float("nan")
        achieved = (len(sends) - 1) / span if len(sends) > 1 else 0.0
        lost = sum(1 for n in received if n == 0)
        twice = sum(1 for n in received if n > 1)
        outcome.figures = {
            "reminders_due": count,
            "chats": len(owners),
            "configured_rate_per_second": rate,
            "server_limit": {"global_per_second": 30, "per_chat_per_second": 1},
            "achieved_rate_per_second": round(achieved, 2),
            "achieved_of_configured": round(achieved / rate, 3),
            "send_span_seconds": round(span, 1),
            "start_to_first_send_seconds": round(sends[0] - bot.first_poll_at, 2) if sends else None,
            "answers_429": scene.server.rejected_429,
            "delivered": len(sends),
            "lost": lost,
            "delivered_twice": twice,
            "outbox": statuses,
            "bot_cpu_seconds": round(cpu, 1),
            "bot_memory_mb": memory,
            "errors": len(bot.errors()),
            "database": {"generated_seconds": round(generated.seconds, 1), "cached": generated.cached},
        }
    outcome.at_least("achieved_of_configured_rate", round(achieved / rate, 3), 0.9)
    outcome.at_most("answers_429", scene.server.rejected_429, 0)
    outcome.at_most("lost", lost, 0)
    outcome.at_most("delivered_twice", twice, 0)
    return outcome
