"""Scheduler reminders: the check cycles, the deadline ladder, triage and review lag, and the check log."""

from __future__ import annotations

from datetime import date, timedelta

from bot import screen
from bot.domain.hazards import Hazard
from bot.domain.limits import MAX_PLACES_CHECKED, MAX_REASON
from bot.texts.common import (
    _and_more_places,
    _span,
)
from bot.texts.hazard import _place, deadline_label, hazard_fields

BUTTON_VIEW = "查看详情"


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


def deadline_reminder(hazard: Hazard, rung: str, today: date, *, for_fixer: bool) -> str:
    """A rung of the deadline ladder: names the hazard, the place, the deadline and how overdue it is."""
    hazard = screen.hazard(hazard)
    assert hazard.deadline is not None
    overdue = hazard.days_overdue(today)
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
        *hazard_fields(hazard, description=False),
        f"整改期限：{deadline_label(hazard, today)}",
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
