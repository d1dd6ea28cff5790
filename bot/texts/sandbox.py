"""The sandbox (gridsafe sandbox; ./run.sh without a token): its page, errors and clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.texts.common import (
    PRODUCT,
    WEEKDAYS,
)


def sandbox_started(url: str, data_dir: Path, database: Path) -> str:
    """The one line `gridsafe sandbox` prints: where to open it, and that its data is apart."""
    return (
        f"沙盒已启动：{url} —— 用浏览器打开即可试用（不连接 Telegram；数据库和照片单独存放在 {data_dir}，"
        f"与正式部署的 {database} 分开）。按 Ctrl+C 停止。"
    )


def sandbox_host_warning(host: str) -> str:
    """The sandbox listens beyond this machine."""
    return f"警告：沙盒监听 {host}，任何能访问这个地址的人都可以冒充名册中的任何人。只在可信网络中这样做。"


def sandbox_overlap(path: str) -> str:
    """The sandbox's data directory overlaps the real deployment's data."""
    return f"sandbox.data_dir 与正式部署的数据（{path}）重叠。沙盒必须使用单独的目录，请修改 [sandbox] data_dir。"


def sandbox_port_busy(host: str, port: int, reason: str) -> str:
    """The sandbox's port cannot be opened."""
    return f"无法在 {host}:{port} 启动沙盒（{reason}）。请用 --port 换一个端口，或修改 [sandbox] port。"


SANDBOX_RESET_DONE = "沙盒已重置：示例名册，聊天和记录已清空。"


def sandbox_clock_label(moment: datetime) -> str:
    """The sandbox clock as the page shows it, e.g. 2026-11-23 周一 10:00 (local time)."""
    return f"{moment:%Y-%m-%d} {WEEKDAYS[moment.weekday()]} {moment:%H:%M}"


def sandbox_jumped(label: str, count: int) -> str:
    """Told after the clock moved: where to, and how many reminders the scheduler queued."""
    return f"时钟已拨到 {label}，排程已运行：新提醒 {count} 条。"


def sandbox_unknown_person(person_id: int | str) -> str:
    """The page asked for a person not in the roster."""
    return f"名册中没有这个人（编号 {person_id}）。请从左侧名单中选择。"


SANDBOX_UNKNOWN_MESSAGE = "找不到这条消息，可能已被删除。"
SANDBOX_FORGED_BUTTON = "这条消息上没有这个按钮，没有发送任何内容。"
SANDBOX_EMPTY_TEXT = "消息不能为空。"


def sandbox_text_too_long(limit: int) -> str:
    """A message typed in the page over its limit."""
    return f"消息太长（最多 {limit} 个字），没有发送。"


def sandbox_not_image(name: str) -> str:
    """A file sent as a photo that is not a JPG or PNG."""
    return f"「{name}」不是 JPG 或 PNG 图片，不能作为照片发送，没有发送任何照片。其他文件请用「文件」发送。"


def sandbox_too_large(name: str, limit: int | str) -> str:
    """A file over what the bot may download (`limit` in MB; the page fills in "{limit}" itself)."""
    return f"「{name}」超过 {limit} MB（机器人最多能下载 {limit} MB），没有发送。请压缩后重新发送。"


SANDBOX_NO_FILE = "没有选择文件。"
SANDBOX_BAD_LOCATION = "位置无效：纬度应在 -90 到 90 之间，经度在 -180 到 180 之间。"


def sandbox_clock_backwards(now: str, target: str) -> str:
    """The sandbox clock only moves forward."""
    return f"时钟只能向前拨：现在是 {now}，不能拨回到 {target}。"


def sandbox_bad_moment(value: str) -> str:
    """A moment typed in the clock box that cannot be read."""
    return f"无法识别的时间「{value}」，请用 YYYY-MM-DD HH:MM 格式。"


SANDBOX_BAD_REQUEST = "请求格式不正确。"
# The page checks files before sending them and fills the placeholders in itself.
SANDBOX_PAGE_ERRORS: dict[str, str] = {
    "too_large": sandbox_too_large("{name}", "{limit}"),
    "not_image": sandbox_not_image("{name}"),
}
SANDBOX_CHAT_ACTIONS: dict[str, str] = {
    "typing": "正在输入…",
    "upload_photo": "正在发送照片…",
    "upload_document": "正在发送文件…",
    "find_location": "正在查找位置…",
}
SANDBOX_UI: dict[str, str] = {
    "title": f"{PRODUCT} · 沙盒",
    "subtitle": "本地试用：不连接 Telegram，数据与正式部署分开",
    "search": "搜索姓名、村、镇",
    "city": "市级",
    "town_level": "镇级",
    "unbound": "未绑定",
    "pick_person": "从左侧名单选择一个人，以他的身份和机器人聊天。每个浏览器标签页可以是不同的人。",
    "input": "输入消息或命令，Shift+Enter 换行",
    "send": "发送",
    "photo": "照片",
    "file": "文件",
    "location": "位置",
    "menu": "菜单",
    "clock": "沙盒时钟",
    "next_monday": "下周一 09:00",
    "plus_1d": "+1 天",
    "plus_7d": "+7 天",
    "jump": "拨到",
    "reset": "重置沙盒",
    "reset_confirm": "重置后回到示例名册，所有聊天、隐患和记录都会清空。确定吗？",
    "reset_done": SANDBOX_RESET_DONE,
    "location_title": "发送位置",
    "latitude": "纬度",
    "longitude": "经度",
    "samples": "本村样点",
    "sample": "样点 {n}",
    "cancel": "取消",
    "download": "下载",
    "edited": "已编辑",
    "voice": "🎤 {n} 秒",
    "new_tab": "在新标签页打开",
    "caption": "照片说明（可不填）",
    "offline": "与沙盒的连接已断开，正在重连…",
    "on_telegram": "Telegram",
    "on_wecom": "企业微信",
}
