"""Where a person's notifications go when they are on Telegram, WeCom or both: one rule, pure.

Cadres often have both. A notification sent twice is noise that teaches people to skim, and a card on two channels
can be answered twice; a missed deadline is a hazard left standing. So:

- a notification goes to the channel the person last wrote from (where they are at work now); one who never wrote
  gets it on WeCom, the county's working chat;
- what must not be missed goes to every channel the person is on: major-hazard alerts (urgent) and the deadline
  ladder from its last day on (今天到期, 黄牌, 红牌 and the weekly overdue reminders). These are few per hazard, and
  a duplicate of them costs less than a deadline missed because the alert sat in the other app.

A person on one channel gets everything there. A person on none gets a Telegram row that fails as "not bound",
as before WeCom existed (the roster shows who is not bound). When a channel cannot reach the person (WeCom says
they are outside the app, Telegram that they blocked the bot, or the binding ended after the notification was
queued), it goes to their other channels instead: their supervisors are told of the failure, and the person still
gets the message where they can.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.people import Channel
from bot.domain.schedule import RungKind

# The rungs of the deadline ladder that go to every channel: from the deadline day on.
ALARM_RUNGS = frozenset({RungKind.D_DAY, RungKind.YELLOW, RungKind.RED, RungKind.OVERDUE})
UNUSED_DEFAULT = Channel.WECOM  # for a person on both who never wrote: the county's working chat


@dataclass(frozen=True)
class Reach:
    """The channels a person can be reached on now, and the one they last wrote from."""

    telegram: bool
    wecom: bool
    last: Channel | None = None

    @property
    def bound(self) -> list[Channel]:
        """The channels the person is on, Telegram first."""
        return [channel for channel, on in ((Channel.TELEGRAM, self.telegram), (Channel.WECOM, self.wecom)) if on]


def channels(reach: Reach, *, must_not_miss: bool) -> list[Channel]:
    """The channels one notification goes to (never empty)."""
    bound = reach.bound
    if not bound:
        return [Channel.TELEGRAM]
    if must_not_miss or len(bound) == 1:
        return bound
    return [reach.last if reach.last in bound else UNUSED_DEFAULT]


def is_alarm(kind: RungKind) -> bool:
    """Whether a rung of the deadline ladder must not be missed (sent on every channel)."""
    return kind in ALARM_RUNGS


def fallback(reach: Reach, failed: Channel) -> list[Channel]:
    """The channels a notification goes to instead when `failed` cannot reach the person: the others they are on."""
    return [channel for channel in reach.bound if channel is not failed]
