"""Words shared by every feature: the product, roles, severities, statuses, places and times."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from bot import screen
from bot.domain import vocabulary
from bot.domain.hazards import Closure, Hazard, Severity, Status
from bot.domain.people import Role

PRODUCT = "网格安全通"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

ROLE_NAMES: dict[Role, str] = {
    Role.OFFICER: "信息员",
    Role.OWNER: "责任人",
    Role.SUPERVISOR: "镇安监员",
    Role.ADMIN: "管理员",
}


def scope_label(town: str | None, village: str | None) -> str:
    """Where a person works, as shown in greetings and lists."""
    if village and town:
        return f"{screen.name(town)}{screen.name(village)}"
    if town:
        return screen.name(town)
    return "全市"


# The severity buttons of a report say what the report conversation understands when typed.
SEVERITY_NAMES: dict[Severity, str] = {severity: word for word, severity in vocabulary.SEVERITY_ANSWERS.items()}
STATUS_NAMES: dict[Status, str] = {
    Status.REPORTED: "待交办",
    Status.ASSIGNED: "整改中",
    Status.SUBMITTED: "待复核",
    Status.CLOSED: "已销号",
}
CLOSURE_NAMES: dict[Closure, str] = {Closure.VERIFIED: "已销号", Closure.INVALID: "不属实", Closure.DUPLICATE: "重复"}


def _location(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return "未提供"
    return f"{latitude:.5f}, {longitude:.5f}"


def _and_more(count: int) -> str:
    return f" 等另外 {count} 起"


def _local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def status_name(hazard: Hazard) -> str:
    """A hazard's status as people say it."""
    if hazard.closure is not None:
        return CLOSURE_NAMES[hazard.closure]
    return STATUS_NAMES[hazard.status]


def _more_hazards(count: int) -> str:
    return f"……另有 {count} 条未列出，发送 /hazard 编号 查看某一条。"


def _span(first: date, last: date) -> str:
    return f"{first.month}月{first.day}日–{last.month}月{last.day}日"


def _and_more_places(count: int) -> str:
    return f" 等，另有 {count} 个未列出"


CITY = "全市"
