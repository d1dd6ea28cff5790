"""Lists: /open and /overdue, a page at a time, with filters."""

from __future__ import annotations

from datetime import date

from bot import screen
from bot.domain.hazards import Hazard, Severity
from bot.domain.queries import HazardPage, ListKind
from bot.texts.common import (
    CITY,
    _more_hazards,
    status_name,
)

SEVERITY_SHORT: dict[Severity, str] = {Severity.GENERAL: "一般", Severity.MAJOR: "重大"}

LIST_TITLES: dict[ListKind, str] = {ListKind.OPEN: "未整改隐患", ListKind.OVERDUE: "逾期隐患"}
BUTTON_PAGE_PREVIOUS = "◀ 上一页"
BUTTON_PAGE_NEXT = "下一页 ▶"
NO_OWNER = "未指定责任人"
LIST_TAIL = "按下方编号查看详情和可做的操作。"


def list_button(hazard_id: int) -> str:
    """The button under a list that opens one of its hazards."""
    return f"#{hazard_id}"


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
    """One line of /open or /overdue: #N 村 场所 · 类别 · 一般/重大 · 状态 · 期限/逾期N天 · 责任人."""
    hazard = screen.hazard(hazard, names=screen.NAME_IN_LIST)
    village = f"{hazard.town_name}{hazard.village_name}" if show_town else hazard.village_name
    parts = [
        f"#{hazard.id} {village} {screen.short_name(hazard.place)}",
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
    return screen.fit([head], rows, [LIST_TAIL], _more_hazards)


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
