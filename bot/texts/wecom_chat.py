"""WeCom (企业微信) chat: what only the WeCom app says (binding by typed code, a location asked for in words, cards)."""

from __future__ import annotations

from bot.domain import vocabulary
from bot.texts.common import PRODUCT

BIND_WORD = next(word for word, command in vocabulary.COMMAND_ALIASES.items() if command == "start")

WECOM_UNBOUND = (
    f"您好！这里是「{PRODUCT}」安全生产隐患排查整改平台。\n"
    "本平台仅对已登记的信息员、责任人、安监员和管理员开放。\n"
    f"请向您所在乡镇的安监员或市应急管理局索取邀请码，然后在这里发送「{BIND_WORD} 邀请码」即可完成绑定。"
)
WECOM_UNBOUND_BUTTON = f"您还没有绑定身份，请先发送「{BIND_WORD} 邀请码」完成绑定。"
WECOM_MORE_BUTTONS = "更多选项："  # the title of a card holding the buttons beyond a card's six
WECOM_CHOOSE = "请选择："  # the title of a card whose text was sent as a message just before it
WECOM_CARD_DONE = "已处理"  # what a card's buttons turn into once answered


def wecom_file_too_large(filename: str, limit_mb: int) -> str:
    """A file over what WeCom carries (the photo zip of a large export): where to get it instead."""
    return (
        f"文件「{filename}」超过企业微信单个文件 {limit_mb} MB 的上限，未能发送。"
        "请缩短导出的时间范围，或在 Telegram 中导出，也可请管理员在服务器上运行 gridsafe export。"
    )


def wecom_bind_hint(code: str) -> str:
    """How an invite code is used in WeCom (where an invite is no link): the words to send."""
    return f"{BIND_WORD} {code}（在企业微信应用中发送；Telegram 中也可发送同样的内容）"


def wecom_ask_location(skip_label: str) -> str:
    """The location step in WeCom, which has no location button: share it from the + menu, or type the skip word."""
    return f"请发送隐患位置：点击输入框旁的「+」→「位置」，发送当前位置；不便提供时请回复「{skip_label}」。"


def wecom_location(latitude: float, longitude: float) -> str:
    """A point on the map, where WeCom's app messages cannot carry one."""
    return f"位置：纬度 {latitude:.6f}，经度 {longitude:.6f}"
