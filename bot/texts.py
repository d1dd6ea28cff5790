"""The text catalog: every word a person sees, in Simplified Chinese. Nothing user-facing is written elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bot import screen
from bot.domain.errors import Denial
from bot.domain.hazards import Closure, Hazard, Severity, Status, TimelineEvent
from bot.domain.lifecycle import Move
from bot.domain.limits import MAX_DESCRIPTION, MAX_PHOTOS, MAX_PLACE, MAX_PLACES_CHECKED, MAX_REASON
from bot.domain.people import Person, Role
from bot.domain.places import Grade, PlaceStatus
from bot.domain.queries import HazardPage, ListKind
from bot.domain.statistics import AreaTally, Period, PeriodKind, RankedTown, Ranking, Stats, Tally, Weights

if TYPE_CHECKING:
    from bot.domain.report import ReportDraft
    from bot.domain.roster_changes import Removed, RosterChanges

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
DEACTIVATED = (
    "您已不在人员名册中（已停用），不能再使用本平台。您经手的隐患记录都已保留。\n如有疑问，请联系市应急管理局管理员。"
)
DEACTIVATED_BUTTON = "您已不在人员名册中（已停用），不能再进行任何操作。"
FLOOD_REFUSED = "操作过于频繁，请稍后再试。刚才短时间内发来的消息没有处理，请稍等片刻再重新发送。"

INVITE_UNKNOWN = "邀请码无效。请确认链接完整，或向安监员索取新的邀请链接。"
INVITE_USED = "该邀请链接已被使用过，每个链接只能使用一次。如需重新绑定，请向安监员索取新的邀请链接。"
INVITE_EXPIRED = "该邀请链接已过期。请向安监员索取新的邀请链接。"


def scope_label(town: str | None, village: str | None) -> str:
    """Where a person works, as shown in greetings and lists."""
    if village and town:
        return f"{screen.name(town)}{screen.name(village)}"
    if town:
        return screen.name(town)
    return "全市"


def welcome(
    name: str, role: Role, town: str | None, village: str | None, *, rebound: bool, switched_from: str | None = None
) -> str:
    """Greeting after a successful binding."""
    head = "已为您更换绑定的 Telegram 账号。" if rebound else "绑定成功！"
    if switched_from:
        head += f"\n本账号原来的身份 {switched_from} 已解除绑定。"
    return (
        f"{head}\n{screen.name(name)}，您好！您的身份是【{scope_label(town, village)} · {ROLE_NAMES[role]}】。\n"
        "发送 /help 或「帮助」查看您可以使用的功能。"
    )


def already_bound(name: str, role: Role, town: str | None, village: str | None) -> str:
    """Answer to /start from someone already bound."""
    return f"{screen.name(name)}，您已绑定为【{scope_label(town, village)} · {ROLE_NAMES[role]}】。发送 /help 或「帮助」查看可用功能。"


def person_label(person: Person) -> str:
    """A person as named in notices about bindings: name, place and role."""
    return f"{screen.name(person.name)}（{scope_label(person.town_name, person.village_name)} · {ROLE_NAMES[person.role]}）"


BUTTON_SWITCH_CONFIRM = "确认更换身份"
BUTTON_SWITCH_KEEP = "保留原身份"
SWITCH_KEPT = "已取消，您的身份没有变化，邀请链接也没有被使用。"


def confirm_switch(current: Person, target: Person) -> str:
    """A bound account opened an invite for someone else: one account holds one binding, so ask first."""
    return (
        f"您这个 Telegram 账号已绑定为 {person_label(current)}。\n"
        f"这个邀请链接是给 {person_label(target)} 的。一个账号只能绑定一个身份：确认后，本账号将改为 "
        f"{screen.name(target.name)}，原来的身份立即解除绑定，不能再以原身份操作。\n"
        "如果链接是别人发错了，请点击「保留原身份」。"
    )


def binding_moved_away(person: Person) -> str:
    """To the account that just lost a person's binding to another account."""
    return (
        f"【绑定变更】您的身份 {person_label(person)} 刚刚被绑定到另一个 Telegram 账号，本账号已不能再使用该身份。\n"
        "如果不是您本人申请的（例如没有换手机），请立即联系市应急管理局。"
    )


def binding_changed_alert(
    person: Person, *, moved: bool, switched_from: Person | None, reason: str | None, inviter: Person | None
) -> str:
    """To the admins: a binding moved to another account, or an account took on another person."""
    lines = ["【绑定变更】"]
    if moved:
        lines.append(f"{person_label(person)} 的绑定已转到另一个 Telegram 账号，原账号已解除绑定并已收到通知。")
    if switched_from is not None:
        lines.append(
            f"原绑定为 {person_label(switched_from)} 的 Telegram 账号改为绑定 {person_label(person)}，"
            f"{screen.name(switched_from.name)} 目前没有绑定账号。"
        )
    who = screen.name(inviter.name) if inviter else "命令行（服务器管理员）"
    lines.append(f"邀请人：{who}；原因：{screen.clip(reason, MAX_REASON) if reason else '未填写'}。")
    lines.append("如非本人申请，请立即核实处理。")
    return "\n".join(lines)


# ---- chat: commands -----------------------------------------------------------------------------------------

COMMAND_DESCRIPTIONS: dict[str, str] = {
    "start": "开始 / 绑定身份",
    "help": "帮助",
    "report": "上报隐患",
    "check": "登记排查",
    "open": "未整改隐患",
    "overdue": "逾期隐患",
    "mine": "我的隐患",
    "hazard": "隐患详情",
    "stats": "统计",
    "rank": "月度排名",
    "export": "导出台账",
    "invite": "生成邀请链接",
    "person": "人员停用、调动",
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
    "隐患": "hazard",  # followed by a number: 隐患 12 (or #12 alone)
    "统计": "stats",
    "排名": "rank",
    "导出": "export",
    "邀请": "invite",
    "人员": "person",
    "取消": "cancel",
}

