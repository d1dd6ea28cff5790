"""The command table in Telegram's terms: alias filters, a message's arguments, and the menus of each chat."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Message
from telegram.ext import filters

from bot import texts
from bot.chat.commands import STRANGER_MENU, arguments, command_alias, commands_for
from bot.domain.people import Role


def alias_filter(command: str) -> filters.BaseFilter:
    """Matches a private text message that starts with the command's Chinese alias word."""
    return filters.ChatType.PRIVATE & filters.Regex(command_alias(command))


def message_args(message: Message) -> list[str]:
    """Words after the command or alias ("/open 新龙村 消防" and "未整改 新龙村 消防" give the same)."""
    return arguments(message.text)


def _bot_commands(names: list[str] | tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, texts.COMMAND_DESCRIPTIONS[name]) for name in names]


async def set_default_menu(bot: Bot) -> None:
    """The menu strangers see: only /start and /help."""
    await bot.set_my_commands(_bot_commands(STRANGER_MENU), scope=BotCommandScopeDefault())


async def set_role_menu(bot: Bot, chat_id: int, role: Role) -> None:
    """Show this chat exactly its role's commands."""
    await bot.set_my_commands(_bot_commands(commands_for(role)), scope=BotCommandScopeChat(chat_id))
