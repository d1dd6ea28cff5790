"""Delivery: people who cannot be reached, notifications refused, replies that did not go out."""

from __future__ import annotations

from bot import screen
from bot.domain.people import Role
from bot.texts.common import (
    ROLE_NAMES,
)


def unreachable(name: str, role: Role | None, reason: str) -> str:
    """Supervisors (or admins): someone cannot receive GridSafe's messages."""
    name = screen.name(name)
    who = f"{name}（{ROLE_NAMES[role]}）" if role else name
    return f"【无法送达】{who}收不到机器人的消息（{reason}）。请当面提醒其重新打开与机器人的对话并发送 /start。"


def delivery_failed(name: str, role: Role | None, error: str) -> str:
    """Admins: Telegram refused a notification for good, for a reason other than a blocked bot."""
    name = screen.name(name)
    who = f"{name}（{ROLE_NAMES[role]}）" if role else name
    return (
        f"【通知发送失败】发给{who}的一条通知被 Telegram 拒收，无法送达（{screen.clip(error, 200)}）。"
        "这通常是系统问题，请联系系统维护人员查看日志；同类失败今天不再重复提醒。"
    )


UNREACHABLE_BLOCKED = "已屏蔽机器人"
UNREACHABLE_GONE = "对话已不存在"
UNREACHABLE_NOT_IN_APP = "不在企业微信应用的可见范围内，或已离开本单位"


def card_part(title: str, part: int, parts: int) -> str:
    """WeCom: the title of a further card of one message whose buttons do not fit on one card (6 at most)."""
    return f"{screen.clip(title, 18)}（{part}/{parts}）"


# Telegram faults (issue 8): a reply that could not be delivered.

REPLY_NOT_DELIVERED = (
    "网络不稳定，刚才的回复没能发出。您的操作如已完成，内容都已保存，可以发送 /mine 查看；如没有完成，请再试一次。"
)
