"""Scenario 2, query load: /open, /overdue and /hazard N from 200 people on the province's million hazards, beside a
bare python-telegram-bot echo bot measured in the same run against the same server."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.bots import BotProcess
from bench.dbgen import Spec, prepared, province
from bench.measure import Outcome, spread
from bench.stage import Person, Stage, stage
from bench.world import NOW
from sandbox.simusers import SimUser

SIZES: dict[str, tuple[Spec, int, int]] = {  # database, requests under load, requests one at a time
    "tiny": (Spec(villages=100, hazards=1_000, due=10, bound={"admin": 3, "supervisor": 4, "officer": 8}), 60, 30),
    "small": (
        Spec(villages=2_000, hazards=20_000, due=100, bound={"admin": 3, "supervisor": 20, "officer": 40}),
        1_500,
        150,
    ),
    "full": (province(), 10_000, 600),
}
ANSWER_TIMEOUT = 60.0
SEND_MESSAGE = frozenset({"sendMessage"})


@dataclass
class Load:
    """Requests sent and answered: every user sends its next request as soon as the last is answered."""

    sent: list[tuple[int, float]]  # (chat, moment the update was queued)
    seconds: float
    failures: list[str]
    driver_cpu: float  # CPU seconds of this process (the loopback Bot API and the simulated people) meanwhile

    @property
    def rate(self) -> float:
        """Answered requests per second."""
        return len(self.sent) / self.seconds if self.seconds else 0.0


async def _answer(user: SimUser) -> None:
    """Wait for the bot's text answer in this chat (a /hazard card comes after its photos)."""
    while True:
        message = await user.next_message(ANSWER_TIMEOUT)
        if message.method == "sendMessage":
            return


async def _load(requests: dict[SimUser, list[str]], concurrent: bool) -> Load:
    """Send each user's requests in order, users side by side (or, not concurrent, one request at a time)."""
    sent: list[tuple[int, float]] = []
    failures: list[str] = []

    async def one(user: SimUser, text: str) -> None:
        await user.send(text)
        sent.append((user.chat_id, time.monotonic()))
        try:
            await _answer(user)
        except AssertionError as exc:
            failures.append(str(exc)[:300])

    async def person(user: SimUser, texts: list[str]) -> None:
        for text in texts:
            await one(user, text)

    started, cpu = time.monotonic(), time.process_time()
    if concurrent:
        await asyncio.gather(*(person(user, texts) for user, texts in requests.items()))
    else:
        for user, text in _interleaved(requests):
            await one(user, text)
    return Load(sent, time.monotonic() - started, failures, time.process_time() - cpu)


def _interleaved(requests: dict[SimUser, list[str]]) -> list[tuple[SimUser, str]]:
    rounds = itertools.zip_longest(*([(user, text) for text in texts] for user, texts in requests.items()))
    return [pair for round_ in rounds for pair in round_ if pair is not None]


