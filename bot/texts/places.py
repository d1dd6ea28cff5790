"""Places (底数清单, 一企一档): the places file, its problems, and what an import did."""

from __future__ import annotations

from pathlib import Path

from bot.domain import vocabulary
from bot.domain.errors import PlaceFault, PlaceProblem, RowFault, RowProblem
from bot.texts.roster import TableTexts, row_problem


def places_imported(added: int, updated: int, unchanged: int, owners_added: int, owners_updated: int) -> str:
    """What a places import did."""
    return (
        f"场所清单导入完成：新增 {added} 个场所，更新 {updated} 个，未变 {unchanged} 个；"
        f"责任人新增 {owners_added} 人，更新 {owners_updated} 人。"
    )


def places_rejected(problems: list[PlaceProblem], count: int) -> str:
    """The first problems of a refused places file, one line each with its row, and how many more there are."""
    lines = [f"第 {p.row} 行：{place_problem(p)}" for p in problems]
    if count > len(problems):
        lines.append(f"……另有 {count - len(problems)} 处错误未列出")
    body = "\n".join(lines)
    return f"场所清单有 {count} 处错误，未导入任何数据：\n{body}"


def place_problem(problem: PlaceProblem) -> str:
    """The sentence for one reason code of a places row."""
    match problem.fault:
        case PlaceFault.TOWN_VILLAGE_MISSING:
            return "必须填写镇和村"
        case PlaceFault.VILLAGE_UNKNOWN:
            return f"名册中没有「{problem.value}{problem.other}」（请先导入名册，或检查镇、村名称）"
        case PlaceFault.NAME_MISSING:
            return "缺少场所名称"
        case PlaceFault.NAME_TOO_LONG:
            return f"场所名称过长（最多 {problem.limit} 个字）"
        case PlaceFault.TYPE_UNKNOWN:
            return f"场所类型「{problem.value}」无法识别（可用：{'、'.join(problem.choices)}）"
        case PlaceFault.GRADE_UNKNOWN:
            return f"风险等级「{problem.value}」无法识别（可用：{'、'.join(vocabulary.GRADE_NAMES.values())}）"
        case PlaceFault.STATUS_UNKNOWN:
            return f"状态「{problem.value}」无法识别（可用：{'、'.join(vocabulary.PLACE_STATUS_NAMES.values())}）"
        case PlaceFault.HIGH_RISK_UNKNOWN:
            return f"高危一栏「{problem.value}」无法识别（填 是 或 否）"
        case PlaceFault.INDUSTRY_NOT_ENTERPRISE:
            return f"只有类型为「{vocabulary.PLACE_TYPE_ENTERPRISE}」的场所填写行业和高危"
        case PlaceFault.INDUSTRY_TOO_LONG:
            return f"行业过长（最多 {problem.limit} 个字）"
        case PlaceFault.ADDRESS_TOO_LONG:
            return f"地址过长（最多 {problem.limit} 个字）"
        case PlaceFault.LOCATION_INVALID:
            return f"经纬度「{problem.value}, {problem.other}」不正确（纬度 -90~90，经度 -180~180，两者同填或同空）"
        case PlaceFault.OWNER_TOO_LONG:
            return row_problem(RowProblem(problem.row, RowFault.NAME_TOO_LONG, limit=problem.limit))
        case PlaceFault.PHONE_INVALID:
            return row_problem(RowProblem(problem.row, RowFault.PHONE_INVALID, value=problem.value))
        case PlaceFault.PHONE_WITHOUT_OWNER:
            return "填写了责任人电话却没有责任人姓名"
        case PlaceFault.DUPLICATE_ROW:
            return row_problem(RowProblem(problem.row, RowFault.DUPLICATE_ROW, other_row=problem.other_row))
        case PlaceFault.EMPTY:
            return PLACES_EMPTY


def places_unsupported(suffix: str) -> str:
    """A places file of another type than .csv or .xlsx."""
    return f"不支持的场所清单文件类型：{suffix}（请使用 .csv 或 .xlsx）"


def places_file_too_large(limit: str) -> str:
    """A places file over its size limit (`limit` as people read it, e.g. 128 MB)."""
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
