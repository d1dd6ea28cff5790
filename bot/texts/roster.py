"""Roster import: problems with a roster file and its rows, and what an import adds or takes away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bot.domain.errors import RowFault, RowProblem
from bot.texts.common import (
    ROLE_NAMES,
    scope_label,
)

if TYPE_CHECKING:
    from bot.domain.roster_changes import RosterChanges


def roster_imported(towns: int, villages: int, added: int, updated: int, unchanged: int) -> str:
    """What an import did."""
    return f"名册导入完成：{towns} 个镇、{villages} 个村，新增 {added} 人，更新 {updated} 人，未变 {unchanged} 人。"


def roster_rejected(problems: list[RowProblem]) -> str:
    """Every problem of a refused roster file, one line each with its row."""
    lines = "\n".join(f"第 {p.row} 行：{row_problem(p)}" for p in problems)
    return f"名册有 {len(problems)} 处错误，未导入任何数据：\n{lines}"


def row_problem(problem: RowProblem) -> str:
    """The sentence for one reason code of a roster row."""
    role = ROLE_NAMES[problem.role] if problem.role else ""
    match problem.fault:
        case RowFault.NAME_MISSING:
            return "缺少姓名"
        case RowFault.NAME_TOO_LONG:
            return f"姓名过长（最多 {problem.limit} 个字）"
        case RowFault.PLACE_TOO_LONG:
            return f"镇或村名称过长（最多 {problem.limit} 个字）"
        case RowFault.PHONE_INVALID:
            return f"电话号码「{problem.value}」格式不正确"
        case RowFault.ROLE_UNKNOWN:
            return f"角色「{problem.value}」无法识别（可用：信息员、责任人、镇安监员、管理员）"
        case RowFault.ADMIN_SCOPED:
            return "管理员不属于某个镇或村，请将镇、村留空"
        case RowFault.TOWN_MISSING:
            return f"{role}必须填写所属镇"
        case RowFault.SUPERVISOR_VILLAGE:
            return "镇安监员只属于镇，请将村留空"
        case RowFault.VILLAGE_MISSING:
            return f"{role}必须填写所属村"
        case RowFault.DUPLICATE_ROW:
            return f"与第 {problem.other_row} 行重复"
        case RowFault.WECOM_INVALID:
            return f"企业微信账号「{problem.value}」格式不正确（1 至 64 位字母、数字或 _-@.）"
        case RowFault.WECOM_DUPLICATE:
            return f"企业微信账号「{problem.value}」与第 {problem.other_row} 行重复"
        case RowFault.EMPTY:
            return ROSTER_EMPTY


def roster_unreadable(path: Path, reason: str) -> str:
    """A roster file that cannot be opened."""
    return f"无法读取名册文件 {path}：{reason}"


def roster_unsupported(suffix: str) -> str:
    """A roster file of another type than .csv or .xlsx."""
    return f"不支持的名册文件类型：{suffix}（请使用 .csv 或 .xlsx）"


def roster_missing_columns(columns: list[str]) -> str:
    """A roster file without a required column."""
    return f"缺少必需的列：{', '.join(columns)}（列名可用 town/village/name/role/phone/wecom_userid 或 镇/村/姓名/角色/电话/企业微信账号）"


def roster_file_too_large(limit: str) -> str:
    """A roster file over its size limit (`limit` as people read it, e.g. 5 MB)."""
    return f"名册文件过大（最大 {limit}），未导入任何数据。"


def roster_unpacked_too_large(limit: str) -> str:
    """An .xlsx roster that unpacks to more than its limit."""
    return f"名册 .xlsx 解压后过大（最大 {limit}），可能已损坏或是恶意文件，未导入任何数据。"


def roster_too_many_rows(limit: int) -> str:
    """A roster with more rows than allowed."""
    return f"名册行数过多（最多 {limit} 行），未导入任何数据。"


ROSTER_EMPTY = "名册中没有任何人员"
ROSTER_NOT_XLSX = (
    "名册文件不是有效的 .xlsx 文件（不是 Excel 工作簿的压缩格式），请用 Excel 另存为 .xlsx 或 .csv 后重试。"
)


def roster_bad_xlsx(reason: str) -> str:
    """An .xlsx roster whose content is damaged."""
    return f"名册 .xlsx 文件内容已损坏（{reason}），请用 Excel 打开并另存后重试。"


def roster_bad_csv(reason: str) -> str:
    """A CSV roster that cannot be parsed."""
    return f"名册 CSV 文件格式错误（{reason}：单元格过长或引号不配对），未导入任何数据。"


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
    unsupported=roster_unsupported,
    too_large=roster_file_too_large,
    unpacked_too_large=roster_unpacked_too_large,
    too_many_rows=roster_too_many_rows,
    not_xlsx=ROSTER_NOT_XLSX,
    bad_xlsx=roster_bad_xlsx,
    bad_csv=roster_bad_csv,
    unreadable=roster_unreadable,
    empty=ROSTER_EMPTY,
    missing_columns=roster_missing_columns,
)


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
