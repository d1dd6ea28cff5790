"""The command table: command names, their Chinese aliases, the policy action behind each, and menus."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Message
from telegram.ext import filters

from bot import texts
from bot.domain import vocabulary
from bot.domain.notifications import HAZARD_PREFIX
from bot.domain.people import Role
from bot.domain.policy import Action, role_may


@dataclass(frozen=True)
class Command:
    """A chat command GridSafe answers."""

    name: str
    action: Action


# Commands that work today, in menu order. A command joins this table when its feature lands.
COMMANDS: tuple[Command, ...] = (
    Command("report", Action.REPORT),
    Command("check", Action.CHECK),
    Command("open", Action.LIST_OPEN),
    Command("overdue", Action.LIST_OPEN),
    Command("mine", Action.LIST_MINE),
    Command("hazard", Action.VIEW_HAZARD),
    Command("stats", Action.VIEW_STATS),
    Command("rank", Action.VIEW_STATS),
    Command("export", Action.EXPORT),
    Command("invite", Action.INVITE),
    Command("person", Action.MANAGE_PEOPLE),
    Command("cancel", Action.CANCEL),
    Command("help", Action.HELP),
)


def commands_for(role: Role) -> list[str]:
    """Names of the commands a role may use, in menu order."""
    return [c.name for c in COMMANDS if role_may(role, c.action)]


# What may follow an alias word: anything after a space, unless the command takes only a number. "隐患" is read as
# /hazard only when a number (or nothing) follows, so a description that opens with "隐患 …" stays a description.
_ANY_WORDS = r"(?:\s+.*)?"
ALIAS_ARGUMENTS: dict[str, str] = {"hazard": r"(?:\s+#?\d+)?\s*"}
# "#12" alone opens hazard 12 when nothing is in progress (an answer such as the original of a duplicate is "#12" too).
_HAZARD_NUMBER = re.compile(r"^\s*#\d+\s*$")


def alias_pattern(words: list[str], arguments: str = _ANY_WORDS) -> re.Pattern[str]:
    """The pattern of a text that starts with one of the alias words; an empty word would match any text."""
    if not words or not all(word.strip() for word in words):
        raise ValueError(f"a command alias must be a visible word: {words!r}")
    return re.compile(r"^\s*(?:" + "|".join(re.escape(w.strip()) for w in words) + r")" + arguments + "$", re.DOTALL)


def alias_filter(command: str) -> filters.BaseFilter:
    """Matches a private text message that starts with the command's Chinese alias word."""
    words = [alias for alias, target in vocabulary.COMMAND_ALIASES.items() if target == command]
    return filters.ChatType.PRIVATE & filters.Regex(alias_pattern(words, ALIAS_ARGUMENTS.get(command, _ANY_WORDS)))


def is_hazard_number(text: str) -> bool:
    """A text that is only a hazard's number, "#12"."""
    return _HAZARD_NUMBER.match(text) is not None


def is_hazard_button(data: object) -> bool:
    """Callback data of a button acting on a hazard."""
    return isinstance(data, str) and data.startswith(f"{HAZARD_PREFIX}:")


def is_check_caption(caption: str | None) -> bool:
    """A photo caption that logs a check (`排查 12 …`) rather than starting a report."""
    words = (caption or "").split()
    return len(words) >= 2 and vocabulary.COMMAND_ALIASES.get(words[0]) == "check" and words[1].isdigit()


def message_args(message: Message) -> list[str]:
    """Words after the command or alias ("/open 新龙村 消防" and "未整改 新龙村 消防" give the same)."""
    return (message.text or "").split()[1:]


def _bot_commands(names: list[str]) -> list[BotCommand]:
    return [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name]) for name in names]


async def set_default_menu(bot: Bot) -> None:
    """The menu strangers see: only /start and /help."""
    await bot.set_my_commands(_bot_commands(["start", "help"]), scope=BotCommandScopeDefault())


async def set_role_menu(bot: Bot, chat_id: int, role: Role) -> None:
    """Show this chat exactly its role's commands."""
    await bot.set_my_commands(_bot_commands(commands_for(role)), scope=BotCommandScopeChat(chat_id))
