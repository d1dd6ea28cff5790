"""Typed text as GridSafe keeps it: what people type, without the characters nobody can see."""

from __future__ import annotations

import re
import unicodedata

from bot.domain.errors import TooLong
from bot.domain.limits import MAX_NAME

_KEPT_CONTROLS = "\n\t"
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners shape emoji sequences and some scripts


def _kept(char: str) -> bool:
    return char in _KEPT_CONTROLS or char in _JOINERS or unicodedata.category(char) not in ("Cc", "Cf")


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    return char not in _JOINERS and category[0] != "Z" and category not in ("Cc", "Cf", "Cs")


def clean(text: str) -> str:
    """The text without control and format characters (line breaks and tabs stay), trimmed; "" if nothing shows.

    Such characters come with text copied from web pages or garbled by a keyboard: they cannot be seen, make an
    official record differ from what was shown, are not allowed in a spreadsheet, and U+202E even turns a line around.
    """
    if text.isprintable():
        # No control, format, separator (but the space) or unassigned character: nothing to take out, and whatever
        # is left once trimmed shows. Checked in C: a places file of a million rows is cleaned 8 cells a row.
        return text.strip()
    kept = "".join(char for char in text if _kept(char)).strip()
    return kept if any(_visible(char) for char in kept) else ""


_SPACES = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """A person's or place's name as kept: cleaned like typed text, on one line, without invisible joiners.

    A name is compared with other names: "肖浩\u200b" or "肖浩\u200d" would look exactly like the peer 肖浩.
    """
    cleaned = clean(text)
    kept = cleaned if cleaned.isprintable() else "".join(char for char in cleaned if char not in _JOINERS)
    return _SPACES.sub(" ", kept).strip()


def person_name(text: str | None) -> str | None:
    """A person's name as given in chat or on the command line: cleaned, None if nothing shows, TooLong past the limit."""
    name = clean_name(text or "")
    if len(name) > MAX_NAME:
        raise TooLong(MAX_NAME)
    return name or None
