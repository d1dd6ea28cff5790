"""The ledger (隐患台账): the spreadsheet layout, its file name and caption."""

from __future__ import annotations

from bot import screen
from bot.domain import vocabulary
from bot.domain.places import Grade, PlaceStatus
from bot.domain.statistics import Period
from bot.texts.common import (
    CITY,
)
from bot.texts.hazard import DESCRIPTION
from bot.texts.statistics import period_label

SHEET_HAZARDS = "隐患台账"
SHEET_CHECKS = "排查记录"
SHEET_STATS = "统计"
# The 底数清单 (places) and 责任清单 (owners), beside 隐患台账: the 三张清单.
SHEET_PLACES = "底数清单"
SHEET_OWNERS = "责任清单"
LEDGER_HEADERS = [
    "编号",
    "镇",
    "村（社区）",
    "场所",
    "类别",
    "等级",
    DESCRIPTION,
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
    "整改前缩略图",
    "整改后缩略图",
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
    "场所到访",
    "场所应到访",
    "村不漏户覆盖率",
]
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
# A place's grade and status are shown in the words a places file may use for them.
GRADE_NAMES: dict[Grade, str] = vocabulary.GRADE_NAMES
PLACE_STATUS_NAMES: dict[PlaceStatus, str] = vocabulary.PLACE_STATUS_NAMES
PLACE_CONFIRMED = "已核实"
PLACE_UNCONFIRMED = "待核实"
PLACE_REJECTED = "已驳回"
CHECK_KIND_NAMES: dict[str, str] = {"village": "村周排查", "town": "镇月排查"}
# Widths (in characters) of the ledger's free-text columns, by header; other columns fit their header.
WIDE_COLUMNS: dict[str, int] = {
    DESCRIPTION: 40,
    "整改说明": 30,
    "关闭说明": 30,
    "整改前照片": 50,
    "整改后照片": 50,
    "整改前缩略图": 24,  # a thumbnail of at most 160 × 120 pixels
    "整改后缩略图": 24,
    "说明": 30,
    "场所名称": 24,
    "地址": 30,
    "负责场所": 40,
}
YES = "是"
NO = "否"


def owner_places(names: list[str]) -> str:
    """The places an owner answers for, in one cell of the 责任清单."""
    return "、".join(names)


def stats_total_label(scope_name: str | None) -> str:
    """The first row of the 统计 sheet."""
    return f"{scope_name or CITY}合计"


def ledger_file_name(scope_name: str | None, period: Period) -> str:
    """File name of the ledger sent in chat."""
    return f"隐患台账_{screen.short_name(scope_name or CITY)}_{period.key}.xlsx"


def ledger_caption(scope_name: str | None, period: Period, hazards: int, checks: int) -> str:
    """Caption of the ledger document."""
    return f"隐患台账 · {screen.name(scope_name or CITY)} · {period_label(period)}：隐患 {hazards} 条，排查记录 {checks} 条。"


PHOTO_STAGE_NAMES = {"before": "整改前", "after": "整改后"}


def photo_file_name(hazard_id: int, stage: str, position: int, extension: str) -> str:
    """A photo's name in the ledger's photo archive and its photo columns: 隐患0012_整改前_1.jpg."""
    return f"隐患{hazard_id:04d}_{PHOTO_STAGE_NAMES[stage]}_{position}.{extension}"


def photo_archive_name(ledger_file: str) -> str:
    """The photo archive beside a ledger: 隐患台账_青龙镇_2026-11_照片.zip."""
    stem = ledger_file.removesuffix(".xlsx")
    return f"{stem}_照片.zip"


def photos_caption(scope_name: str | None, period: Period, photos: int, left_out: int, missing: int) -> str:
    """Caption of the photo archive sent in chat; says so when photos did not fit Telegram's limit or are missing."""
    lines = [f"隐患照片 · {screen.name(scope_name or CITY)} · {period_label(period)}：{photos} 张，按隐患编号命名。"]
    if left_out:
        lines.append(
            f"照片超过 Telegram 的文件大小上限，另有 {left_out} 张未打包；完整的照片包请管理员用 gridsafe export 导出。"
        )
    if missing:
        lines.append(f"另有 {missing} 张照片在服务器上找不到，未打包。")
    return "\n".join(lines)
