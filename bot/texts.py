"""The text catalog: every word a person sees, in Simplified Chinese. Nothing user-facing is written elsewhere."""

from __future__ import annotations

from bot.domain.people import Role

PRODUCT = "网格安全通"

ROLE_NAMES: dict[Role, str] = {
    Role.OFFICER: "信息员",
    Role.OWNER: "责任人",
    Role.SUPERVISOR: "镇安监员",
    Role.ADMIN: "管理员",
}

# Words accepted in the role column of a roster file, besides the English codes.
ROLE_ALIASES: dict[str, Role] = {
    "信息员": Role.OFFICER,
    "基层信息员": Role.OFFICER,
    "网格员": Role.OFFICER,
    "责任人": Role.OWNER,
    "安监员": Role.SUPERVISOR,
    "镇安监员": Role.SUPERVISOR,
    "乡镇安监员": Role.SUPERVISOR,
    "管理员": Role.ADMIN,
}

# Column headers accepted in a roster file (English or Chinese) → field name.
ROSTER_HEADERS: dict[str, str] = {
    "town": "town",
    "镇": "town",
    "乡镇": "town",
    "镇街": "town",
    "village": "village",
    "村": "village",
    "村社区": "village",
    "村（社区）": "village",
    "name": "name",
    "姓名": "name",
    "role": "role",
    "角色": "role",
    "phone": "phone",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
}

# ---- chat: access -------------------------------------------------------------------------------------------

UNBOUND = (
    f"您好！这里是「{PRODUCT}」安全生产隐患排查整改平台。\n"
    "本平台仅对已登记的信息员、责任人、安监员和管理员开放。\n"
    "请向您所在乡镇的安监员或市应急管理局索取专属邀请链接，点击链接即可完成绑定。"
)
PRIVATE_ONLY = f"「{PRODUCT}」只在私聊中工作，请点击机器人头像与我私聊。群内消息不会被记录。"
UNBOUND_BUTTON = "您还没有绑定身份，请先通过邀请链接绑定。"

INVITE_UNKNOWN = "邀请码无效。请确认链接完整，或向安监员索取新的邀请链接。"
INVITE_USED = "该邀请链接已被使用过，每个链接只能使用一次。如需重新绑定，请向安监员索取新的邀请链接。"
INVITE_EXPIRED = "该邀请链接已过期。请向安监员索取新的邀请链接。"


def scope_label(town: str | None, village: str | None) -> str:
    """Where a person works, as shown in greetings and lists."""
    if village and town:
        return f"{town}{village}"
    if town:
        return town
    return "全市"


def welcome(name: str, role: Role, town: str | None, village: str | None, *, rebound: bool) -> str:
    """Greeting after a successful binding."""
    head = "已为您更换绑定的 Telegram 账号。" if rebound else "绑定成功！"
    return (
        f"{head}\n{name}，您好！您的身份是【{scope_label(town, village)} · {ROLE_NAMES[role]}】。\n"
        "发送 /help 或「帮助」查看您可以使用的功能。"
    )


def already_bound(name: str, role: Role, town: str | None, village: str | None) -> str:
    """Answer to /start from someone already bound."""
    return (
        f"{name}，您已绑定为【{scope_label(town, village)} · {ROLE_NAMES[role]}】。发送 /help 或「帮助」查看可用功能。"
    )


# ---- chat: commands -----------------------------------------------------------------------------------------

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": "开始 / 绑定身份",
    "help": "帮助",
    "report": "上报隐患",
    "check": "登记排查",
    "open": "未整改隐患",
    "overdue": "逾期隐患",
    "mine": "我的隐患",
    "stats": "统计",
    "rank": "月度排名",
    "export": "导出台账",
    "invite": "生成邀请链接",
    "cancel": "取消当前操作",
}

# Plain-message aliases for commands (a person may type the word instead of the command).
COMMAND_ALIASES: dict[str, str] = {
    "帮助": "help",
    "上报": "report",
    "排查": "check",
    "未整改": "open",
    "逾期": "overdue",
    "我的": "mine",
    "统计": "stats",
    "排名": "rank",
    "导出": "export",
    "邀请": "invite",
    "取消": "cancel",
}

_HELP_LINES: dict[str, str] = {
    "help": "/help（帮助）— 查看本说明",
    "report": "/report（上报）— 上报隐患；直接发送照片也可以开始上报",
    "check": "/check（排查）— 登记本周村排查 / 本月镇排查",
    "open": "/open（未整改）— 查看辖区内未整改的隐患，可加村名、类别或「重大」筛选",
    "overdue": "/overdue（逾期）— 查看辖区内逾期未整改的隐患",
    "mine": "/mine（我的）— 查看与我有关的隐患",
    "stats": "/stats（统计）— 查看本周、本月或某月的统计",
    "rank": "/rank（排名）— 查看各镇月度排名",
    "export": "/export（导出）— 导出隐患台账 Excel",
    "invite": "/invite（邀请）— 生成邀请链接",
    "cancel": "/cancel（取消）— 退出当前操作，不保存未完成的内容",
}

