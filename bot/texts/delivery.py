"""Delivery: people who cannot be reached, notifications refused, replies that did not go out."""

from __future__ import annotations

from bot import screen
from bot.domain.people import Channel, Role
from bot.texts.common import (
    ROLE_NAMES,
)

CHANNEL_NAMES = {Channel.TELEGRAM: "Telegram", Channel.WECOM: "企业微信"}
# What the person (or someone) must do to be reached again on a channel.
_REACH_AGAIN = {
    Channel.TELEGRAM: "请当面提醒其重新打开与机器人的对话并发送 /start。",
    Channel.WECOM: "请管理员在企业微信管理后台把其加入本应用的可见范围，或在花名册中更正其企业微信账号。",
}


def unreachable(name: str, role: Role | None, reason: str, channel: Channel = Channel.TELEGRAM) -> str:
    """Supervisors (or admins): someone cannot receive GridSafe's messages on a channel."""
    name = screen.name(name)
    who = f"{name}（{ROLE_NAMES[role]}）" if role else name
    where = "机器人的消息" if channel is Channel.TELEGRAM else f"{CHANNEL_NAMES[channel]}上的消息"
    return f"【无法送达】{who}收不到{where}（{reason}）。{_REACH_AGAIN[channel]}"


def delivery_failed(name: str, role: Role | None, error: str, channel: Channel = Channel.TELEGRAM) -> str:
    """Admins: a channel refused a notification for good, for a reason other than an unreachable person."""
    name = screen.name(name)
    who = f"{name}（{ROLE_NAMES[role]}）" if role else name
    return (
        f"【通知发送失败】发给{who}的一条通知被 {CHANNEL_NAMES[channel]} 拒收，无法送达（{screen.clip(error, 200)}）。"
        "这通常是系统问题，请联系系统维护人员查看日志；同类失败今天不再重复提醒。"
    )


UNREACHABLE_BLOCKED = "已屏蔽机器人"
UNREACHABLE_GONE = "对话已不存在"
UNREACHABLE_NOT_IN_APP = "不在企业微信应用的可见范围内，或已离开本单位"


# Telegram faults (issue 8): a reply that could not be delivered.

REPLY_NOT_DELIVERED = (
    "网络不稳定，刚才的回复没能发出。您的操作如已完成，内容都已保存，可以发送 /mine 查看；如没有完成，请再试一次。"
)
