"""Albums are answered once: a refusal (wrong step, not allowed, not registered) is said for the album, not per item.

The border passes the item's album id (Telegram's media_group_id) as a plain value; an item without one is its own
answer. A sender is a person on the roster (their id), or a stranger as the channel names them. The first refused item of an album is answered; its other items are kept silent.
"""

from __future__ import annotations

from collections.abc import Hashable

from bot import texts
from bot.chat.replies import Reply, Text
from bot.services.container import Services


def answer_once(services: Services, sender: Hashable, album: str | None, replies: list[Reply]) -> list[Reply]:
    """The replies to one item, or none if its album already got its answer."""
    if not replies:
        return replies
    return replies if services.albums.first_answer(sender, album) else []


def stranger(services: Services, sender: Hashable, album: str | None, *, deactivated: bool) -> list[Reply]:
    """Someone not (or no longer) on the roster: how to get an invite, or that they were deactivated; once per
    album."""
    return answer_once(services, sender, album, [Text(texts.DEACTIVATED if deactivated else texts.UNBOUND)])
