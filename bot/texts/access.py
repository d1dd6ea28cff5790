"""Access and onboarding: who may talk to the bot, invites at /start, greetings, answers to unread input."""

from __future__ import annotations

from bot import screen
from bot.domain.people import Role
from bot.texts.common import (
    PRODUCT,
    ROLE_NAMES,
    scope_label,
)

UNBOUND = (
    f"您好！这里是「{PRODUCT}」安全生产隐患排查整改平台。\n"
    "本平台仅对已登记的信息员、责任人、安监员和管理员开放。\n"
    "请向您所在乡镇的安监员或市应急管理局索取专属邀请链接，点击链接即可完成绑定。"
)
PRIVATE_ONLY = f"「{PRODUCT}」只在私聊中工作，请点击机器人头像与我私聊。群内消息不会被记录。"
UNBOUND_BUTTON = "您还没有绑定身份，请先通过邀请链接绑定。"
DEACTIVATED = (
    "您已不在人员名册中（已停用），不能再使用本平台。您经手的隐患记录都已保留。\n如有疑问，请联系市应急管理局管理员。"
)
DEACTIVATED_BUTTON = "您已不在人员名册中（已停用），不能再进行任何操作。"
FLOOD_REFUSED = "操作过于频繁，请稍后再试。刚才短时间内发来的消息没有处理，请稍等片刻再重新发送。"

INVITE_UNKNOWN = "邀请码无效。请确认链接完整，或向安监员索取新的邀请链接。"
INVITE_USED = "该邀请链接已被使用过，每个链接只能使用一次。如需重新绑定，请向安监员索取新的邀请链接。"
INVITE_EXPIRED = "该邀请链接已过期。请向安监员索取新的邀请链接。"


def welcome(name: str, role: Role, town: str | None, village: str | None, *, rebound: bool) -> str:
    """Greeting after a successful binding."""
    head = "已为您更换绑定的 Telegram 账号。" if rebound else "绑定成功！"
    return (
        f"{head}\n{screen.name(name)}，您好！您的身份是【{scope_label(town, village)} · {ROLE_NAMES[role]}】。\n"
        "发送 /help 或「帮助」查看您可以使用的功能。"
    )


def already_bound(name: str, role: Role, town: str | None, village: str | None) -> str:
    """Answer to /start from someone already bound."""
    return f"{screen.name(name)}，您已绑定为【{scope_label(town, village)} · {ROLE_NAMES[role]}】。发送 /help 或「帮助」查看可用功能。"


# Bad input (issue 8, fuzzing): answers to updates the bot does not act on.

EDIT_IGNORED = "修改已发送的消息不会被处理。如需更正，请重新发送。"
MEDIA_NOT_NOW = "这一步不需要文件、语音或其他内容，已收到的内容都还在。"
FINISH_ACTION_FIRST = "您有一项操作还没有完成，请先回答下面的问题；如要放弃这项操作，请发送 /cancel。"
