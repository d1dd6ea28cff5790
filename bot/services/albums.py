"""Which albums already got their answer: an album refused at a wrong step is answered once, not once per item.

Telegram delivers an album (a media group) as one update per item, all with the same media_group_id, one after another
in the chat. Only the sender's latest answered album is remembered: an album's items arrive together, so an album
older than the latest one never gets another item. The memory is the process's own; an album cut in two by a restart
may be answered once more, which is harmless.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

REMEMBERED_SENDERS = 10_000  # bounded memory: the least recently heard sender is forgotten first


class AlbumAnswers:
    """The latest album answered, per sender."""

    def __init__(self, capacity: int = REMEMBERED_SENDERS) -> None:
        self._latest: OrderedDict[Hashable, str] = OrderedDict()
        self._capacity = capacity

    def first_answer(self, sender: Hashable, album: str | None) -> bool:
        """True if an answer is due for this item: it is not part of an album, or its album has not been answered yet
        (it is then marked answered)."""
        if album is None:
            return True
        if self._latest.get(sender) == album:
            self._latest.move_to_end(sender)
            return False
        self._latest[sender] = album
        self._latest.move_to_end(sender)
        if len(self._latest) > self._capacity:
            self._latest.popitem(last=False)
        return True
