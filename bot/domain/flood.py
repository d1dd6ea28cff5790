"""Which chats are flooding: one chat's backlog never costs anyone else their answer (DESIGN.md principle 9)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.domain.limits import CHAT_FLOOD_BACKLOG, FLOOD_QUIET_SECONDS, MAX_CHAT_BACKLOG

_QUIET = timedelta(seconds=FLOOD_QUIET_SECONDS)
_PRUNE_AT = 1024  # episodes kept before quiet ones are forgotten


class Arrival(Enum):
    """What happens to an update as it arrives."""

    QUEUE = "queue"  # waits for the chat's earlier updates
    DROP = "drop"  # the chat's backlog is full: never read


class Screening(Enum):
    """What the gate does with an update when its turn comes."""

    PASS = "pass"
    REFUSE_WITH_NOTICE = "refuse_with_notice"  # the first refusal of a flood: the person is told once
    REFUSE = "refuse"


@dataclass
class _Episode:
    last_arrival: datetime
    noticed: bool = False


class FloodWatch:
    """Flood episodes by chat (a Telegram chat id, a WeCom userid), decided by backlog (a person waiting for answers never has one), ended by quiet.

    A person sends, waits for the answer, and sends again: their chat never has updates waiting. A forward of 100
    messages, an album spammed in a loop or a script has: once CHAT_FLOOD_BACKLOG updates wait, the chat is flooding,
    and its updates are refused at the gate until it has been quiet for FLOOD_QUIET_SECONDS. Counting the backlog rather
    than updates per minute keeps a fast but patient person (or a test) from ever being limited.
    """

    def __init__(self) -> None:
        self._episodes: dict[Hashable, _Episode] = {}

    def arrive(self, chat_id: Hashable, backlog: int, now: datetime) -> Arrival:
        """Note an update of a chat that already has `backlog` updates waiting or running."""
        episode = self._episodes.get(chat_id)
        if episode is not None and now - episode.last_arrival >= _QUIET:
            del self._episodes[chat_id]
            episode = None
        if episode is None and backlog >= CHAT_FLOOD_BACKLOG:
            if len(self._episodes) >= _PRUNE_AT:
                self._forget_quiet(now)
            episode = self._episodes[chat_id] = _Episode(now)
        if episode is not None:
            episode.last_arrival = now
        return Arrival.DROP if backlog >= MAX_CHAT_BACKLOG else Arrival.QUEUE

    def screen(self, chat_id: Hashable) -> Screening:
        """Whether the gate lets the chat's next update through, and whether this refusal is the one told."""
        episode = self._episodes.get(chat_id)
        if episode is None:
            return Screening.PASS
        if episode.noticed:
            return Screening.REFUSE
        episode.noticed = True
        return Screening.REFUSE_WITH_NOTICE

    def flooding(self, chat_id: Hashable) -> bool:
        """Whether the chat is in a flood episode."""
        return chat_id in self._episodes

    def _forget_quiet(self, now: datetime) -> None:
        for chat_id in [c for c, e in self._episodes.items() if now - e.last_arrival >= _QUIET]:
            del self._episodes[chat_id]