_ROLE_INTRO: dict[Role, str] = {
    Role.OFFICER: "作为村信息员，您每周至少排查一次本村，发现隐患随时拍照上报，并跟进整改。",
    Role.OWNER: "作为隐患责任人，您会收到交办的隐患和整改期限，整改完成后请上传整改后照片。",
    Role.SUPERVISOR: "作为镇安监员，您负责交办本镇隐患、复核整改、每月至少排查一次，并掌握各村进度。",
    Role.ADMIN: "作为管理员，您可以查看全市隐患、统计和排名，导出台账，并管理人员与邀请。",
}


def help_text(role: Role, name: str, commands: list[str]) -> str:
    """Role-specific help listing exactly the commands this role may use."""
    lines = [f"{name}（{ROLE_NAMES[role]}），{_ROLE_INTRO[role]}", "", "可用功能："]
    lines += [_HELP_LINES[c] for c in commands if c in _HELP_LINES]
    return "\n".join(lines)


NOT_AVAILABLE_YET = "该功能即将上线，敬请期待。"
NOT_ALLOWED = "您的身份无权使用该功能。发送 /help 查看可用功能。"
UNKNOWN_MESSAGE = "没有看懂您的消息。发送 /help 或「帮助」查看可用功能。"
INTERNAL_ERROR = "抱歉，处理时出现了问题，请稍后再试。已记录该错误。"
STALE_BUTTON = "该按钮已失效。"

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
ROSTER_IMPORTED = (
    "名册导入完成：{towns} 个镇、{villages} 个村，新增 {added} 人，更新 {updated} 人，未变 {unchanged} 人。"
)
ROSTER_REJECTED = "名册有 {count} 处错误，未导入任何数据：\n{problems}"
ROSTER_PROBLEM = "第 {row} 行：{reason}"
ROSTER_UNREADABLE = "无法读取名册文件 {path}：{reason}"
ROSTER_UNSUPPORTED = "不支持的名册文件类型：{suffix}（请使用 .csv 或 .xlsx）"
ROSTER_MISSING_COLUMNS = "缺少必需的列：{columns}（列名可用 town/village/name/role/phone 或 镇/村/姓名/角色/电话）"
ROSTER_EMPTY = "名册中没有任何人员"
REASON_NAME_MISSING = "缺少姓名"
REASON_NAME_TOO_LONG = "姓名过长（最多 {limit} 个字）"
REASON_ROLE_UNKNOWN = "角色「{role}」无法识别（可用：信息员、责任人、镇安监员、管理员）"
REASON_TOWN_MISSING = "{role}必须填写所属镇"
REASON_VILLAGE_MISSING = "{role}必须填写所属村"
REASON_ADMIN_SCOPED = "管理员不属于某个镇或村，请将镇、村留空"
REASON_SUPERVISOR_VILLAGE = "镇安监员只属于镇，请将村留空"
REASON_PHONE_INVALID = "电话号码「{phone}」格式不正确"
REASON_PLACE_TOO_LONG = "镇或村名称过长（最多 {limit} 个字）"
REASON_DUPLICATE_ROW = "与第 {row} 行重复"

INVITE_CREATED = "邀请已生成：{name}（{scope} · {role}），有效期至 {expires}。\n链接：{link}\n邀请码：{code}"
INVITE_NEEDS_NAME = "{scope}有 {count} 位{role}，请用 --name 指定姓名。"
INVITE_NEEDS_PLACE_TOWN = "{role}需要指定 --town。"
INVITE_NEEDS_PLACE_VILLAGE = "{role}需要指定 --village（村名在多个镇重名时再加 --town）。"
INVITE_NEEDS_NEW_NAME = "名册中没有这个人，新建人员需要用 --name 指定姓名。"
UNKNOWN_TOWN = "名册中没有镇「{town}」。"
UNKNOWN_VILLAGE = "名册中没有村「{village}」。"
AMBIGUOUS_VILLAGE = "有多个镇都有村「{village}」，请加 --town 指定。"
BOT_UNREACHABLE = "无法连接 Telegram Bot API（{url}）：{reason}"

CLI_HELP: dict[str, str] = {
    "description": f"{PRODUCT}（GridSafe）安全生产网格化管理机器人",
    "config": "配置文件（默认 config.toml）",
    "run": "启动机器人（长轮询）",
    "migrate": "创建或升级数据库",
    "roster": "管理人员名册",
    "roster_import": "从 CSV 或 XLSX 导入镇、村和人员",
    "roster_file": "名册文件（列：town, village, name, role, phone 或 镇、村、姓名、角色、电话）",
    "invite": "生成一次性邀请链接",
    "role": "角色：officer 信息员 / owner 责任人 / supervisor 镇安监员 / admin 管理员",
    "town": "镇名（镇安监员必填；村名重名时用来区分）",
    "village": "村名（信息员、责任人必填）",
    "name": "姓名（名册中没有时新建）",
}
