"""A hazard on screen: its fields, its deadline, the /hazard card and its timeline."""

from __future__ import annotations

from datetime import date, tzinfo

from bot import screen
from bot.domain.hazards import Hazard, Status, TimelineEvent
from bot.domain.limits import MAX_DESCRIPTION, MAX_REASON
from bot.texts.common import (
    SEVERITY_NAMES,
    WEEKDAYS,
    _local,
    _location,
    status_name,
)

EVENT_NAMES: dict[str, str] = {
    "reported": "上报",
    "photos_added": "补充照片",
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


# The one word for what the reporter wrote, wherever it is shown: the summary, every card, 修改, the ledger.
DESCRIPTION = "描述"


def deadline_label(hazard: Hazard, today: date, *, weekday: bool = False) -> str:
    """A hazard's deadline and how far away it is; 已逾期 exactly when the domain says so (Hazard.days_overdue).

    With `weekday` (a move's confirmation) the weekday is named too: 2026-12-18（周五，还有 12 天）.
    """
    deadline = hazard.deadline
    if deadline is None:
        return "未设定"
    day = f"{WEEKDAYS[deadline.weekday()]}，" if weekday else ""
    overdue = hazard.days_overdue(today)
    if overdue:
        return f"{deadline.isoformat()}（{day}已逾期 {overdue} 天）"
    days = (deadline - today).days
    if days > 0:
        return f"{deadline.isoformat()}（{day}还有 {days} 天）"
    if days == 0:
        return f"{deadline.isoformat()}（{day}今天到期）"
    # Past the deadline but not overdue: the evidence is in (待复核) or the hazard is closed.
    return f"{deadline.isoformat()}（{day}已过期限 {-days} 天）"


def deadline_day(deadline: date, today: date) -> str:
    """A deadline as a person says it: 12月18日（周五）, with the year when it is not this year's."""
    year = "" if deadline.year == today.year else f"{deadline.year}年"
    return f"{year}{deadline.month}月{deadline.day}日（{WEEKDAYS[deadline.weekday()]}）"


def deadline_echo(deadline: date, today: date) -> str:
    """The understood deadline echoed back: 期限：12月18日（周五）."""
    return f"期限：{deadline_day(deadline, today)}"


def reason_line(kind: str, reason: str | None) -> list[str]:
    """Why a move was made, named after the move (复核不通过原因：…), for every message about it; none without one."""
    if not reason:
        return []
    return [f"{EVENT_NAMES.get(kind, kind)}原因：{screen.clip(reason, MAX_REASON)}"]


def _place(hazard: Hazard) -> str:
    h = screen.hazard(hazard)
    return f"{h.town_name}{h.village_name} · {h.place}"


def category_line(hazard: Hazard) -> str:
    """类别 and 等级 of a hazard, as every card shows them."""
    h = screen.hazard(hazard)
    return f"类别：{h.category} · {SEVERITY_NAMES[h.severity]}"


def description_line(description: str) -> str:
    """What the reporter wrote, under the one label every screen uses."""
    return f"{DESCRIPTION}：{screen.clip(description, MAX_DESCRIPTION)}"


def location_line(latitude: float | None, longitude: float | None) -> str:
    """Where the hazard was located, or that no location was given."""
    return f"位置：{_location(latitude, longitude)}"


def hazard_fields(hazard: Hazard, *, description: bool = True, location: bool = False) -> list[str]:
    """The lines that name a hazard on a card (where, what kind, what): one renderer for every card."""
    lines = [f"地点：{_place(hazard)}", category_line(hazard)]
    if description:
        lines.append(description_line(hazard.description))
    if location:
        lines.append(location_line(hazard.latitude, hazard.longitude))
    return lines


def hazard_card(hazard: Hazard, events: list[TimelineEvent], today: date, zone: tzinfo, *, for_owner: bool) -> str:
    """The full card of /hazard N; an owner sees the reasons and notes, but neither the reporter nor who did what.

    Every field is shown whole (within its input limit); the oldest events give way when the timeline is long.
    """
    hazard = screen.hazard(hazard)
    lines = [
        f"隐患 #{hazard.id} · {status_name(hazard)}",
        *hazard_fields(hazard, location=True),
    ]
    if not for_owner:
        lines.append(f"上报：{hazard.reporter_name} {_local(hazard.reported_at, zone)}")
    if hazard.owner_name:
        lines.append(f"责任人：{hazard.owner_name}" + ("" if hazard.owner_bound else "（未使用 Telegram）"))
    if hazard.deadline and hazard.status in (Status.ASSIGNED, Status.SUBMITTED):
        lines.append(f"期限：{deadline_label(hazard, today)}")
    lines.append("")
    lines.append("进展：")
    rows = []
    for event in (screen.event(e) for e in events):
        who = "" if for_owner else f" {event.actor}"  # an owner sees why, never who (DESIGN §1)
        note = f"：{event.note}" if event.note else ""
        if event.from_owner and event.to_owner and not for_owner:
            note = f" {event.from_owner} → {event.to_owner}{note}"
        rows.append(f"· {_local(event.at, zone)}{who} {EVENT_NAMES.get(event.kind, event.kind)}{note}")
    return screen.fit(lines, rows, [], lambda left_out: _earlier_events(len(rows), left_out), newest_last=True)


def _earlier_events(total: int, left_out: int) -> str:
    return f"…（时间线共 {total} 条，较早的 {left_out} 条未显示，完整记录见隐患台账）"


_PLACE_ON_BUTTON = 12  # characters of a place on a button about one hazard of a list


def hazard_button(verb: str, hazard: Hazard) -> str:
    """A button about one hazard of a list: what it does, the number and the place (shortened)."""
    return screen.label(f"{verb} #{hazard.id} {screen.clip(hazard.place, _PLACE_ON_BUTTON)}")
