"""Command-line messages: configuration, migrations, invites, exports and the Bot API check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.domain.people import Role
from bot.texts.common import ROLE_NAMES


def token_missing(config: Path) -> str:
    """No bot token: where to put one (also in English: this may be read by whoever deploys)."""
    return (
        f"未配置机器人令牌（Telegram bot token）。请在 {config} 的 [telegram] 一节填写 token，"
        "或设置环境变量 GRIDSAFE_TELEGRAM__TOKEN。\n"
        f"No bot token configured: set telegram.token in {config} or the environment variable "
        "GRIDSAFE_TELEGRAM__TOKEN."
    )


def config_invalid(detail: str) -> str:
    """The configuration cannot be loaded: the key at fault is in the detail."""
    return f"配置有误 / configuration error:\n{detail}"


def migrated(version: int, path: Path) -> str:
    """`gridsafe migrate` with nothing to do."""
    return f"数据库已是最新版本（第 {version} 版）：{path}"


def migrated_applied(version: int, count: int, path: Path) -> str:
    """`gridsafe migrate` after applying migrations."""
    return f"已升级数据库到第 {version} 版（本次执行 {count} 个迁移）：{path}"


def cli_invite_created(name: str, scope: str, role: Role, expires: str, link: str, code: str) -> str:
    """`gridsafe invite`: the link and the code."""
    return f"邀请已生成：{name}（{scope} · {ROLE_NAMES[role]}），有效期至 {expires}。\n链接：{link}\n邀请码：{code}"


def invite_needs_name(scope: str, count: int, role: Role) -> str:
    """`gridsafe invite` for a place with several people of the role."""
    return f"{scope}有 {count} 位{ROLE_NAMES[role]}，请用 --name 指定姓名。"


def invite_needs_town(role: Role) -> str:
    """`gridsafe invite` of a supervisor without --town."""
    return f"{ROLE_NAMES[role]}需要指定 --town。"


def invite_needs_village(role: Role) -> str:
    """`gridsafe invite` of an officer or owner without --village."""
    return f"{ROLE_NAMES[role]}需要指定 --village（村名在多个镇重名时再加 --town）。"


INVITE_NEEDS_NEW_NAME = "名册中没有这个人，新建人员需要用 --name 指定姓名。"


def invite_needs_reason(name: str) -> str:
    """`gridsafe invite` of a person who is bound: a reason is required."""
    return (
        f"{name} 已经绑定了 Telegram 账号。新的链接一旦使用，其现用账号会立即失去绑定（本人和管理员都会收到通知）。"
        "如确需重新邀请，请用 --reason 写明原因。"
    )


def ambiguous_village(village: str) -> str:
    """`gridsafe invite --village` names a village of several towns."""
    return f"有多个镇都有村「{village}」，请加 --town 指定。"


def bot_unreachable(url: str, reason: str) -> str:
    """The Bot API cannot be reached (to learn the bot's name for a link)."""
    return f"无法连接 Telegram Bot API（{url}）：{reason}"


def exported_xlsx(scope: str, period: str, hazards: int, checks: int, path: Path) -> str:
    """`gridsafe export -o`: what the ledger holds and where it went."""
    return f"已导出{scope} {period} 的隐患台账：隐患 {hazards} 条，排查记录 {checks} 条 → {path}"


def exported_geojson(scope: str, period: str, count: int, path: Path) -> str:
    """`gridsafe export --geojson`: how many located hazards."""
    return f"已导出{scope} {period} 有位置的隐患 {count} 条（GeoJSON）→ {path}"


def exported_photos(scope: str, period: str, count: int, path: Path) -> str:
    """`gridsafe export -o`: the photo archive written beside the ledger."""
    return f"已导出{scope} {period} 的隐患照片 {count} 张（按隐患编号命名）→ {path}"


def export_cannot_write(path: str, reason: str) -> str:
    """An export file that cannot be written."""
    return f"无法写入 {path}（{reason}）。请确认目录存在且可以写入。"


EXPORT_NEEDS_OUTPUT = "请用 -o 指定 Excel 文件，或用 --geojson 指定 GeoJSON 文件。"


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
