"""Command-line messages: configuration, migrations, invites, exports and the Bot API check."""

from __future__ import annotations

from datetime import datetime

# ---- command line -------------------------------------------------------------------------------------------

TOKEN_MISSING = (
    "未配置机器人令牌（Telegram bot token）。请在 {config} 的 [telegram] 一节填写 token，"
    "或设置环境变量 GRIDSAFE_TELEGRAM__TOKEN。\n"
    "No bot token configured: set telegram.token in {config} or the environment variable "
    "GRIDSAFE_TELEGRAM__TOKEN."
)
CONFIG_INVALID = "配置有误 / configuration error:\n{detail}"
MIGRATED = "数据库已是最新版本（第 {version} 版）：{path}"
MIGRATED_APPLIED = "已升级数据库到第 {version} 版（本次执行 {count} 个迁移）：{path}"

INVITE_CREATED = "邀请已生成：{name}（{scope} · {role}），有效期至 {expires}。\n链接：{link}\n邀请码：{code}"
INVITE_NEEDS_NAME = "{scope}有 {count} 位{role}，请用 --name 指定姓名。"
INVITE_NEEDS_PLACE_TOWN = "{role}需要指定 --town。"
INVITE_NEEDS_PLACE_VILLAGE = "{role}需要指定 --village（村名在多个镇重名时再加 --town）。"
INVITE_NEEDS_NEW_NAME = "名册中没有这个人，新建人员需要用 --name 指定姓名。"
UNKNOWN_TOWN = "名册中没有镇「{town}」。"
UNKNOWN_VILLAGE = "名册中没有村「{village}」。"
AMBIGUOUS_VILLAGE = "有多个镇都有村「{village}」，请加 --town 指定。"
BOT_UNREACHABLE = "无法连接 Telegram Bot API（{url}）：{reason}"


def pass_preview(count: int) -> str:
    """`gridsafe tick --dry-run`: the heading."""
    return f"本次排程将发送 {count} 条消息（预览，未发送）：" if count else "本次排程没有需要发送的消息。"


def pass_done(count: int) -> str:
    """`gridsafe tick`: what was queued."""
    return f"本次排程已加入发送队列 {count} 条消息。"


def tick_in_future(at: datetime, now: datetime) -> str:
    """`gridsafe tick --at` a moment after now: refused, a preview is offered instead."""
    return (
        f"不能按未来时刻 {at:%Y-%m-%d %H:%M} 实际运行排程（现在是 {now:%Y-%m-%d %H:%M}）："
        "那样会让正在运行的机器人在此之前不再发送任何提醒。"
        "如需预览该时刻将发送的消息，请加 --dry-run。"
    )
