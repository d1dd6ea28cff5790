"""The command table: every command GridSafe answers, its Chinese alias words, and the policy action behind it.

The one table of commands: each channel's border registers its handlers from it and shows its menus from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import vocabulary
from bot.domain.people import Role
from bot.domain.policy import Action, role_may


@dataclass(frozen=True)
class Command:
    """A chat command GridSafe answers."""

    name: str
    action: Action


START = "start"  # the first contact (and an invite's payload): open to strangers, never in a role's menu

# Commands that work today, in menu order. A command joins this table when its feature lands.
COMMANDS: tuple[Command, ...] = (
    Command("report", Action.REPORT),
    Command("check", Action.CHECK),
    Command("open", Action.LIST_OPEN),
    Command("overdue", Action.LIST_OPEN),
    Command("mine", Action.LIST_MINE),
    Command("hazard", Action.VIEW_HAZARD),
    Command("place", Action.VIEW_PLACE),
    Command("stats", Action.VIEW_STATS),
    Command("rank", Action.VIEW_STATS),
    Command("export", Action.EXPORT),
    Command("invite", Action.INVITE),
    Command("person", Action.MANAGE_PEOPLE),
    Command("cancel", Action.CANCEL),
    Command("help", Action.HELP),
)
STRANGER_MENU = (START, "help")  # the menu of people not (yet) on the roster


def commands_for(role: Role) -> list[str]:
    """Names of the commands a role may use, in menu order."""
    return [c.name for c in COMMANDS if role_may(role, c.action)]


# What may follow an alias word: anything after a space, unless the command takes only a number. "隐患" is read as
# /hazard only when a number (or nothing) follows, so a description that opens with "隐患 …" stays a description.
# A number may follow the word of a command that takes one without a space: 隐患12, 排查12 …
_ANY_WORDS = r"(?:\s+.*)?"
ALIAS_ARGUMENTS: dict[str, str] = {"hazard": r"(?:\s*#?\d+)?\s*", "check": r"(?:\s+.*|\d+(?:\s+.*)?)?"}
_NUMBERED = ("hazard", "check")  # commands whose alias word may be glued to a number
# "#12" alone opens hazard 12 when nothing is in progress (an answer such as the original of a duplicate is "#12" too).
_HAZARD_NUMBER = re.compile(r"^\s*#\d+\s*$")


def alias_pattern(words: list[str], arguments: str = _ANY_WORDS) -> re.Pattern[str]:
    """The pattern of a text that starts with one of the alias words; an empty word would match any text."""
    if not words or not all(word.strip() for word in words):
        raise ValueError(f"a command alias must be a visible word: {words!r}")
    return re.compile(r"^\s*(?:" + "|".join(re.escape(w.strip()) for w in words) + r")" + arguments + "$", re.DOTALL)


def alias_words(command: str) -> list[str]:
    """The command's alias words, each in simplified and traditional characters (帮助, 幫助)."""
    return [
        form
        for alias, target in vocabulary.COMMAND_ALIASES.items()
        if target == command
        for form in vocabulary.traditional_forms(alias)
    ]


def command_alias(command: str) -> re.Pattern[str]:
    """The pattern of a text that calls the command by one of its Chinese alias words."""
    return alias_pattern(alias_words(command), ALIAS_ARGUMENTS.get(command, _ANY_WORDS))


_GLUED = re.compile(
    "^("
    + "|".join(re.escape(w) for c in _NUMBERED for w in sorted(alias_words(c), key=len, reverse=True))
    + r")(#?\d.*)$"
)
_ALIAS_OF = {form: command for command in _NUMBERED for form in alias_words(command)}


def start_words(text: str | None) -> list[str]:
    """The words of a text that calls /start (`/start <code>`, or the alias `绑定 <code>`), else none."""
    words = (text or "").split()
    # A text of only spaces has no first word.
    if not words:
        return []
    first = words[0].split("@")[0]
    return words if first == f"/{START}" or vocabulary.COMMAND_ALIASES.get(first) == START else []


def is_hazard_number(text: str) -> bool:
    """A text that is only a hazard's number, "#12"."""
    return _HAZARD_NUMBER.match(text) is not None


def _words(text: str | None) -> list[str]:
    """The words of a text, an alias word glued to its number taken apart (排查12 → 排查, 12)."""
    words = (text or "").split()
    glued = _GLUED.match(words[0]) if words else None
    return [glued.group(1), glued.group(2), *words[1:]] if glued else words


def is_check_caption(caption: str | None) -> bool:
    """A photo caption that logs a check (`排查 12 …`, 排查12, 排查 in traditional characters) rather than starting a
    report."""
    words = _words(caption)
    return len(words) >= 2 and _ALIAS_OF.get(words[0]) == "check" and words[1].isdigit()


def arguments(text: str | None) -> list[str]:
    """Words after the command or alias ("/open 新龙村 消防" and "未整改 新龙村 消防" give the same; 隐患12 gives 12)."""
    return _words(text)[1:]