_HELP_LINES: dict[str, str] = {
    "help": "/help（帮助）— 查看本说明",
    "report": "/report（上报）— 上报隐患；直接发送照片也可以开始上报",
    "check": "/check（排查）— 查看或登记本周村排查 / 本月镇排查，例如：排查 12 已查超市和加油站",
    "open": "/open（未整改）— 查看辖区内未整改的隐患，可加村名、类别或「重大」筛选",
    "overdue": "/overdue（逾期）— 查看辖区内逾期未整改的隐患",
    "mine": "/mine（我的）— 查看与我有关的隐患",
    "hazard": "/hazard 编号（隐患 编号，或直接发送 #编号）— 查看隐患详情、照片和进展，并进行交办、整改、复核等操作",
    "stats": "/stats（统计）— 查看本周、本月或某月的统计",
    "rank": "/rank（排名）— 查看各镇月度排名",
    "export": "/export（导出）— 导出隐患台账 Excel",
    "invite": "/invite（邀请）— 生成邀请链接",
    "person": "/person（人员）— 停用或调动人员，例如：人员 停用 肖浩；人员 调动 肖浩 白石镇",
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
    lines = [f"{screen.name(name)}（{ROLE_NAMES[role]}），{_ROLE_INTRO[role]}", "", "可用功能："]
    lines += [_HELP_LINES[c] for c in commands if c in _HELP_LINES]
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

# ---- chat: reporting -----------------------------------------------------------------------------------------

# The default hazard categories (DESIGN.md section 2); config.toml [reporting] categories may change them.
DEFAULT_CATEGORIES = [
    "消防",
    "用电用气",
    "道路交通",
    "建筑施工",
    "危险化学品",
    "烟花爆竹",
    "非煤矿山",
    "食品药品",
    "九小场所",
    "自建房",
    "森林防火",
    "其他",
]

SEVERITY_NAMES: dict[Severity, str] = {Severity.GENERAL: "一般隐患", Severity.MAJOR: "重大隐患"}
STATUS_NAMES: dict[Status, str] = {
    Status.REPORTED: "待交办",
    Status.ASSIGNED: "整改中",
    Status.SUBMITTED: "待复核",
    Status.CLOSED: "已销号",
}
CLOSURE_NAMES: dict[Closure, str] = {Closure.VERIFIED: "已销号", Closure.INVALID: "不属实", Closure.DUPLICATE: "重复"}

SKIP = "跳过"
BUTTON_NEXT = "下一步"
BUTTON_SUBMIT = "提交"
BUTTON_EDIT = "修改"
BUTTON_CANCEL = "取消"
BUTTON_FIX_ON_SPOT = "即查即改（已当场整改）"
BUTTON_SEND_LOCATION = "发送当前位置"
BUTTON_BACK = "返回"
BUTTON_ASSIGN = "交办"
BUTTON_INVALID = "不属实"
BUTTON_DUPLICATE = "重复"
BUTTON_VERIFY = "复核通过"
BUTTON_REJECT = "不通过"

STEP_NAMES: dict[str, str] = {
    "photos": "照片",
    "description": "描述",
    "category": "类别",
    "severity": "等级",
    "village": "村",
    "place": "场所",
    "location": "位置",
    "after_photos": "整改后照片",
}

ASK_PHOTOS = "请发送隐患照片（1–10 张，可以一次选多张发送）。也可以把照片作为文件发送（JPG/PNG）。"
ASK_DESCRIPTION = "请简要描述隐患情况（不超过 1000 字），例如：「超市后门消防通道堆放纸箱，通道堵塞」。"
ASK_CATEGORY = "请选择隐患类别："
ASK_SEVERITY = (
    "请选择隐患等级：\n"
    "· 一般隐患：危害和整改难度较小，发现后能够立即整改；\n"
    "· 重大隐患：需要停产停业整改，或单位自身难以整改。"
)
ASK_VILLAGE = "隐患位于本镇哪个村（社区）？"
ASK_PLACE = "请输入隐患所在场所名称（如「XX超市」「村委会旁加油点」）。"
ASK_PLACE_WITH_OPTIONS = ASK_PLACE + "\n也可以点击本村已用过的场所："
ASK_LOCATION = "请点击下方「发送当前位置」按钮发送隐患位置，或点击「跳过」。"
ASK_AFTER_PHOTOS = "请发送当场整改后的照片（1–10 张），发完后点击「下一步」。"
ASK_EDIT = "要修改哪一项？"
ASK_BUTTONS = "请点击上面的按钮选择。"
ASK_PHOTO_FIRST = "请先发送隐患照片，再填写描述。"
ASK_SUMMARY_BUTTONS = "请点击「提交」「修改」或「取消」。"
RESUMED = "您有一份未完成的上报，继续上次的步骤。"
LOCATION_NOT_NOW = "当前步骤不需要位置。"
LOCATION_RECORDED = "位置已记录。"
LOCATION_SKIPPED = "已跳过位置。"

PHOTO_NOT_IMAGE_FILE = "只能接收 JPG 或 PNG 图片文件，这个文件没有收下。已收到的内容都还在。"
PHOTO_BROKEN = "这个文件不是有效的 JPG/PNG 图片，没有收下。已收到的内容都还在。"
PHOTO_STICKER = "贴纸不能作为隐患照片，请发送现场照片。已收到的内容都还在。"
PHOTO_VIDEO = "暂不支持视频，请发送现场照片（可以从视频中截图）。已收到的内容都还在。"
PHOTO_OTHER_MEDIA = "请发送现场照片；语音、联系人等内容不能作为隐患照片。已收到的内容都还在。"
PHOTO_TOO_LARGE = "文件超过 20 MB，Telegram 不允许机器人下载。请压缩后重新发送。已收到的内容都还在。"
PHOTO_NOT_NOW = "当前步骤不需要照片，已收到的内容都还在。"
PHOTO_DOWNLOAD_FAILED = "照片下载失败，请重新发送这张照片。已收到的内容都还在。"
REPORT_NOT_ALLOWED = "您的身份不能上报隐患。如发现隐患，请联系本村信息员或镇安监员。"
REPORT_CANCELLED = "已取消本次上报，没有保存任何内容。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"


def text_too_long(limit: int, length: int) -> str:
    """A typed answer over its limit; the rest of the report is kept."""
    return f"内容太长了（{length} 字），请精简到 {limit} 字以内后重新发送。已填写的其他内容都还在。"


def photos_received(count: int, refused: int, *, after: bool, has_description: bool) -> str:
    """The one confirmation after a batch of photos."""
    kind = "整改后照片" if after else "照片"
    lines = [f"已收到 {count} 张{kind}。"]
    if refused:
        lines.append(f"每次最多 {MAX_PHOTOS} 张，另外 {refused} 张没有收下（已保留前 {MAX_PHOTOS} 张）。")
    if after:
        lines.append("可以继续发送，或点击「下一步」。")
    elif has_description:
        lines.append("照片说明已作为隐患描述。可以继续发送照片，或点击「下一步」。")
    else:
        lines.append("可以继续发送照片；发完后点击「下一步」，或直接输入隐患描述。")
    return "\n".join(lines)


def _location(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return "未提供"
    return f"{latitude:.5f}, {longitude:.5f}"


def report_summary(draft: ReportDraft, village: str, lookalikes: list[int]) -> str:
    """Everything given, shown before 提交."""
    assert draft.severity is not None
    lines = [
        "请核对隐患信息：",
        f"照片：{len(draft.photos)} 张",
        f"描述：{screen.clip(draft.description or '', MAX_DESCRIPTION)}",
        f"类别：{screen.clip(draft.category or '', screen.CATEGORY)}",
        f"等级：{SEVERITY_NAMES[draft.severity]}",
        f"村（社区）：{screen.name(village)}",
        f"场所：{screen.clip(draft.place or '', MAX_PLACE)}",
        f"位置：{_location(draft.latitude, draft.longitude)}",
    ]
    if draft.fixed_on_spot:
        lines.append(f"即查即改：已当场整改，整改后照片 {len(draft.after_photos)} 张")
    if lookalikes:
        lines.append("")
        numbers = screen.joined([f"#{n}" for n in lookalikes], "、", 300, _and_more)
        lines.append(f"⚠️ 可能与 {numbers} 重复（同一场所、同一类别、尚未销号）。")
    lines.append("")
    lines.append("确认无误请点击「提交」。")
    return "\n".join(lines)


def _and_more(count: int) -> str:
    return f" 等另外 {count} 起"


def report_registered(hazard_id: int, *, fixed_on_spot: bool) -> str:
    """Answer to 提交."""
    if fixed_on_spot:
        return f"隐患 #{hazard_id} 已登记（即查即改），已提交镇安监员复核。发送 /mine 查看我的上报。"
    return f"隐患 #{hazard_id} 已登记，已通知镇安监员交办。发送 /mine 查看我的上报。"


def _local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def new_hazard_card(hazard: Hazard, before: int, after: int, zone: tzinfo) -> str:
    """What a township supervisor receives for a new hazard (the reporter is named: supervisors may know)."""
    hazard = screen.hazard(hazard)
    head = "【即查即改·待复核】" if hazard.fixed_on_spot else "【新隐患·待交办】"
    if hazard.severity is Severity.MAJOR:
        head = "【重大隐患】" + head
    lines = [
        f"{head}#{hazard.id}",
        f"村（社区）：{hazard.town_name}{hazard.village_name}",
        f"场所：{hazard.place}",
        f"类别：{hazard.category} · {SEVERITY_NAMES[hazard.severity]}",
        f"描述：{hazard.description}",
        f"位置：{_location(hazard.latitude, hazard.longitude)}",
        f"上报：{hazard.reporter_name}（{hazard.village_name}信息员） {_local(hazard.reported_at, zone)}",
        f"照片：整改前 {before} 张" + (f"，整改后 {after} 张" if after else ""),
    ]
    return "\n".join(lines)


def major_hazard_alert(hazard: Hazard, photos: int, zone: tzinfo) -> str:
    """What every admin receives at once for a major hazard."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【重大隐患报警】#{hazard.id}",
            f"{hazard.town_name}{hazard.village_name} · {hazard.place}",
            f"类别：{hazard.category}",
            f"描述：{hazard.description}",
            f"上报：{hazard.reporter_name} {_local(hazard.reported_at, zone)}",
            f"照片 {photos} 张。已通知{hazard.town_name}安监员交办。",
        ]
    )


def status_name(hazard: Hazard) -> str:
    """A hazard's status as people say it."""
    if hazard.closure is not None:
        return CLOSURE_NAMES[hazard.closure]
    return STATUS_NAMES[hazard.status]


MINE_EMPTY_OWNER = "目前没有交办给您的隐患。"


def _more_hazards(count: int) -> str:
    return f"……另有 {count} 条未列出，发送 /hazard 编号 查看某一条。"


MINE_EMPTY_OFFICER = "您还没有上报过隐患。发送 /report 或「上报」开始上报，也可以直接发送照片。"


def my_reports(hazards: list[Hazard], zone: tzinfo) -> str:
    """An officer's own reports, newest first."""
    rows = []
    for h in (screen.hazard(h) for h in hazards):
        rows.append(
            f"#{h.id} {h.place} · {h.category} · {SEVERITY_NAMES[h.severity]} · {status_name(h)}"
            f" · {h.reported_at.astimezone(zone).strftime('%m-%d')}"
        )
    return screen.fit([f"我的上报（最近 {len(hazards)} 条）："], rows, [], _more_hazards)


# ---- chat: rectification ------------------------------------------------------------------------------------

BUTTON_RECTIFY = "提交整改"
BUTTON_PROXY = "代为提交整改"
BUTTON_NEW_OWNER = "新责任人"
MOVE_BUTTONS: dict[Move, str] = {
    Move.ASSIGN: BUTTON_ASSIGN,
    Move.INVALID: BUTTON_INVALID,
    Move.DUPLICATE: BUTTON_DUPLICATE,
    Move.SUBMIT: BUTTON_RECTIFY,
    Move.VERIFY: BUTTON_VERIFY,
    Move.REJECT: BUTTON_REJECT,
    Move.REOPEN: "重新打开",
    Move.REASSIGN: "改派",
}
EVENT_NAMES: dict[str, str] = {
    "reported": "上报",
    "fixed_on_spot": "即查即改",
    "assign": "交办",
    "invalid": "不属实",
    "duplicate": "重复",
    "submit": "提交整改",
    "submitted_by_proxy": "代为提交整改",
    "verify": "复核通过，销号",
    "reject": "复核不通过",
    "reopen": "重新打开",
    "reassign": "改派",
}

HAZARD_HANDLED = "该隐患已处理"
OWNER_JOINED = "责任人已开始使用本平台，将由其本人提交整改，您不必再代为提交。"
OWN_SUBMISSION = "这项整改是您（或您这个 Telegram 账号）提交的，不能由您自己复核。请由本镇其他安监员或管理员复核。"
DENIALS: dict[Denial, str] = {
    Denial.NOT_ALLOWED: NOT_ALLOWED,
    Denial.OWNER_JOINED: OWNER_JOINED,
    Denial.OWN_SUBMISSION: OWN_SUBMISSION,
}
BUTTON_VERIFY_SHORT = "复核"
HAZARD_USAGE = "请在命令后写隐患编号，例如：/hazard 12 或 隐患 12"
OWNER_PHOTO_HINT = "要提交整改照片，请先点击整改通知里的「提交整改」按钮（发送 /mine 查看需要整改的隐患）。"
ASK_OWNER = "请选择责任人（本村已登记的责任人），或点击「新责任人」，也可以直接输入新责任人姓名："
ASK_OWNER_NAME = "请输入责任人姓名，可在后面加手机号，例如：张三 13800000000"
ASK_RECTIFY_PHOTOS = "请发送整改后的照片（1–10 张），发完后点击「下一步」。"
ASK_RECTIFY_NOTE = "请简要说明整改情况（例如：已清理通道、已更换电线）："
ASK_ORIGINAL = "请输入与之重复的原隐患编号，例如 #12："
ASK_REASON: dict[Move, str] = {
    Move.INVALID: "请说明不属实的原因：",
    Move.REJECT: "请说明复核不通过的原因（将转告责任人）：",
    Move.REOPEN: "请说明重新打开的原因（例如：复查发现问题再次出现）：",
    Move.REASSIGN: "请说明改派的原因（例如：原责任人登记错误、场所已转让），将记入隐患进展：",
}
ASK_REASSIGN_OWNER = "改派：请选择新的责任人（本村已登记的责任人），或点击「新责任人」，也可以直接输入新责任人姓名："
SAME_OWNER = "新责任人与原责任人相同。请选择或输入另一位责任人："
DEADLINE_EXAMPLES = "如 2026-12-05、12月5日 或 12-05"
DEADLINE_UNREADABLE = f"没有看懂这个日期。请输入日期，{DEADLINE_EXAMPLES}，或点击上面的天数按钮。"
DEADLINE_IN_PAST = f"期限不能早于今天。请输入今天或以后的日期，{DEADLINE_EXAMPLES}。"
DEADLINE_TOO_FAR = "期限不能超过一年，请输入更近的日期。"
ORIGINAL_INVALID = "请输入正确的原隐患编号，例如 #12（不能是本隐患自己，且须在您的辖区内）。"
REASON_EMPTY = "请输入文字说明。"
ACTION_CANCELLED = "已取消当前操作，隐患状态没有变化。"


def hazard_not_found(number: int | str) -> str:
    """The same answer for a hazard that does not exist and one outside the asker's scope."""
    shown = str(number)
    return f"没有找到隐患 #{shown}。" if len(shown) <= 20 else "没有找到这个编号的隐患。"  # no hazard has such a number


def deadline_label(deadline: date | None, today: date) -> str:
    """A deadline with how far away it is."""
    if deadline is None:
        return "未设定"
    days = (deadline - today).days
    if days > 0:
        return f"{deadline.isoformat()}（还有 {days} 天）"
    if days == 0:
        return f"{deadline.isoformat()}（今天到期）"
    return f"{deadline.isoformat()}（已逾期 {-days} 天）"


def ask_deadline(default_days: int) -> str:
    """The deadline question (交办, 不通过, 重新打开)."""
    return f"请选择整改期限（默认 {default_days} 天），或直接输入日期，{DEADLINE_EXAMPLES}："


def ask_reassign_deadline(deadline: date | None, today: date) -> str:
    """The deadline question of 改派: the current deadline is kept unless changed."""
    return f"原整改期限：{deadline_label(deadline, today)}。点击「保持原期限」，或选择新的期限，或直接输入日期，{DEADLINE_EXAMPLES}："


def keep_deadline_button(deadline: date) -> str:
    """The 改派 button that keeps the deadline."""
    return f"保持原期限（{deadline.month}月{deadline.day}日）"


def days_button(days: int, default: bool) -> str:
    """A deadline button."""
    return f"{days}天" + ("（默认）" if default else "")


def _place(hazard: Hazard) -> str:
    h = screen.hazard(hazard)
    return f"{h.town_name}{h.village_name} · {h.place}"


def owner_card(hazard: Hazard, move: Move, today: date) -> str:
    """What an owner receives: the hazard and the deadline, never who reported it."""
    hazard = screen.hazard(hazard)
    head = {
        Move.ASSIGN: "【整改通知】",
        Move.REJECT: "【整改复核未通过，请重新整改】",
        Move.REOPEN: "【隐患重新打开，请整改】",
        Move.REASSIGN: "【改派·整改通知】",
    }
    lines = [
        f"{head.get(move, '【整改通知】')}隐患 #{hazard.id}",
        f"地点：{_place(hazard)}",
        f"类别：{hazard.category} · {SEVERITY_NAMES[hazard.severity]}",
        f"情况：{hazard.description}",
        f"整改期限：{deadline_label(hazard.deadline, today)}",
    ]
    lines.append("整改完成后，请点击「提交整改」并上传整改后的照片。")
    return "\n".join(lines)


def proxy_card(hazard: Hazard, today: date) -> str:
    """What the reporting officer receives when the owner has no Telegram."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【请代为转告整改】隐患 #{hazard.id}",
            f"地点：{_place(hazard)}",
            f"责任人：{hazard.owner_name}（未使用 Telegram）",
            f"整改期限：{deadline_label(hazard.deadline, today)}",
            "请把整改要求转告责任人；整改完成后，点击「代为提交整改」上传整改后的照片。",
        ]
    )


def reporter_update(hazard: Hazard, move: Move, today: date, note: str | None = None) -> str:
    """What the reporting officer is told at every status change of their report."""
    hazard = screen.hazard(hazard)
    head = f"您上报的隐患 #{hazard.id}（{hazard.place}）"
    if move is Move.ASSIGN:
        return f"{head}已交办给 {hazard.owner_name}，整改期限 {deadline_label(hazard.deadline, today)}。"
    if move is Move.INVALID:
        return f"{head}经核实不属实，已关闭。"
    if move is Move.DUPLICATE:
        return f"{head}与 #{hazard.duplicate_of} 重复，已关闭。"
    if move is Move.SUBMIT:
        return f"{head}已提交整改，等待镇安监员复核。"
    if move is Move.VERIFY:
        return f"{head}已复核通过，销号。"
    if move is Move.REJECT:
        return f"{head}整改复核未通过，已退回整改，新期限 {deadline_label(hazard.deadline, today)}。"
    if move is Move.REASSIGN:
        return f"{head}已改派给 {hazard.owner_name}，整改期限 {deadline_label(hazard.deadline, today)}。"
    return f"{head}已重新打开，状态：{status_name(hazard)}。"


def reassigned_away(hazard: Hazard) -> str:
    """The former owner's news of a 改派: the hazard is no longer theirs (who has it now is not theirs to know)."""
    hazard = screen.hazard(hazard)
    return f"隐患 #{hazard.id}（{hazard.place}）已由镇安监员改派给其他责任人，您不再负责该隐患的整改，无需提交整改。"


def no_longer_owner(number: int) -> str:
    """A former owner's stale 提交整改 or /hazard N after a 改派."""
    return f"隐患 #{number} 已改派给其他责任人，您不再负责该隐患的整改。发送 /mine 查看需要您整改的隐患。"


def owner_closed(hazard: Hazard) -> str:
    """The owner's news that the rectification was accepted."""
    hazard = screen.hazard(hazard)
    return f"您负责整改的隐患 #{hazard.id}（{hazard.place}）已复核通过，销号。谢谢配合！"


def review_card(hazard: Hazard, before: int, after: int, note: str | None, *, proxy: bool, today: date) -> str:
    """What supervisors receive to verify a rectification, with the before and after photos."""
    hazard = screen.hazard(hazard)
    note = None if note is None else screen.clip(note, MAX_REASON)
    who = f"{hazard.owner_name or '信息员'}" + ("（由信息员代为提交）" if proxy else "")
    return "\n".join(
        [
            f"【整改待复核】隐患 #{hazard.id}",
            f"地点：{_place(hazard)}",
            f"类别：{hazard.category} · {SEVERITY_NAMES[hazard.severity]}",
            f"情况：{hazard.description}",
            f"整改人：{who}",
            f"整改说明：{note or '无'}",
            f"期限：{deadline_label(hazard.deadline, today)}",
            f"照片：前 {before} 张为整改前，后 {after} 张为整改后。",
        ]
    )


def admin_update(hazard: Hazard, move: Move, today: date) -> str:
    """Admins follow every step of a major hazard."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【重大隐患进展】#{hazard.id} {_place(hazard)}",
            f"{EVENT_NAMES[move.value]}：当前状态 {status_name(hazard)}",
            f"责任人：{hazard.owner_name or '未指定'}，期限 {deadline_label(hazard.deadline, today)}",
        ]
    )


def move_done(hazard: Hazard, move: Move, today: date) -> str:
    """The answer to the person who made the move."""
    hazard = screen.hazard(hazard)
    if move is Move.ASSIGN:
        return f"已将隐患 #{hazard.id} 交办给 {hazard.owner_name}，期限 {deadline_label(hazard.deadline, today)}。"
    if move is Move.INVALID:
        return f"已将隐患 #{hazard.id} 标记为不属实并关闭。"
    if move is Move.DUPLICATE:
        return f"已将隐患 #{hazard.id} 标记为与 #{hazard.duplicate_of} 重复并关闭。"
    if move is Move.SUBMIT:
        return f"隐患 #{hazard.id} 的整改已提交，等待镇安监员复核。"
    if move is Move.VERIFY:
        return f"隐患 #{hazard.id} 复核通过，已销号。"
    if move is Move.REJECT:
        if hazard.status is Status.REPORTED:
            return f"隐患 #{hazard.id} 复核不通过，已退回待交办，请指定责任人。"
        return f"隐患 #{hazard.id} 复核不通过，已退回责任人，新期限 {deadline_label(hazard.deadline, today)}。"
    if move is Move.REASSIGN:
        return f"已将隐患 #{hazard.id} 改派给 {hazard.owner_name}，期限 {deadline_label(hazard.deadline, today)}。"
    return f"隐患 #{hazard.id} 已重新打开，当前状态：{status_name(hazard)}。"


def owner_invite(name: str, link: str) -> str:
    """For the supervisor: a link to forward to an owner who is not on Telegram yet."""
    name = screen.name(name)
    return (
        f"{name} 还没有使用本平台。请把下面的邀请链接转发给 {name}（7 天内有效）：\n{link}\n"
        "在其绑定之前，整改通知会发给上报的信息员，由信息员转告并代为提交整改。"
    )


def hazard_card(hazard: Hazard, events: list[TimelineEvent], today: date, zone: tzinfo, *, for_owner: bool) -> str:
    """The full card of /hazard N; an owner sees neither the reporter nor who did what.

    Every field is shown whole (within its input limit); the oldest events give way when the timeline is long.
    """
    hazard = screen.hazard(hazard)
    lines = [
        f"隐患 #{hazard.id} · {status_name(hazard)}",
        f"地点：{_place(hazard)}",
        f"类别：{hazard.category} · {SEVERITY_NAMES[hazard.severity]}",
        f"情况：{hazard.description}",
        f"位置：{_location(hazard.latitude, hazard.longitude)}",
    ]
    if not for_owner:
        lines.append(f"上报：{hazard.reporter_name} {_local(hazard.reported_at, zone)}")
    if hazard.owner_name:
        lines.append(f"责任人：{hazard.owner_name}" + ("" if hazard.owner_bound else "（未使用 Telegram）"))
    if hazard.deadline and hazard.status in (Status.ASSIGNED, Status.SUBMITTED):
        lines.append(f"期限：{deadline_label(hazard.deadline, today)}")
    lines.append("")
    lines.append("进展：")
    rows = []
    for event in (screen.event(e) for e in events):
        who = "" if for_owner else f" {event.actor}"
        note = f"：{event.note}" if event.note and not for_owner else ""
        if event.from_owner and event.to_owner and not for_owner:
            note = f" {event.from_owner} → {event.to_owner}{note}"
        rows.append(f"· {_local(event.at, zone)}{who} {EVENT_NAMES.get(event.kind, event.kind)}{note}")
    return screen.fit(lines, rows, [], lambda left_out: _earlier_events(len(rows), left_out), newest_last=True)


def _earlier_events(total: int, left_out: int) -> str:
    return f"…（时间线共 {total} 条，较早的 {left_out} 条未显示，完整记录见隐患台账）"


def owner_joined_for_proxy(hazard: Hazard) -> str:
    """To the officer who stood in for an owner: the owner joined and submits from now on."""
    hazard = screen.hazard(hazard)
    return (
        f"责任人 {hazard.owner_name} 已开始使用本平台：隐患 #{hazard.id}（{hazard.place}）将由其本人提交整改，"
        "您不必再代为提交。"
    )


_PLACE_ON_BUTTON = 12  # characters of a place on a button about one hazard of a list


def hazard_button(verb: str, hazard: Hazard) -> str:
    """A button about one hazard of a list: what it does, the number and the place (shortened)."""
    return screen.label(f"{verb} #{hazard.id} {screen.clip(hazard.place, _PLACE_ON_BUTTON)}")


def supervisor_waiting(triage: int, review: int) -> str:
    """What waits for a supervisor who just joined."""
    return (
        f"本镇目前有 {triage} 条隐患待交办，{review} 条整改待复核。点击下面的按钮打开（等待最久的在前），"
        "发送 /open 或「未整改」查看全部。"
    )


def officer_waiting(hazards: list[Hazard], today: date) -> str:
    """An officer who just joined: their reports still open."""
    rows = []
    for h in (screen.hazard(h, names=screen.NAME_IN_LIST) for h in hazards):
        deadline = f" · 期限 {deadline_label(h.deadline, today)}" if h.status is Status.ASSIGNED else ""
        rows.append(f"#{h.id} {h.place} · {status_name(h)}{deadline}")
    head = [f"您上报的隐患中还有 {len(hazards)} 条没有销号（最近的在前）："]
    return screen.fit(head, rows, ["点击下面的按钮查看详情，发送 /mine 或「我的」查看全部上报。"], _more_hazards)


def owner_tasks(hazards: list[Hazard], today: date) -> str:
    """An owner's /mine: what they must fix, nearest deadline first."""
    rows = []
    for h in (screen.hazard(h) for h in hazards):
        rows.append(f"#{h.id} {h.place} · {h.category} · {status_name(h)} · 期限 {deadline_label(h.deadline, today)}")
    return screen.fit(["需要我整改的隐患："], rows, ["点击下面的按钮提交整改或查看详情。"], _more_hazards)


# ---- chat: checks and reminders ------------------------------------------------------------------------------

BUTTON_VIEW = "查看详情"


def _span(first: date, last: date) -> str:
    return f"{first.month}月{first.day}日–{last.month}月{last.day}日"


def _week(monday: date) -> str:
    return _span(monday, monday + timedelta(days=6))


_VILLAGE_HEADS = {
    "nudge": "【每周排查】新的一周开始了。",
    "reminder": "【排查提醒】",
    "last_call": "【排查最后提醒】今天是本周最后一天。",
}
_TOWN_HEADS = {
    "nudge": "【每月排查】新的一月开始了。",
    "reminder": "【排查提醒】",
    "last_call": "【排查最后提醒】今天是本月最后一天。",
}


def village_check_reminder(rung: str, village: str, monday: date) -> str:
    """An officer whose village has not logged this week's check."""
    return (
        f"{_VILLAGE_HEADS[rung]}{screen.name(village)}本周（{_week(monday)}）还没有登记排查。"
        "各村每周至少排查一次：排查后发送「排查 场所数」登记，例如：排查 12 已查超市和加油站。"
    )


def village_miss_list(monday: date, villages: list[str]) -> str:
    """Supervisors: the villages of their town that missed last week."""
    names = screen.joined([screen.short_name(v) for v in villages], "、", screen.LIST_BUDGET - 100, _and_more_places)
    return f"【上周排查未完成】上周（{_week(monday)}）以下 {len(villages)} 个村没有登记排查：\n" + names


def town_check_reminder(rung: str, town: str, today: date) -> str:
    """A supervisor whose town has not logged this month's check."""
    return (
        f"{_TOWN_HEADS[rung]}{screen.name(town)}本月（{today.year}年{today.month}月）还没有登记镇级排查。"
        "各镇每月至少排查一次：排查后发送「排查 场所数」登记，例如：排查 30。"
    )


def town_miss_list(month_day: date, towns: list[str]) -> str:
    """Admins: the towns that missed last month."""
    return (
        f"【上月镇级排查未完成】{month_day.year}年{month_day.month}月以下 {len(towns)} 个镇没有登记排查：\n"
        + screen.joined([screen.short_name(t) for t in towns], "、", screen.LIST_BUDGET - 100, _and_more_places)
    )


def _and_more_places(count: int) -> str:
    return f" 等，另有 {count} 个未列出"


def deadline_reminder(hazard: Hazard, rung: str, today: date, *, for_fixer: bool) -> str:
    """A rung of the deadline ladder: names the hazard, the place, the deadline and how overdue it is."""
    hazard = screen.hazard(hazard)
    assert hazard.deadline is not None
    overdue = (today - hazard.deadline).days
    if rung in ("d-3", "d-1"):
        head = "【整改提醒】"
    elif rung == "d-day":
        head = "【今天到期】"
    elif rung == "yellow":
        head = "【黄牌·已逾期】"
    else:
        head = "【红牌·严重逾期】" if rung == "red" else f"【逾期 {overdue} 天】"
    lines = [
        f"{head}隐患 #{hazard.id}",
        f"地点：{_place(hazard)}",
        f"类别：{hazard.category} · {SEVERITY_NAMES[hazard.severity]}",
        f"整改期限：{deadline_label(hazard.deadline, today)}",
    ]
    if not for_fixer:
        lines.append(f"责任人：{hazard.owner_name}" + ("" if hazard.owner_bound else "（未使用 Telegram）"))
    if for_fixer:
        lines.append("请尽快整改，完成后点击下方按钮上传整改后照片。")
    return "\n".join(lines)


def triage_reminder(hazard: Hazard, hours: int) -> str:
    """Supervisors: a new hazard nobody has assigned."""
    hazard = screen.hazard(hazard)
    return (
        f"【待交办提醒】隐患 #{hazard.id}（{_place(hazard)}，{hazard.category}）上报已超过 {hours} 小时，还没有交办。"
    )


def review_reminder(hazard: Hazard, days: int) -> str:
    """Supervisors: rectification evidence nobody has verified."""
    return f"【待复核提醒】隐患 #{hazard.id}（{_place(hazard)}）的整改已提交超过 {days} 天，还没有复核。"


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
CHECK_USAGE = "登记方法：发送「排查 场所数 说明」，例如：排查 12 已查超市和加油站。也可以发一张照片，配文「排查 12」。"
CHECK_BAD_NUMBER = f"场所数需要是 0 到 {MAX_PLACES_CHECKED} 之间的整数。" + CHECK_USAGE


def check_status(
    kind: str, place: str, first: date, last: date, places: int | None, note: str | None, reported: int
) -> str:
    """/check: whether this period's check is logged, and the hazards reported in the period."""
    period = f"本周（{_span(first, last)}）" if kind == "village" else f"本月（{first.year}年{first.month}月）"
    place = screen.name(place)
    note = None if note is None else screen.clip(note, MAX_REASON)
    if places is None:
        head = f"{place}{period}还没有登记排查。"
    else:
        head = f"{place}{period}已登记排查：检查场所 {places} 处" + (f"，说明：{note}" if note else "") + "。"
    return f"{head}\n本期上报隐患 {reported} 条（自动关联）。\n" + (
        CHECK_USAGE if places is None else "再次登记会更新本期记录。"
    )


def check_logged(
    kind: str, place: str, first: date, last: date, places: int | None, note: str | None, reported: int
) -> str:
    """The answer to logging a check."""
    return "已登记。" + check_status(kind, place, first, last, places, note, reported)


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


# ---- chat: queries, statistics, ledger ----------------------------------------------------------------------

CITY = "全市"
SEVERITY_SHORT: dict[Severity, str] = {Severity.GENERAL: "一般", Severity.MAJOR: "重大"}
# Words after /open or /overdue that narrow the list, besides village (or, for admins, town) names and categories.
SEVERITY_FILTERS: dict[str, Severity] = {
    "重大": Severity.MAJOR,
    "重大隐患": Severity.MAJOR,
    "一般": Severity.GENERAL,
    "一般隐患": Severity.GENERAL,
}
LIST_TITLES: dict[ListKind, str] = {ListKind.OPEN: "未整改隐患", ListKind.OVERDUE: "逾期隐患"}
BUTTON_PAGE_PREVIOUS = "◀ 上一页"
BUTTON_PAGE_NEXT = "下一页 ▶"
NO_OWNER = "未指定责任人"


def _short_day(day: date, today: date) -> str:
    return day.strftime("%m-%d") if day.year == today.year else day.isoformat()


def _deadline_short(hazard: Hazard, today: date) -> str:
    overdue = hazard.days_overdue(today)
    if overdue:
        return f"逾期{overdue}天"
    if hazard.deadline is None:
        return "未定期限"
    if hazard.deadline == today:
        return "今天到期"
    return f"期限{_short_day(hazard.deadline, today)}"


def hazard_line(hazard: Hazard, today: date, *, show_town: bool) -> str:
    """One line of /open or /overdue: #N 村 · 类别 · 一般/重大 · 状态 · 期限/逾期N天 · 责任人."""
    hazard = screen.hazard(hazard, names=screen.NAME_IN_LIST)
    village = f"{hazard.town_name}{hazard.village_name}" if show_town else hazard.village_name
    parts = [
        f"#{hazard.id} {village}",
        hazard.category,
        SEVERITY_SHORT[hazard.severity],
        status_name(hazard),
        _deadline_short(hazard, today),
        hazard.owner_name or NO_OWNER,
    ]
    return " · ".join(parts)


def _narrowed(scope_name: str | None, labels: list[str]) -> str:
    labels = [screen.short_name(label) for label in labels]
    return screen.name(scope_name or CITY) + (f"（筛选：{'、'.join(labels)}）" if labels else "")


def hazard_page(page: HazardPage) -> str:
    """A page of /open or /overdue, most urgent first."""
    head = f"{LIST_TITLES[page.kind]} · {_narrowed(page.scope_name, page.filter_labels)}：共 {page.total} 起"
    if page.pages > 1:
        head += f"，第 {page.page + 1}/{page.pages} 页"
    rows = [hazard_line(h, page.today, show_town=page.show_town) for h in page.hazards]
    return screen.fit([head], rows, ["发送 /hazard 编号 查看详情和可做的操作。"], _more_hazards)


def list_empty(kind: ListKind, scope_name: str | None, labels: list[str]) -> str:
    """An empty /open or /overdue."""
    what = "逾期的隐患" if kind is ListKind.OVERDUE else "未整改的隐患"
    return f"{_narrowed(scope_name, labels)}目前没有{what}。"


def filters_not_understood(understood: list[str], unknown: list[str], categories: list[str]) -> str:
    """Filter words that are not a village, a category or 重大/一般: say what was and was not understood."""
    lines = [f"没有看懂：{screen.clip('、'.join(unknown), 200)}。"]
    if understood:
        lines.append(f"已看懂：{screen.clip('、'.join(understood), 200)}。")
    lines.append("可以按村（社区）名、类别、「重大」或「一般」筛选，例如：未整改 新龙村 消防 重大")
    lines.append("类别：" + screen.clip("、".join(categories), 1000))
    return "\n".join(lines)


def ambiguous_village_filter(village: str) -> str:
    """A village name found in several towns of the asker's scope."""
    village = screen.name(village)
    return f"有多个镇都有「{village}」，请同时写上镇名，例如：未整改 青龙镇 {village}"


PERIOD_THIS_WEEK = "本周"
PERIOD_THIS_MONTH = "本月"
PERIOD_LAST_MONTH = "上月"
BAD_PERIOD = "没有看懂统计周期。请写「本周」「本月」「上月」或年月，例如 2026-11（不能是以后的月份）。"
BAD_MONTH = "没有看懂月份。请写「本月」「上月」或年月，例如 2026-11（不能是以后的月份）。"


def period_label(period: Period) -> str:
    """'2026年11月', or '2026年第48周（11-23至11-29）'."""
    if period.kind is PeriodKind.WEEK:
        iso = period.start.isocalendar()
        return f"{iso.year}年第{iso.week}周（{period.start:%m-%d}至{period.last_day:%m-%d}）"
    return f"{period.start.year}年{period.start.month}月"


def percent(rate: float | None) -> str:
    """A rate as people read it; '—' when it cannot be computed."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _tally_lines(t: Tally) -> list[str]:
    return [
        f"上报隐患 {t.reported} 起：已销号 {t.verified} · 不属实 {t.invalid} · 重复 {t.duplicate}"
        f" · 未销号 {t.valid - t.verified}",
        f"整改率 {percent(t.rectification_rate)}（销号 {t.verified} / 应整改 {t.valid}）",
        f"按期整改率 {percent(t.on_time_rate)}（按期 {t.on_time} / 销号 {t.verified}）",
        f"当前逾期 {t.overdue} 起",
        f"排查完成率 {percent(t.check_rate)}（村周排查 {t.village_weeks_done}/{t.village_weeks_expected}"
        f" · 镇月排查 {t.town_months_done}/{t.town_months_expected}）",
    ]


def _area_line(area: AreaTally) -> str:
    t = area.tally
    return (
        f"{screen.short_name(area.name)}：上报 {t.reported} · 销号 {t.verified} · 整改率 {percent(t.rectification_rate)}"
        f" · 按期 {percent(t.on_time_rate)} · 逾期 {t.overdue} · 排查 {percent(t.check_rate)}"
    )


def _within_budget(head: list[str], rows: list[str], tail: list[str]) -> str:
    """Head, as many rows as fit in one message, a note of those left out, and the tail."""
    return screen.fit(head, rows, tail, _more_rows)


def _more_rows(count: int) -> str:
    return f"……另有 {count} 行未列出，完整数据请发送 /export 导出台账。"


STATS_DEFINITION = "口径：按上报日期统计本期上报的隐患及其当前状态；逾期为本期结束前上报、目前仍逾期的隐患。"


def stats_text(stats: Stats, zone: tzinfo) -> str:
    """/stats: the totals of the scope, then one line per village (a town) or per town (the city)."""
    head = [
        f"【统计】{screen.name(stats.scope_name or CITY)} · {period_label(stats.period)}（截至 {_local(stats.as_of, zone)}）",
        *_tally_lines(stats.total),
        "",
        "各村（社区）：" if stats.scope_name else "各镇：",
    ]
    return _within_budget(head, [_area_line(a) for a in stats.rows], ["", STATS_DEFINITION])


def ranking_formula(weights: Weights) -> str:
    """The score formula with the configured weights."""
    total = f"{weights.check + weights.rectification + weights.on_time:g}"
    return (
        f"得分 = 100 ×（{weights.check:g}×排查完成率 + {weights.rectification:g}×到期整改率"
        f" + {weights.on_time:g}×按期整改率）÷ {total} − {weights.overdue_penalty:g}×逾期数"
        "（隐患部分最低为 0；没有到期隐患时，隐患部分按排查完成率计）"
    )


def _ranked_line(town: RankedTown, own: bool) -> str:
    t = town.tally
    return (
        f"{town.place}. {screen.short_name(town.town_name)}{'（本镇）' if own else ''} {town.score:.1f} 分"
        f"｜排查 {percent(t.check_rate)}｜到期整改 {percent(t.due_rectification_rate)}"
        f"｜按期 {percent(t.on_time_rate)}｜逾期 {t.overdue}" + ("  ⚠️后三位" if town.flagged else "")
    )


def ranking_text(ranking: Ranking, zone: tzinfo, own_town_id: int | None = None) -> str:
    """/rank and the monthly send to admins: every town with its score, components and the bottom flagged."""
    head = [
        f"【月度排名】{period_label(ranking.period)} 各镇安全生产工作排名（截至 {_local(ranking.as_of, zone)}）",
        ranking_formula(ranking.weights),
        "",
    ]
    if not ranking.towns:
        return "\n".join([*head, "暂无镇的数据。"])
    flagged = [screen.short_name(t.town_name) for t in ranking.towns if t.flagged]
    tail = (
        ["", f"后三位：{screen.joined(flagged, '、', 300, _and_more_places)}，请加强隐患排查整改。"] if flagged else []
    )
    return _within_budget(head, [_ranked_line(t, t.town_id == own_town_id) for t in ranking.towns], tail)


def town_place(ranking: Ranking, villages: Stats, zone: tzinfo) -> str:
    """A supervisor's part of the ranking: their town's place and components, then their villages."""
    assert villages.town_id is not None
    entry = ranking.place_of(villages.town_id)
    lines = [f"【月度排名】{period_label(ranking.period)} {screen.name(villages.scope_name or CITY)}"]
    if entry is not None:
        flag = "，位列后三位，请加强隐患排查整改" if entry.flagged else ""
        lines[0] += f" 第 {entry.place} 名（共 {len(ranking.towns)} 个镇），得分 {entry.score:.1f}{flag}。"
    head = [*lines, *_tally_lines(villages.total), "", "本镇各村（社区）："]
    return _within_budget(head, [_area_line(a) for a in villages.rows], [])


CHART_TITLE = "{period} 各镇安全生产工作得分"
CHART_AXIS = "得分"
CHART_FLAGGED = "后三位"
CHART_OTHERS = "其他镇"
CHART_PARTIAL = "（共 {total} 个镇，图中为前 {head} 名和后 {tail} 名）"


def chart_caption(ranking: Ranking) -> str:
    """Caption of the ranking chart."""
    return f"{period_label(ranking.period)}各镇得分（红色为后三位）"


CHART_UNAVAILABLE = "（服务器没有安装中文字体，暂时无法生成排名图，已通知管理员。）"

SHEET_HAZARDS = "隐患台账"
SHEET_CHECKS = "排查记录"
SHEET_STATS = "统计"
LEDGER_HEADERS = [
    "编号",
    "镇",
    "村（社区）",
    "场所",
    "类别",
    "等级",
    "描述",
    "纬度",
    "经度",
    "状态",
    "即查即改",
    "上报人",
    "上报时间",
    "交办时间",
    "责任人",
    "责任人电话",
    "整改期限",
    "提交整改时间",
    "整改说明",
    "关闭时间",
    "关闭原因",
    "关闭说明",
    "重复于",
    "逾期天数",
    "按期整改",
    "整改前照片",
    "整改后照片",
]
CHECK_HEADERS = ["类型", "镇", "村（社区）", "周期", "排查人", "排查场所数", "说明", "照片", "登记时间", "更新时间"]
STATS_HEADERS = [
    "范围",
    "上报",
    "已销号",
    "不属实",
    "重复",
    "应整改",
    "整改率",
    "按期整改",
    "按期整改率",
    "当前逾期",
    "村周排查完成",
    "村周排查应完成",
    "镇月排查完成",
    "镇月排查应完成",
    "排查完成率",
]
CHECK_KIND_NAMES: dict[str, str] = {"village": "村周排查", "town": "镇月排查"}
# Widths (in characters) of the ledger's free-text columns, by header; other columns fit their header.
WIDE_COLUMNS: dict[str, int] = {
    "描述": 40,
    "整改说明": 30,
    "关闭说明": 30,
    "整改前照片": 50,
    "整改后照片": 50,
    "说明": 30,
    "场所名称": 24,
    "地址": 30,
    "负责场所": 40,
}
YES = "是"
NO = "否"


def stats_total_label(scope_name: str | None) -> str:
    """The first row of the 统计 sheet."""
    return f"{scope_name or CITY}合计"


def ledger_file_name(scope_name: str | None, period: Period) -> str:
    """File name of the ledger sent in chat."""
    return f"隐患台账_{screen.short_name(scope_name or CITY)}_{period.key}.xlsx"


def ledger_caption(scope_name: str | None, period: Period, hazards: int, checks: int) -> str:
    """Caption of the ledger document."""
    return f"隐患台账 · {screen.name(scope_name or CITY)} · {period_label(period)}：隐患 {hazards} 条，排查记录 {checks} 条。"


CLI_EXPORT_HELP: dict[str, str] = {
    "export": "导出某月的隐患台账（Excel）和有位置的隐患（GeoJSON）",
    "month": "月份 YYYY-MM（默认本月）：导出该月上报的隐患和该月的排查记录",
    "output": "Excel 文件路径（.xlsx）",
    "geojson": "GeoJSON 文件路径（有位置的隐患，可用任何地图软件打开）",
}
EXPORTED_XLSX = "已导出{scope} {period} 的隐患台账：隐患 {hazards} 条，排查记录 {checks} 条 → {path}"
EXPORTED_GEOJSON = "已导出{scope} {period} 有位置的隐患 {count} 条（GeoJSON）→ {path}"
EXPORT_CANNOT_WRITE = "无法写入 {path}（{reason}）。请确认目录存在且可以写入。"
EXPORT_NEEDS_OUTPUT = "请用 -o 指定 Excel 文件，或用 --geojson 指定 GeoJSON 文件。"


# ---- the sandbox (gridsafe sandbox; ./run.sh without a token) ------------------------------------------------

SANDBOX_STARTED = (
    "沙盒已启动：{url} —— 用浏览器打开即可试用（不连接 Telegram；数据库和照片单独存放在 {data_dir}，"
    "与正式部署的 {database} 分开）。按 Ctrl+C 停止。"
)
SANDBOX_HOST_WARNING = "警告：沙盒监听 {host}，任何能访问这个地址的人都可以冒充名册中的任何人。只在可信网络中这样做。"
SANDBOX_OVERLAP = "sandbox.data_dir 与正式部署的数据（{path}）重叠。沙盒必须使用单独的目录，请修改 [sandbox] data_dir。"
SANDBOX_PORT_BUSY = "无法在 {host}:{port} 启动沙盒（{reason}）。请用 --port 换一个端口，或修改 [sandbox] port。"
SANDBOX_RESET_DONE = "沙盒已重置：示例名册，聊天和记录已清空。"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def sandbox_clock_label(moment: datetime) -> str:
    """The sandbox clock as the page shows it, e.g. 2026-11-23 周一 10:00 (local time)."""
    return f"{moment:%Y-%m-%d} {WEEKDAYS[moment.weekday()]} {moment:%H:%M}"


def sandbox_jumped(label: str, count: int) -> str:
    """Told after the clock moved: where to, and how many reminders the scheduler queued."""
    return f"时钟已拨到 {label}，排程已运行：新提醒 {count} 条。"


SANDBOX_ERRORS: dict[str, str] = {
    "unknown_person": "名册中没有这个人（编号 {person_id}）。请从左侧名单中选择。",
    "unknown_message": "找不到这条消息，可能已被删除。",
    "forged_button": "这条消息上没有这个按钮，没有发送任何内容。",
    "empty_text": "消息不能为空。",
    "text_too_long": "消息太长（最多 {limit} 个字），没有发送。",
    "not_image": "「{name}」不是 JPG 或 PNG 图片，不能作为照片发送，没有发送任何照片。其他文件请用「文件」发送。",
    "too_large": "「{name}」超过 {limit} MB（机器人最多能下载 {limit} MB），没有发送。请压缩后重新发送。",
    "no_file": "没有选择文件。",
    "bad_location": "位置无效：纬度应在 -90 到 90 之间，经度在 -180 到 180 之间。",
    "clock_backwards": "时钟只能向前拨：现在是 {now}，不能拨回到 {target}。",
    "bad_moment": "无法识别的时间「{value}」，请用 YYYY-MM-DD HH:MM 格式。",
    "bad_request": "请求格式不正确。",
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
    "new_tab": "在新标签页打开",
    "caption": "照片说明（可不填）",
    "offline": "与沙盒的连接已断开，正在重连…",
}


# ---- command line -------------------------------------------------------------------------------------------

TOKEN_MISSING = (
    "未配置机器人令牌（Telegram bot token）。请在 {config} 的 [telegram] 一节填写 token，"
    "或设置环境变量 GRIDSAFE_TELEGRAM__TOKEN。\n"
    "No bot token configured: set telegram.token in {config} or the environment variable "
    "GRIDSAFE_TELEGRAM__TOKEN."
)
CONFIG_INVALID = "配置有误 / configuration error:\n{detail}"
DATABASE_MISSING = (
    "找不到数据库 {path}，但照片目录 {media_dir} 里有 {files} 个文件：数据库可能被误删或移走了。"
    "为免在空数据库上运行（所有人都会变成陌生人），未做任何改动。\n"
    "请从备份恢复（gridsafe restore 备份目录），或把数据库文件放回原处；"
    "确定要从空数据库重新开始时，运行 gridsafe migrate --create-database。"
)
DATABASE_GONE_STOPPED = (
    "数据库文件 {path} 在运行中{how}，机器人已停止，以免把数据写进已不存在的文件。"
    "请把数据库文件放回原处，或从备份恢复（gridsafe restore 备份目录），再启动。"
)
DATABASE_GONE_HOW = {False: "被删除", True: "被替换"}
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
ROSTER_FILE_TOO_LARGE = "名册文件过大（最大 {limit}），未导入任何数据。"
ROSTER_UNPACKED_TOO_LARGE = "名册 .xlsx 解压后过大（最大 {limit}），可能已损坏或是恶意文件，未导入任何数据。"
ROSTER_TOO_MANY_ROWS = "名册行数过多（最多 {limit} 行），未导入任何数据。"
ROSTER_NOT_XLSX = (
    "名册文件不是有效的 .xlsx 文件（不是 Excel 工作簿的压缩格式），请用 Excel 另存为 .xlsx 或 .csv 后重试。"
)
ROSTER_BAD_XLSX = "名册 .xlsx 文件内容已损坏（{reason}），请用 Excel 打开并另存后重试。"
ROSTER_BAD_CSV = "名册 CSV 文件格式错误（{reason}：单元格过长或引号不配对），未导入任何数据。"


class TableTexts(NamedTuple):
    """What an import says about a file it cannot read (one set per kind of file: the roster, the places)."""

    unsupported: Callable[[str], str]  # (suffix)
    too_large: Callable[[str], str]  # (limit, as people read it: 5 MB)
    unpacked_too_large: Callable[[str], str]  # (limit)
    too_many_rows: Callable[[int], str]  # (limit)
    not_xlsx: str
    bad_xlsx: Callable[[str], str]  # (reason)
    bad_csv: Callable[[str], str]  # (reason)
    unreadable: Callable[[Path, str], str]  # (path, reason)
    empty: str
    missing_columns: Callable[[list[str]], str]  # (columns)


ROSTER_FILE_TEXTS = TableTexts(
    unsupported=lambda suffix: ROSTER_UNSUPPORTED.format(suffix=suffix),
    too_large=lambda limit: ROSTER_FILE_TOO_LARGE.format(limit=limit),
    unpacked_too_large=lambda limit: ROSTER_UNPACKED_TOO_LARGE.format(limit=limit),
    too_many_rows=lambda limit: ROSTER_TOO_MANY_ROWS.format(limit=limit),
    not_xlsx=ROSTER_NOT_XLSX,
    bad_xlsx=lambda reason: ROSTER_BAD_XLSX.format(reason=reason),
    bad_csv=lambda reason: ROSTER_BAD_CSV.format(reason=reason),
    unreadable=lambda path, reason: ROSTER_UNREADABLE.format(path=path, reason=reason),
    empty=ROSTER_EMPTY,
    missing_columns=lambda columns: ROSTER_MISSING_COLUMNS.format(columns=", ".join(columns)),
)

PERSON_CLI_AT = "\n（用 --at 指定）"


def roster_removals(removals: RosterChanges, *, applied: bool, file: str) -> str:
    """Who a roster file takes away (moved, deactivated), and whether it was done or how to do it."""
    if not removals:
        return "名册外没有需要停用或调动的人员。"
    lines = []
    if removals.moved:
        lines.append(f"调动 {len(removals.moved)} 人（同名同角色，换了镇或村）：")
        for person, entry in removals.moved:
            old = scope_label(person.town_name, person.village_name)
            lines.append(
                f"- {person.name}（{ROLE_NAMES[person.role]}）{old} → {scope_label(entry.town, entry.village)}"
            )
    if removals.deactivated:
        lines.append(f"停用 {len(removals.deactivated)} 人（名册中已没有）：")
        for person in removals.deactivated:
            scope = scope_label(person.town_name, person.village_name)
            lines.append(f"- {person.name}（{scope} · {ROLE_NAMES[person.role]}）")
    if applied:
        lines.append("以上停用和调动已执行：停用的人解除绑定、作废未使用的邀请；调动的人绑定随人转移。记录都已保留。")
    else:
        lines.append(f"以上停用和调动尚未执行。确认无误后请运行：gridsafe roster import {file} --apply-removals")
    return "\n".join(lines)


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

# ---- places (底数清单, 一企一档): the places file, the ledger's 底数清单 and 责任清单 -----------------------------

# The default place types ([places] types may change them): the 九小场所 first, then the others.
DEFAULT_PLACE_TYPES = [
    "小生产加工企业",
    "小商店",
    "小美容院/洗浴",
    "小旅馆",
    "小诊所",
    "小餐馆",
    "企业",
    "学校/幼儿园",
    "卫生院",
    "敬老院",
    "商超",
    "沿街门店",
    "自建房",
    "其他",
]
PLACE_TYPE_ENTERPRISE = "企业"  # the type whose places have an industry and a 高危 flag
GRADE_NAMES: dict[Grade, str] = {Grade.RED: "红", Grade.ORANGE: "橙", Grade.YELLOW: "黄", Grade.BLUE: "蓝"}
# Words accepted in the grade column of a places file, besides the English codes and GRADE_NAMES.
GRADE_ALIASES: dict[str, Grade] = {
    "红色": Grade.RED,
    "重大风险": Grade.RED,
    "橙色": Grade.ORANGE,
    "较大风险": Grade.ORANGE,
    "黄色": Grade.YELLOW,
    "一般风险": Grade.YELLOW,
    "蓝色": Grade.BLUE,
    "低风险": Grade.BLUE,
}
PLACE_STATUS_NAMES: dict[PlaceStatus, str] = {
    PlaceStatus.OPEN: "在营",
    PlaceStatus.SUSPENDED: "停业整顿",
    PlaceStatus.CLOSED: "关闭",
}
PLACE_STATUS_ALIASES: dict[str, PlaceStatus] = {
    "营业": PlaceStatus.OPEN,
    "正常": PlaceStatus.OPEN,
    "停业": PlaceStatus.SUSPENDED,
}
YES_WORDS = ("是", "高危", "yes", "y", "true", "1", "√")
NO_WORDS = ("否", "", "no", "n", "false", "0")
PLACE_UNCONFIRMED = "待核实"

# Column headers accepted in a places file (English or Chinese) → field name.
PLACE_HEADERS: dict[str, str] = {
    "town": "town",
    "镇": "town",
    "乡镇": "town",
    "镇街": "town",
    "village": "village",
    "村": "village",
    "村社区": "village",
    "村（社区）": "village",
    "name": "name",
    "名称": "name",
    "场所名称": "name",
    "type": "type",
    "类型": "type",
    "场所类型": "type",
    "address": "address",
    "地址": "address",
    "latitude": "latitude",
    "lat": "latitude",
    "纬度": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "经度": "longitude",
    "owner": "owner",
    "责任人": "owner",
    "phone": "phone",
    "电话": "phone",
    "责任人电话": "phone",
    "grade": "grade",
    "风险等级": "grade",
    "等级": "grade",
    "status": "status",
    "状态": "status",
    "industry": "industry",
    "行业": "industry",
    "high_risk": "high_risk",
    "高危": "high_risk",
}


def places_unsupported(suffix: str) -> str:
    """A places file of another type than .csv or .xlsx."""
    return f"不支持的场所清单文件类型：{suffix}（请使用 .csv 或 .xlsx）"


def places_file_too_large(limit: str) -> str:
    """A places file over its size limit."""
    return f"场所清单文件过大（最大 {limit}），未导入任何数据。"


def places_unpacked_too_large(limit: str) -> str:
    """An .xlsx places file that unpacks to more than its limit."""
    return f"场所清单 .xlsx 解压后过大（最大 {limit}），可能已损坏或是恶意文件，未导入任何数据。"


def places_too_many_rows(limit: int) -> str:
    """A places file with more rows than allowed."""
    return f"场所清单行数过多（最多 {limit} 行），未导入任何数据。"


def places_bad_xlsx(reason: str) -> str:
    """An .xlsx places file whose content is damaged."""
    return f"场所清单 .xlsx 文件内容已损坏（{reason}），请用 Excel 打开并另存后重试。"


def places_bad_csv(reason: str) -> str:
    """A CSV places file that cannot be parsed."""
    return f"场所清单 CSV 文件格式错误（{reason}：单元格过长或引号不配对），未导入任何数据。"


def places_unreadable(path: Path, reason: str) -> str:
    """A places file that cannot be opened."""
    return f"无法读取场所清单文件 {path}：{reason}"


def places_missing_columns(columns: list[str]) -> str:
    """A places file without a required column."""
    return f"缺少必需的列：{', '.join(columns)}（列名可用 镇/村/名称/类型/风险等级 或 town/village/name/type/grade）"


PLACES_NOT_XLSX = "场所清单文件不是有效的 .xlsx 文件，请用 Excel 另存为 .xlsx 或 .csv 后重试。"
PLACES_EMPTY = "场所清单中没有任何场所"
PLACES_FILE_TEXTS = TableTexts(
    unsupported=places_unsupported,
    too_large=places_file_too_large,
    unpacked_too_large=places_unpacked_too_large,
    too_many_rows=places_too_many_rows,
    not_xlsx=PLACES_NOT_XLSX,
    bad_xlsx=places_bad_xlsx,
    bad_csv=places_bad_csv,
    unreadable=places_unreadable,
    empty=PLACES_EMPTY,
    missing_columns=places_missing_columns,
)
PLACES_IMPORTED = (
    "场所清单导入完成：新增 {added} 个场所，更新 {updated} 个，未变 {unchanged} 个；"
    "责任人新增 {owners_added} 人，更新 {owners_updated} 人。"
)
PLACES_REJECTED = "场所清单有 {count} 处错误，未导入任何数据：\n{problems}"
PLACES_MORE_PROBLEMS = "……另有 {count} 处错误未列出"
REASON_PLACE_NAME_MISSING = "缺少场所名称"
REASON_PLACE_NAME_TOO_LONG = "场所名称过长（最多 {limit} 个字）"
REASON_PLACE_INDUSTRY_TOO_LONG = "行业过长（最多 {limit} 个字）"
REASON_PLACE_ADDRESS_TOO_LONG = "地址过长（最多 {limit} 个字）"
REASON_PLACE_TOWN_VILLAGE_MISSING = "必须填写镇和村"
REASON_PLACE_VILLAGE_UNKNOWN = "名册中没有「{town}{village}」（请先导入名册，或检查镇、村名称）"
REASON_PLACE_TYPE_UNKNOWN = "场所类型「{type}」无法识别（可用：{types}）"
REASON_PLACE_GRADE_UNKNOWN = "风险等级「{grade}」无法识别（可用：红、橙、黄、蓝）"
REASON_PLACE_STATUS_UNKNOWN = "状态「{status}」无法识别（可用：在营、停业整顿、关闭）"
REASON_PLACE_HIGH_RISK_UNKNOWN = "高危一栏「{value}」无法识别（填 是 或 否）"
REASON_PLACE_LOCATION_INVALID = "经纬度「{latitude}, {longitude}」不正确（纬度 -90~90，经度 -180~180，两者同填或同空）"
REASON_PLACE_INDUSTRY_NOT_ENTERPRISE = "只有类型为「企业」的场所填写行业和高危"
REASON_PLACE_PHONE_WITHOUT_OWNER = "填写了责任人电话却没有责任人姓名"
# The ledger's 底数清单 (places) and 责任清单 (owners), beside 隐患台账: the 三张清单.
SHEET_PLACES = "底数清单"
SHEET_OWNERS = "责任清单"
PLACE_LEDGER_HEADERS = [
    "编号",
    "镇",
    "村（社区）",
    "场所名称",
    "类型",
    "行业",
    "高危",
    "地址",
    "纬度",
    "经度",
    "责任人",
    "责任人电话",
    "风险等级",
    "状态",
    "核实",
    "最近排查",
    "未整改隐患",
    "更新时间",
]
OWNER_LEDGER_HEADERS = ["镇", "村（社区）", "责任人", "电话", "场所数", "负责场所", "未整改隐患", "最近整改期限"]
PLACE_CONFIRMED = "已核实"

INVITE_CREATED = "邀请已生成：{name}（{scope} · {role}），有效期至 {expires}。\n链接：{link}\n邀请码：{code}"
INVITE_NEEDS_NAME = "{scope}有 {count} 位{role}，请用 --name 指定姓名。"
INVITE_NEEDS_PLACE_TOWN = "{role}需要指定 --town。"
INVITE_NEEDS_PLACE_VILLAGE = "{role}需要指定 --village（村名在多个镇重名时再加 --town）。"
INVITE_NEEDS_NEW_NAME = "名册中没有这个人，新建人员需要用 --name 指定姓名。"
INVITE_REASON_TOO_LONG = "原因过长（最多 {limit} 个字）。"
INVITE_NEEDS_REASON = (
    "{name} 已经绑定了 Telegram 账号。新的链接一旦使用，其现用账号会立即失去绑定（本人和管理员都会收到通知）。"
    "如确需重新邀请，请用 --reason 写明原因。"
)
UNKNOWN_TOWN = "名册中没有镇「{town}」。"
UNKNOWN_VILLAGE = "名册中没有村「{village}」。"
AMBIGUOUS_VILLAGE = "有多个镇都有村「{village}」，请加 --town 指定。"
BOT_UNREACHABLE = "无法连接 Telegram Bot API（{url}）：{reason}"

CLI_HELP: dict[str, str] = {
    "description": f"{PRODUCT}（GridSafe）安全生产网格化管理机器人",
    "config": "配置文件（默认 config.toml）",
    "run": "启动机器人（长轮询）",
    "migrate": "创建或升级数据库",
    "create_database": "数据库不存在但照片目录有文件（数据库可能丢失）时，仍然新建空数据库",
    "roster": "管理人员名册",
    "roster_import": "从 CSV 或 XLSX 导入镇、村和人员",
    "roster_file": "名册文件（列：town, village, name, role, phone 或 镇、村、姓名、角色、电话）",
    "places": "管理场所清单（底数清单）",
    "places_import": "从 CSV 或 XLSX 导入场所（按村和名称识别，重复导入只更新）",
    "places_file": "场所清单文件（列：镇、村、名称、类型、地址、纬度、经度、责任人、电话、风险等级、状态、行业、高危）",
    "apply_removals": "同时执行名册带来的停用和调动（不加时只列出，不执行）",
    "person": "停用或调动一个人",
    "person_deactivate": "停用：解除绑定、作废未使用的邀请，经手的记录保留",
    "person_move": "调动到另一个镇（镇安监员）或村（信息员、责任人），绑定随人转移",
    "person_name": "姓名",
    "person_at": "此人现在的镇或村（同名的人不止一位时用来区分）",
    "person_to": "新的镇（镇安监员）或村（信息员、责任人；村名重名时写「镇/村」）",
    "invite": "生成一次性邀请链接",
    "role": "角色：officer 信息员 / owner 责任人 / supervisor 镇安监员 / admin 管理员",
    "town": "镇名（镇安监员必填；村名重名时用来区分）",
    "village": "村名（信息员、责任人必填）",
    "name": "姓名（名册中没有时新建）",
    "reason": "重新邀请已绑定的人（例如换了手机）时必填：原因，会被记录并告知管理员",
    "tick": "按指定时刻运行一次排程（提醒、催办）",
    "tick_at": "当地时间，例如 2026-11-30T09:00",
    "tick_dry_run": "只列出将要发送的消息，不发送",
    "run_sandbox": "未配置令牌时改为启动沙盒（./run.sh 使用）",
    "sandbox": "启动沙盒：真实的机器人 + 本地网页聊天，不连接 Telegram",
    "port": "网页端口（默认取配置 [sandbox] port）",
    "host": "监听地址（默认 127.0.0.1；其他地址任何能访问的人都可以冒充任何人）",
    "reset": "先清空沙盒：回到示例名册，聊天和记录清空",
}


# ---- backup and restore (gridsafe backup / gridsafe restore) ----

CLI_BACKUP_HELP: dict[str, str] = {
    "backup": "把数据库和照片备份到一个新的（或空的）目录；机器人运行时也可以备份",
    "backup_dir": "备份目录（不存在或为空）",
    "restore": "从备份恢复数据库和照片（须先停止机器人）",
    "restore_dir": "备份目录（由 gridsafe backup 生成）",
    "force": "已有数据时仍然恢复：原数据库和照片目录改名保留（.before-restore-时间），不会删除",
    "accept_missing_photos": "备份中有照片缺失或损坏时仍然恢复：数据库和完好的照片照常恢复，损坏的照片不恢复",
}
BACKUP_DONE = "备份完成：{path}\n数据库版本 {schema}，隐患 {hazards} 条，照片文件 {media} 个，共 {size}。"
BACKUP_TARGET_NOT_EMPTY = "备份目录 {path} 已存在且不为空（或不是目录），未做任何改动。请指定一个新的或空的目录。"
BACKUP_NO_DATABASE = "找不到数据库 {path}，没有可以备份的数据。"
BACKUP_DATABASE_DAMAGED = "数据库完整性检查未通过，未生成备份：{detail}"
BACKUP_MEDIA_DAMAGED = (
    "注意：数据库引用的 {count} 个照片文件在照片目录 {media_dir} 中缺失或损坏，没有备份"
    "（数据库和其余照片已备份，这些文件已记入备份清单 manifest.json 的 damaged_media）：\n{files}"
)
DAMAGED_PHOTO: dict[str, str] = {
    "missing": "缺失：{file}",
    "corrupt": "损坏（内容与文件名的校验值不符）：{file}",
}
RESTORE_DONE = (
    "已从 {path} 恢复：隐患 {hazards} 条，照片文件 {media} 个（备份于 {created}）。\n"
    "数据库完整性检查通过，数据库版本 {before} → {after}。"
)
RESTORE_KEPT_ASIDE = "原有数据已改名保留：{path}"
RESTORE_INVALID = "备份 {path} 不完整或已被改动，未做任何改动：\n{problems}"
RESTORE_PROBLEMS: dict[str, str] = {
    "no_manifest": "缺少清单文件 {subject}（不是 GridSafe 备份，或备份没有完成）",
    "bad_manifest": "清单文件无法读取：{subject}",
    "database_missing": "缺少数据库文件 {subject}",
    "database_changed": "数据库文件 {subject} 的校验值与清单不符",
    "database_damaged": "数据库完整性检查未通过：{subject}",
    "media_missing": "缺少照片文件 {subject}",
    "media_changed": "照片文件 {subject} 的校验值与清单不符",
    "reference_missing": "数据库引用的照片 {subject} 不在备份中",
}
RESTORE_PHOTOS_DAMAGED = (
    "备份 {path} 中有 {count} 个照片文件缺失或损坏，未做任何改动：\n{problems}\n"
    "数据库完好。确定不要这些照片也要恢复时，请加 --accept-missing-photos（数据库和其余照片照常恢复）。"
)
RESTORE_PHOTOS_LEFT_OUT = "以下 {count} 个照片文件缺失或损坏，没有恢复：\n{problems}"
RESTORE_MORE_PROBLEMS = "……另有 {count} 项"
RESTORE_TOO_NEW = (
    "备份来自更新版本的 GridSafe（数据库版本 {backup}，本程序最高支持 {supported}），未做任何改动。请先升级 GridSafe。"
)
RESTORE_IN_USE = "数据库 {path} 正在使用中（机器人可能仍在运行），未做任何改动。请先停止机器人（例如 systemctl stop gridsafe）再恢复。"
RESTORE_TARGET_EXISTS = (
    "{path} 已有数据，未做任何改动。确定要用备份替换时请加 --force（原有数据会改名保留，不会删除）。"
)


def backup_listing(lines: list[str], shown: int = 20) -> str:
    """At most `shown` lines as a dashed list, and how many more there are."""
    out = [f"- {line}" for line in lines[:shown]]
    if len(lines) > shown:
        out.append(RESTORE_MORE_PROBLEMS.format(count=len(lines) - shown))
    return "\n".join(out)


# ---- Bad input (issue 8, fuzzing): answers to updates the bot does not act on ----

EDIT_IGNORED = "修改已发送的消息不会被处理。如需更正，请重新发送。"
MEDIA_NOT_NOW = "这一步不需要文件、语音或其他内容，已收到的内容都还在。"
FINISH_ACTION_FIRST = "您有一项操作还没有完成，请先回答下面的问题；如要放弃这项操作，请发送 /cancel。"


# ---- /invite (邀请) in chat ----


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


NAME_TOO_LONG = "姓名过长（最多 {limit} 个字），请重新输入。"
INVITE_NOT_ALLOWED = "您只能为本镇的信息员、责任人和镇安监员生成邀请链接。"
INVITE_REASON_WORDS = ("原因：", "原因:", "理由：", "理由:")  # what starts the reason of a chat /invite
INVITE_ALREADY_BOUND = (
    "{name} 已经绑定了 Telegram 账号，不能再为其生成邀请链接。如确需更换账号（例如换了手机），请联系管理员办理。"
)
INVITE_CHAT_REASON_NEEDED = (
    "{name} 已经绑定了 Telegram 账号。新的链接一旦使用，其现用账号会立即失去绑定（本人和管理员都会收到通知）。"
    "如确需重新邀请，请在最后写明原因，例如：邀请 信息员 新龙村 曾英海 原因：换了手机"
)
INVITE_CHAT_NEEDS_NAME = "{scope}有 {count} 位{role}，请在最后写上姓名，例如：邀请 {role} {place} 张三。"
INVITE_CHAT_NEEDS_NEW_NAME = "名册中没有这个人。要新建人员，请在最后写上姓名。"
INVITE_CHAT_AMBIGUOUS_VILLAGE = "有多个镇都有村「{village}」，请写成「镇/村」，例如：青龙镇/{village}。"

# ---- /person (人员): an admin deactivates or moves one person ----

PERSON_DEACTIVATE_WORD = "停用"
PERSON_MOVE_WORD = "调动"
PERSON_USAGE = (
    "人员管理（仅管理员）：\n"
    "人员 停用 姓名 [现在的镇或村] — 停用：解除绑定、作废未使用的邀请，经手的记录保留\n"
    "人员 调动 姓名 [现在的镇或村] 新的镇或村 — 调动：只能在新的地方办事，绑定随人转移\n"
    "例如：人员 停用 肖浩；人员 调动 肖浩 白石镇；人员 调动 王伟 新龙村 白石镇/石桥村\n"
    "同名的人不止一位时，请写上此人现在的镇或村；村名在多个镇重名时写成「镇/村」。"
)
PERSON_NOT_FOUND = "名册中没有在职的「{name}」{place}。"
PERSON_CANNOT_MOVE: dict[str, str] = {
    "admin": "管理员不属于某个镇或村，不能调动。",
    "same_place": "此人已在该地。",
    "taken": "新地点的同名人员已由另一个账号绑定，未做任何改动。",
}


def person_choices(name: str, people: list[tuple[str, Role]]) -> str:
    """Several active people share the name: which one is meant."""
    head = [f"名册中有 {len(people)} 位「{screen.name(name)}」，请在姓名后写上此人现在的镇或村："]
    rows = [f"- {screen.clip(scope, 2 * screen.NAME)} · {ROLE_NAMES[role]}" for scope, role in people]
    return screen.fit(head, rows, [], _more_people)


def _more_people(count: int) -> str:
    return f"……另有 {count} 位未列出，请写上镇或村缩小范围。"


def person_deactivated(name: str, scope: str, role: Role, was_bound: bool, revoked: int) -> str:
    """What 人员 停用 / gridsafe person deactivate did."""
    done = "已解除其 Telegram 绑定" if was_bound else "此人未绑定 Telegram"
    name, scope = screen.name(name), screen.clip(scope, 2 * screen.NAME)
    return f"已停用 {name}（{scope} · {ROLE_NAMES[role]}）：{done}，作废未使用的邀请 {revoked} 个。经手的隐患记录保留。"


def person_moved(name: str, role: Role, old: str, new: str, was_bound: bool, revoked: int) -> str:
    """What 人员 调动 / gridsafe person move did."""
    bound = "绑定已随人转移，此后只能在新的地方办事" if was_bound else "此人未绑定 Telegram，请为新的地方生成邀请"
    name, old, new = screen.name(name), screen.clip(old, 2 * screen.NAME), screen.clip(new, 2 * screen.NAME)
    return (
        f"已将 {name}（{ROLE_NAMES[role]}）从 {old} 调到 {new}：{bound}；作废原地未使用的邀请 {revoked} 个。"
        "原地经手的隐患记录保留。"
    )


def removal_report(done: Removed) -> str:
    """What a deactivation or a move did (the chat and the CLI say the same)."""
    person = done.person
    scope = scope_label(person.town_name, person.village_name)
    if done.now_at is None:
        return person_deactivated(person.name, scope, person.role, done.was_bound, done.invites_revoked)
    new = scope_label(done.now_at.town_name, done.now_at.village_name)
    return person_moved(person.name, person.role, scope, new, done.was_bound, done.invites_revoked)


# ---- Telegram faults (issue 8): a reply that could not be delivered ---------------------------------------------

REPLY_NOT_DELIVERED = (
    "网络不稳定，刚才的回复没能发出。您的操作如已完成，内容都已保存，可以发送 /mine 查看；如没有完成，请再试一次。"
)
