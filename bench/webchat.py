"""Scenario 7, the sandbox page: loading the page, and a message's round trip through it to the bot and back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.measure import Outcome, spread
from bot.settings import load_settings
from sandbox.web import SandboxSite
from sandbox.world import World

ROUNDS = {"tiny": 5, "small": 50, "full": 300}
# What the page fetches before a person can be picked: the page, its script and style, the roster, the clock.
PAGE_PARTS = ("/", "/static/app.js", "/static/style.css", "/api/roster", "/api/clock")


async def run(size: str, folder: Path) -> Outcome:
    """Serve the sandbox on loopback and time page loads and text → answer round trips, as the page does them."""
    settings = load_settings(
        None,
        {
            "GRIDSAFE_STORAGE__DATABASE": str(folder / "real" / "gridsafe.db"),
            "GRIDSAFE_SANDBOX__DATA_DIR": str(folder / "sandbox"),
        },
    )
    outcome = Outcome("webchat", size)
    site = await SandboxSite.open(World(settings), port=0)
    try:
        async with aiohttp.ClientSession() as http:
            loads = [await _page_load(http, site.url) for _ in range(ROUNDS[size])]
            async with http.get(f"{site.url}/api/events") as stream:  # the page keeps one live stream open
                person_id = await _officer(http, site.url, stream)
                trips = [await _round_trip(http, site.url, person_id, stream) for _ in range(ROUNDS[size])]
    finally:
        await site.close()
    outcome.figures = {
        "page_load": spread(loads),
        "round_trip": spread(trips),
        "note": "loopback, one client beside the sandbox in its process; page load: the page, its script and style, "
        "the roster (200 people) and the clock, one after another; round trip: POST a text (帮助) until the bot's "
        "answer is in the chat the page fetches after the live event",
    }
    outcome.at_most("page_load_p95_ms", spread(loads)["p95_ms"], 100, "ms")
    outcome.at_most("round_trip_p95_ms", spread(trips)["p95_ms"], 150, "ms")
    return outcome


async def _page_load(http: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    for part in PAGE_PARTS:
        async with http.get(url + part) as response:
            assert response.status == 200, part
            await response.read()
    return time.perf_counter() - started


async def _officer(http: aiohttp.ClientSession, url: str, stream: aiohttp.ClientResponse) -> int:
    """Open the first village officer's chat and wait until the bot has bound them."""
    async with http.get(f"{url}/api/roster") as response:
        roster = await response.json()
    person_id = int(roster["towns"][0]["villages"][0]["people"][0]["id"])
    async with http.post(f"{url}/api/people/{person_id}/open") as response:
        assert response.status == 200
    await _until_bot_messages(http, url, person_id, 1, stream)
    return person_id


async def _round_trip(http: aiohttp.ClientSession, url: str, person_id: int, stream: aiohttp.ClientResponse) -> float:
    chat = await _chat(http, url, person_id)
    answers = sum(1 for m in chat["messages"] if m["from"] == "bot")
    started = time.perf_counter()
    async with http.post(f"{url}/api/people/{person_id}/text", json={"text": "帮助"}) as response:
        assert response.status == 200
    await _until_bot_messages(http, url, person_id, answers + 1, stream)
    return time.perf_counter() - started


async def _until_bot_messages(
    http: aiohttp.ClientSession, url: str, person_id: int, count: int, stream: aiohttp.ClientResponse
) -> None:
    """Re-read the chat on each live event, as the page does, until it has count bot messages."""
    while True:
        chat = await _chat(http, url, person_id)
        if sum(1 for m in chat["messages"] if m["from"] == "bot") >= count:
            return
        await asyncio.wait_for(_next_event(stream), timeout=30)


async def _next_event(stream: aiohttp.ClientResponse) -> None:
    async for line in stream.content:
        if line.startswith(b"data: "):
            return


async def _chat(http: aiohttp.ClientSession, url: str, person_id: int) -> Any:
    async with http.get(f"{url}/api/people/{person_id}") as response:
        return (await response.json())["chat"]
