"""Commands and help: the menu, role-specific help and the general refusals."""

from __future__ import annotations

from bot import screen
from bot.domain.people import Role
from bot.domain.policy import CheckKind
from bot.texts.common import (
    ROLE_NAMES,
)

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": "开始 / 绑定身份",
    "help": "帮助",
    "report": "上报隐患",
    "check": "登记排查",
    "open": "未整改隐患",
    "overdue": "逾期隐患",
    "mine": "我的隐患",
    "hazard": "隐患详情",
    "place": "场所档案",
    "stats": "统计",
    "rank": "月度排名",
    "export": "导出台账",
    "invite": "生成邀请链接",
    "person": "人员停用、调动",
    "cancel": "取消当前操作",
}

# Plain-message aliases for commands (a person may type the word instead of the command).


_HELP_LINES: dict[str, str] = {
    "help": "/help（帮助）— 查看本说明",
    "report": "/report（上报）— 上报隐患；直接发送照片也可以开始上报",
    "open": "/open（未整改）— 查看辖区内未整改的隐患，可加村名、类别或「重大」筛选",
    "overdue": "/overdue（逾期）— 查看辖区内逾期未整改的隐患",
    "mine": "/mine（我的）— 查看与我有关的隐患",
    "place": "/place 名称或编号（场所）— 查看场所档案（一企一档）：等级、责任人、状态、隐患和排查记录",
    "stats": "/stats（统计）— 查看本周、本月或某月的统计",
    "rank": "/rank（排名）— 查看各镇月度排名",
    "export": "/export（导出）— 导出隐患台账 Excel",
    "invite": "/invite（邀请）— 生成邀请链接",
    "person": "/person（人员）— 停用或调动人员，例如：人员 停用 肖浩；人员 调动 肖浩 白石镇",
    "cancel": "/cancel（取消）— 退出当前操作，不保存未完成的内容",
}

_CHECK_HELP: dict[CheckKind, str] = {
    CheckKind.VILLAGE: "/check（排查）— 查看或登记本周村排查，例如：排查 12 已查超市和加油站",
    CheckKind.TOWN: "/check（排查）— 查看或登记本月镇排查，例如：排查 12 已查超市和加油站",
}
_HAZARD_HELP = "/hazard 编号（隐患 编号，或直接发送 #编号）— 查看隐患详情、照片和进展"

_ROLE_INTRO: dict[Role, str] = {
    Role.OFFICER: "作为村信息员，您每周至少排查一次本村，发现隐患随时拍照上报，并跟进整改。",
    Role.OWNER: "作为隐患责任人，您会收到交办的隐患和整改期限，整改完成后请上传整改后照片。",
    Role.SUPERVISOR: "作为镇安监员，您负责交办本镇隐患、复核整改、每月至少排查一次，并掌握各村进度。",
    Role.ADMIN: "作为管理员，您可以查看全市隐患、统计和排名，导出台账，并管理人员与邀请。",
}


def help_text(
    role: Role, name: str, commands: list[str], moves: list[str] | None = None, check: CheckKind | None = None
) -> str:
    """Role-specific help listing exactly the commands this role may use, the check it logs and the buttons (moves)
    it may press on a hazard's card."""
    lines = [f"{screen.name(name)}（{ROLE_NAMES[role]}），{_ROLE_INTRO[role]}", "", "可用功能："]
    for command in commands:
        if command == "check" and check is not None:
            lines.append(_CHECK_HELP[check])
        elif command == "hazard":
            lines.append(_HAZARD_HELP + (f"；可{'、'.join(moves)}" if moves else ""))
        elif command in _HELP_LINES:
            lines.append(_HELP_LINES[command])
    return "\n".join(lines)


NOT_AVAILABLE_YET = "该功能即将上线，敬请期待。"
NOT_ALLOWED = "您的身份无权使用该功能。发送 /help 查看可用功能。"
UNKNOWN_MESSAGE = "没有看懂您的消息。发送 /help 或「帮助」查看可用功能。"
UNKNOWN_MESSAGE_OWNER = "没有看懂您的消息。下面是需要您整改的隐患，整改完成后点击「提交整改」上传整改后的照片："
INTERNAL_ERROR = "抱歉，处理时出现了问题，请稍后再试。已记录该错误。"
# The database stayed locked by another process (maintenance, a roster import) longer than writes wait.
DATABASE_BUSY = "数据库忙（可能正在维护或导入名册），刚才的内容还没有保存，请稍后重试。"
# The database file was deleted or replaced while running: nothing more is written, the bot stops.
DATABASE_GONE_REPLY = "抱歉，系统出现故障，刚才的操作没有保存，机器人已暂停服务。请稍后再试，或联系管理员。"
STALE_BUTTON = "该按钮已失效。"