def _requests(scene: Stage, total: int) -> dict[SimUser, list[str]]:
    """Each person's share of `total`, cycling /open, /overdue and /hazard N (N a hazard they may see)."""
    people = scene.people
    per_person = -(-total // len(people))
    out: dict[SimUser, list[str]] = {}
    budget = total
    for person in people:
        numbers = _visible_hazards(scene, person)
        texts: list[str] = []
        for k in range(min(per_person, budget)):
            kind = k % 3
            texts.append("/open" if kind == 0 else "/overdue" if kind == 1 else f"/hazard {numbers[k % len(numbers)]}")
        budget -= len(texts)
        out[person.user] = texts
    return out


def _visible_hazards(scene: Stage, person: Person) -> list[int]:
    params: list[int | None]
    if person.role == "admin":
        sql, params = "SELECT id FROM hazards WHERE id % 997 = ? LIMIT 20", [person.user.chat_id % 997]
    elif person.role == "supervisor":
        sql, params = "SELECT id FROM hazards WHERE town_id = ? ORDER BY id DESC LIMIT 20", [person.town_id]
    else:
        sql, params = "SELECT id FROM hazards WHERE village_id = ? ORDER BY id DESC LIMIT 20", [person.village_id]
    return [row[0] for row in scene.query(sql, params)] or [1]


async def _echo(scene: Stage, requests: dict[SimUser, list[str]]) -> Load:
    pings = {user: [f"ping {n}" for n in range(len(texts))] for user, texts in requests.items()}
    async with scene.bot(kind="echo"):
        return await _load(pings, concurrent=True)


async def run(size: str, folder: Path) -> Outcome:
    """The echo bot under the load, then GridSafe under the same load, then GridSafe one request at a time."""
    spec, total, one_by_one = SIZES[size]
    generated = await prepared(spec)
    outcome = Outcome("queries", size)
    async with stage(generated, folder) as scene:
        requests = _requests(scene, total)
        echo = await _echo(scene, requests)
        async with scene.bot(start=NOW) as bot:
            await _load({user: texts[:3] for user, texts in requests.items()}, concurrent=True)  # warm-up
            cpu = bot.cpu_seconds()
            loaded = await _load(requests, concurrent=True)
            cpu = bot.cpu_seconds() - cpu
            single = await _load(
                {user: texts[: max(1, one_by_one // len(requests))] for user, texts in requests.items()}, False
            )
            memory = bot.memory()
            errors = bot.errors()
        outcome.figures = _figures(scene, spec, bot, echo, loaded, single, cpu, memory, errors, generated.seconds)
    ratio = loaded.rate / echo.rate if echo.rate else 0.0
    outcome.at_least("updates_per_second", round(loaded.rate, 1), 300, "/s")
    outcome.at_least("throughput_over_echo_bot", round(ratio, 3), 0.5, "×")
    outcome.at_most("service_p95_ms", outcome.figures["service_time"]["p95_ms"], 50, "ms")
    outcome.at_most("peak_rss_mb", memory["peak_rss_mb"], 200, "MB")
    outcome.at_most("errors", len(errors) + len(loaded.failures) + len(single.failures), 0)
    return outcome


def _figures(
    scene: Stage,
    spec: Spec,
    bot: BotProcess,
    echo: Load,
    loaded: Load,
    single: Load,
    cpu: float,
    memory: dict[str, float],
    errors: list[str],
    generated_seconds: float,
) -> dict[str, Any]:
    service = [s for s in scene.reaction_seconds(single.sent, {}, SEND_MESSAGE) if s == s]
    under_load = [s for s in scene.reaction_seconds(loaded.sent, {}, SEND_MESSAGE) if s == s]
    return {
        "hazards": spec.hazards,
        "villages": spec.villages,
        "users": len(scene.people),
        "requests": len(loaded.sent),
        "mix": "/open, /overdue, /hazard N in turn (N in the asker's scope)",
        "updates_per_second": round(loaded.rate, 1),
        "echo_bot_updates_per_second": round(echo.rate, 1),
        "throughput_over_echo_bot": round(loaded.rate / echo.rate, 3) if echo.rate else None,
        "service_time": {
            **spread(service),
            "note": "one request at a time: from the update being queued to the answer reaching the server",
        },
        "latency_under_load": {
            **spread(under_load),
            "note": f"{len(scene.people)} people each waiting for their answer before asking again",
        },
        "bot_cpu_ms_per_request": round(1000 * cpu / max(len(loaded.sent), 1), 2),
        "driver_cpu_ms_per_request": {
            "gridsafe": round(1000 * loaded.driver_cpu / max(len(loaded.sent), 1), 2),
            "echo_bot": round(1000 * echo.driver_cpu / max(len(echo.sent), 1), 2),
            "note": "the loopback Bot API server and the simulated people, in the benchmark's own process",
        },
        "bot_memory_mb": memory,
        "errors": len(errors) + len(loaded.failures) + len(single.failures),
        "error_samples": (errors + loaded.failures + single.failures)[:5],
        "database": {
            "generated_seconds": round(generated_seconds, 1),
            "mb": round(scene.database.stat().st_size / 1e6),
        },
    }
