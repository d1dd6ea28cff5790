"""/invite (邀请) in chat: how to ask for a link, the link, and why one cannot be made."""

from __future__ import annotations

from bot import screen
from bot.domain.people import Role
from bot.texts.common import (
    ROLE_NAMES,
)


def invite_usage(role: Role) -> str:
    """How to ask for an invite link, for a supervisor (own town only) or an admin (anyone)."""
    lines = [
        "生成邀请链接：发送「邀请 身份 村或镇 姓名」，例如：",
        "邀请 信息员 新龙村",
        "邀请 责任人 新龙村 张老板",
        "邀请 安监员 青龙镇 肖浩",
    ]
    if role is Role.ADMIN:
        lines.append("邀请 管理员 值班员")
        lines.append("已绑定的人（例如换了手机）需写明原因：邀请 信息员 新龙村 曾英海 原因：换了手机")
        lines.append("村名在多个镇重名时写成「镇/村」，如：邀请 信息员 青龙镇/新龙村")
    else:
        lines.append("只能邀请本镇的信息员、责任人和镇安监员；村写本镇的村名即可。")
    lines.append("名册中已有的人可不写姓名；写上名册中没有的姓名会新建该人员。链接只能使用一次，7 天内有效。")
    return "\n".join(lines)


def invite_created(name: str, scope: str, role: Role, expires: str, link: str) -> str:
    """The link to forward to the invited person."""
    name, scope = screen.name(name), screen.clip(scope, 2 * screen.NAME)
    return (
        f"已为 {name}（{scope} · {ROLE_NAMES[role]}）生成邀请链接，有效期至 {expires}，只能使用一次。\n"
        f"请把链接转发给本人：\n{link}"
    )


def name_too_long(limit: int) -> str:
    """A typed name over its limit."""
    return f"姓名过长（最多 {limit} 个字），请重新输入。"


def unknown_town(town: str) -> str:
    """A town that is not in the roster."""
    return f"名册中没有镇「{town}」。"


def unknown_village(village: str) -> str:
    """A village that is not in the roster."""
    return f"名册中没有村「{village}」。"


INVITE_NOT_ALLOWED = "您只能为本镇的信息员、责任人和镇安监员生成邀请链接。"


def invite_reason_too_long(limit: int) -> str:
    """The reason for re-inviting a bound person is over its limit (chat and command line)."""
    return f"原因过长（最多 {limit} 个字）。"


def invite_already_bound(name: str) -> str:
    """A supervisor's 邀请 of a person who is bound: only an admin may re-invite."""
    return (
        f"{name} 已经绑定了 Telegram 账号，不能再为其生成邀请链接。如确需更换账号（例如换了手机），请联系管理员办理。"
    )


def invite_chat_reason_needed(name: str) -> str:
    """An admin's 邀请 of a person who is bound: a reason is required."""
    return (
        f"{name} 已经绑定了 Telegram 账号。新的链接一旦使用，其现用账号会立即失去绑定（本人和管理员都会收到通知）。"
        "如确需重新邀请，请在最后写明原因，例如：邀请 信息员 新龙村 曾英海 原因：换了手机"
    )


def invite_chat_needs_name(place: str, count: int, role: Role) -> str:
    """邀请 for a place with several people of the role: name one."""
    return f"{place}有 {count} 位{ROLE_NAMES[role]}，请在最后写上姓名，例如：邀请 {ROLE_NAMES[role]} {place} 张三。"


INVITE_CHAT_NEEDS_NEW_NAME = "名册中没有这个人。要新建人员，请在最后写上姓名。"


def invite_chat_ambiguous_village(village: str) -> str:
    """A village name of several towns: write 镇/村."""
    return f"有多个镇都有村「{village}」，请写成「镇/村」，例如：青龙镇/{village}。"
