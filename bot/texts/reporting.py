"""Reporting a hazard: the questions of the report conversation, photos, the summary, the new-hazard card."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from bot import screen
from bot.domain import vocabulary
from bot.domain.hazards import Hazard, Severity
from bot.domain.limits import MAX_PHOTOS, MAX_PLACE, MAX_REASON
from bot.texts.common import (
    SEVERITY_NAMES,
    _and_more,
    _local,
    _more_hazards,
    status_name,
)
from bot.texts.hazard import DESCRIPTION, category_line, description_line, location_line

if TYPE_CHECKING:
    from bot.domain.report import ReportDraft


SKIP = vocabulary.SKIP  # the button sends the word the location step understands
BUTTON_NEXT = "下一步"
BUTTON_SUBMIT = "提交"
BUTTON_EDIT = "修改"
BUTTON_CANCEL = "取消"
BUTTON_FIX_ON_SPOT = "即查即改（已当场整改）"
BUTTON_SEND_LOCATION = "发送当前位置"
BUTTON_BACK = "返回"
BUTTON_CANCEL_SURE = "确定取消"
BUTTON_ADD_PHOTOS = "补充照片"
BUTTON_NEW_HAZARD = "新的隐患"
PHOTOS_ADD_NOT_ALLOWED = "只有上报人或本镇安监员可以给隐患补充照片。"
PHOTOS_ADD_BUSY = "您有一份未完成的上报，请先提交或取消（发送「取消」），再补充照片。"
BUTTON_KEEP_REPORTING = "继续上报"
BUTTON_KEEP_RECTIFYING = "继续整改"

STEP_NAMES: dict[str, str] = {
    "photos": "照片",
    "description": DESCRIPTION,
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
ASK_FIX_NOTE = "请简要说明当场是怎么整改的（例如：已清走纸箱、已更换插座），没有可说明的请点击「跳过」："
ASK_EDIT = "要修改哪一项？"
ASK_BUTTONS = "请点击上面的按钮选择。"
EMPTY_DESCRIPTION = "「好了」「好的」这类话不能作为隐患描述。请用一句话说明看到了什么隐患，例如：「超市后门消防通道堆放纸箱，通道堵塞」。"
EMPTY_PLACE = "「好了」「好的」这类话不能作为场所名称。"
DESCRIPTION_KEPT = "已记下这段文字，发送照片后将作为隐患描述。如果不是要上报隐患，请发送「取消」。"
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


def add_to_button(hazard_id: int) -> str:
    """The button that adds the photos just sent to hazard #N."""
    return f"补充到 #{hazard_id}"


def ask_photos_for(hazard_id: int) -> str:
    """After 补充照片: which photos to send."""
    return f"请发送要补充到隐患 #{hazard_id} 的照片（1–{MAX_PHOTOS} 张）。"


def photos_follow_up(count: int, hazard_id: int) -> str:
    """Photos right after 提交 (or after 补充照片): for that hazard, or a new one?"""
    return f"已收到 {count} 张照片。是补充到隐患 #{hazard_id}，还是上报新的隐患？"


def photos_added(hazard_id: int, count: int) -> str:
    """补充到 #N done."""
    return f"已将 {count} 张照片补充到隐患 #{hazard_id}，已告知镇安监员。"


def photos_add_closed(hazard_id: int) -> str:
    """补充照片 of a hazard already closed."""
    return f"隐患 #{hazard_id} 已销号，不能再补充照片。"


def photos_added_notice(hazard: Hazard, count: int, name: str) -> str:
    """The town's supervisors, in one line: a reporter added photos to a hazard."""
    return f"隐患 #{hazard.id}（{screen.clip(hazard.place, screen.NAME_IN_LIST)}）补充了 {count} 张照片（{screen.name(name)}）。"


def confirm_cancel(photos: int, *, after: bool) -> str:
    """取消 when something would be lost: what, and the two buttons' question."""
    if not photos:
        lost = "已填写的内容"
    elif after:
        lost = f"已发送的 {photos} 张整改后照片"
    else:
        lost = f"已发送的 {photos} 张照片和已填写的内容"
    return f"确定取消吗？将丢弃{lost}，不会保存。"


