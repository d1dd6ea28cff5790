"""Numbers read from callback data and commands: hazard, person, village and town ids, indexes and page numbers."""

from __future__ import annotations

# SQLite integers are 64-bit: 18 decimal digits always fit, a longer number is never an id of ours.
MAX_DIGITS = 18


def parse_number(text: str) -> int:
    """A non-negative number written in ASCII digits, as GridSafe writes them into buttons; else ValueError.

    int() alone would also take " 7", "+7", "7_0", "٧" and numbers too large for SQLite, so forged callback data
    could reach the database as something it never was (or raise OverflowError there).
    """
    if not text or len(text) > MAX_DIGITS or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)
