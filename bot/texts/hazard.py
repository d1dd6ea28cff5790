"""A hazard on screen: its fields, its deadline, the /hazard card and its timeline."""

from __future__ import annotations

from datetime import date, tzinfo

from bot import screen
from bot.domain.hazards import Hazard, Status, TimelineEvent
from bot.texts.common import (
    SEVERITY_NAMES,
    _local,
    _location,
    status_name,
)

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
HAZARD_USAGE = "请在命令后写隐患编号，例如：/hazard 12 或 隐患 12"
OWNER_PHOTO_HINT = "要提交整改照片，请先点击整改通知里的「提交整改」按钮（发送 /mine 查看需要整改的隐患）。"


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


def _place(hazard: Hazard) -> str:
    h = screen.hazard(hazard)
    return f"{h.town_name}{h.village_name} · {h.place}"


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