def photos_received(count: int, refused: int, *, after: bool, has_description: bool) -> str:
    """The one confirmation after a batch of photos."""
    kind = "整改后照片" if after else "照片"
    lines = [f"已收到 {count} 张{kind}。"]
    if refused:
        lines.append(f"每次最多 {MAX_PHOTOS} 张，另外 {refused} 张没有收下（已保留前 {MAX_PHOTOS} 张）。")
    if after:
        lines.append("可以继续发送，或点击「下一步」。")
    elif has_description:
        lines.append("您发的文字已作为隐患描述。可以继续发送照片，或点击「下一步」。")
    else:
        lines.append("可以继续发送照片；发完后点击「下一步」，或直接输入隐患描述。")
    return "\n".join(lines)


def report_summary(draft: ReportDraft, village: str, lookalikes: list[int]) -> str:
    """Everything given, shown before 提交."""
    assert draft.severity is not None
    lines = [
        "请核对隐患信息：",
        f"照片：{len(draft.photos)} 张",
        description_line(draft.description or ""),
        f"类别：{screen.clip(draft.category or '', screen.CATEGORY)}",
        f"等级：{SEVERITY_NAMES[draft.severity]}",
        f"村（社区）：{screen.name(village)}",
        f"场所：{screen.clip(draft.place or '', MAX_PLACE)}" + ("（新场所，待核实）" if draft.new_place else ""),
        location_line(draft.latitude, draft.longitude),
    ]
    if draft.fixed_on_spot:
        lines.append(f"即查即改：已当场整改，整改后照片 {len(draft.after_photos)} 张")
        lines.append(f"整改说明：{screen.clip(draft.after_note or '无', MAX_REASON)}")
    if lookalikes:
        lines.append("")
        numbers = screen.joined([f"#{n}" for n in lookalikes], "、", 300, _and_more)
        lines.append(f"⚠️ 可能与 {numbers} 重复（同一场所、同一类别、尚未销号）。")
    lines.append("")
    lines.append("确认无误请点击「提交」。")
    return "\n".join(lines)


def report_registered(hazard_id: int, *, fixed_on_spot: bool) -> str:
    """Answer to 提交."""
    if fixed_on_spot:
        return f"隐患 #{hazard_id} 已登记（即查即改），已提交镇安监员复核。发送 /mine 查看我的上报。"
    return f"隐患 #{hazard_id} 已登记，已通知镇安监员交办。发送 /mine 查看我的上报。"


def new_hazard_card(hazard: Hazard, before: int, after: int, zone: tzinfo, note: str | None = None) -> str:
    """What a township supervisor receives for a new hazard (the reporter is named: supervisors may know)."""
    hazard = screen.hazard(hazard)
    head = "【即查即改·待复核】" if hazard.fixed_on_spot else "【新隐患·待交办】"
    if hazard.severity is Severity.MAJOR:
        head = "【重大隐患】" + head
    lines = [
        f"{head}#{hazard.id}",
        f"村（社区）：{hazard.town_name}{hazard.village_name}",
        f"场所：{hazard.place}",
        category_line(hazard),
        description_line(hazard.description),
        location_line(hazard.latitude, hazard.longitude),
        f"上报：{hazard.reporter_name}（{hazard.village_name}信息员） {_local(hazard.reported_at, zone)}",
        f"照片：整改前 {before} 张" + (f"，整改后 {after} 张" if after else ""),
    ]
    if hazard.fixed_on_spot:
        lines.append(f"整改说明：{screen.clip(note or '无', MAX_REASON)}")
    return "\n".join(lines)


def major_hazard_alert(hazard: Hazard, photos: int, zone: tzinfo) -> str:
    """What every admin receives at once for a major hazard."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【重大隐患报警】#{hazard.id}",
            f"{hazard.town_name}{hazard.village_name} · {hazard.place}",
            f"类别：{hazard.category}",
            description_line(hazard.description),
            f"上报：{hazard.reporter_name} {_local(hazard.reported_at, zone)}",
            f"照片 {photos} 张。已通知{hazard.town_name}安监员交办。",
        ]
    )


MINE_EMPTY_OWNER = "目前没有交办给您的隐患。"


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
