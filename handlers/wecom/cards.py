"""A text with buttons as WeCom `button_interaction` template cards: at most 6 buttons a card, keys the typed actions.

A card shows a title (WeCom suggests at most 26 characters) and a second text (at most 112); a text that does not
fit goes before the cards as text messages, whole, and the cards carry its first line. More than 6 buttons make
several cards, each holding whole rows of the core's grid where it can, so buttons that belong together stay
together; the cards after the first say which part they are.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from bot import screen, texts
from bot.domain.notifications import Button

JsonDict = dict[str, Any]

CARD_MAX_BUTTONS = 6
TITLE_CHARS = 26
SUBTITLE_CHARS = 112


@dataclass(frozen=True)
class CardText:
    """What a text with buttons becomes: the text to send before the cards (None: it fits in them), and the
    title and second text of the cards."""

    before: str | None
    title: str
    subtitle: str


def card_text(text: str) -> CardText:
    """Fit a text into a card's title and second text, or send it before the cards."""
    title, _, rest = text.strip().partition("\n")
    rest = rest.strip()
    if title and len(title) <= TITLE_CHARS and len(rest) <= SUBTITLE_CHARS:
        return CardText(None, title, rest)
    return CardText(text, screen.clip(title or text, TITLE_CHARS), "")


def button_groups(rows: list[list[Button]]) -> list[list[Button]]:
    """The buttons of each card: whole rows while they fit in 6, a longer row cut in sixes."""
    groups: list[list[Button]] = []
    current: list[Button] = []
    for row in rows:
        if len(current) + len(row) > CARD_MAX_BUTTONS and current:
            groups.append(current)
            current = []
        for start in range(0, len(row), CARD_MAX_BUTTONS):
            chunk = row[start : start + CARD_MAX_BUTTONS]
            if len(current) + len(chunk) > CARD_MAX_BUTTONS:
                groups.append(current)
                current = []
            current = current + chunk
    if current:
        groups.append(current)
    return groups


def task_id() -> str:
    """A card's task_id: WeCom takes each one once (letters, digits, _-@; at most 128 bytes)."""
    return f"gs-{secrets.token_hex(12)}"


def button_card(title: str, subtitle: str, buttons: list[Button]) -> JsonDict:
    """One button_interaction card (its task_id is set when it is sent): each button's key is its encoded action."""
    card: JsonDict = {
        "card_type": "button_interaction",
        "main_title": {"title": title},
        "button_list": [{"text": button.text, "key": button.data} for button in buttons],
    }
    if subtitle:
        card["sub_title_text"] = subtitle
    return card


def cards(text: str, rows: list[list[Button]]) -> tuple[str | None, list[JsonDict]]:
    """The text to send first (None: none) and the cards that carry text and buttons, in order."""
    fitted = card_text(text)
    groups = button_groups(rows)
    out = []
    for number, group in enumerate(groups, start=1):
        title = fitted.title if number == 1 else texts.card_part(fitted.title, number, len(groups))
        out.append(button_card(title, fitted.subtitle if number == 1 else "", group))
    return fitted.before, out
