"""Roster import: problems with a roster file and its rows, and what an import adds or takes away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.texts.common import (
    ROLE_NAMES,
    scope_label,
)

if TYPE_CHECKING:
    from bot.domain.roster_changes import RosterChanges


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
