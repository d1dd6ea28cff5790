"""A place's file (一企一档) in the chat: /place, its changes and their confirmation, and 排查 by place."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot import screen
from bot.domain import vocabulary
from bot.domain.place_file import DuePlace, PlaceCard, PlaceEvent, PlaceField, PlaceMatch
from bot.domain.places import Grade, PlaceStatus
from bot.texts.common import CLOSURE_NAMES, STATUS_NAMES, _and_more_places

PLACE_USAGE = "请写场所名称或编号，例如：场所 新龙建材店（或 /place 12）。"
FIELD_NAMES: dict[PlaceField, str] = {
    PlaceField.GRADE: "风险等级",
    PlaceField.OWNER: "责任人",
    PlaceField.STATUS: "状态",
}
FIELD_BUTTONS: dict[PlaceField, str] = {
    PlaceField.GRADE: "修改风险等级",
    PlaceField.OWNER: "更换责任人",
    PlaceField.STATUS: "修改状态",
}
OFFICER_GRADE_BUTTON = "申请修改风险等级"
GRADE_BUTTONS: dict[Grade, str] = {grade: f"{word}色" for grade, word in vocabulary.GRADE_NAMES.items()}
STATUS_BUTTONS: dict[PlaceStatus, str] = dict(vocabulary.PLACE_STATUS_NAMES)
BUTTON_APPROVE = "同意"
BUTTON_REFUSE = "不同意"
BUTTON_PLACE_FILE = "查看场所档案"
BUTTON_CHECK_DONE = "完成排查"
ASK_GRADE = "请选择新的风险等级："
ASK_GRADE_OFFICER = "请选择新的风险等级（提交后需镇安监员确认）："
ASK_STATUS = "请选择场所状态："
NO_OWNERS = "本村名册中没有其他责任人。可由管理员导入名册或场所清单后再更换。"
PLACE_CHANGED = "已修改。"
PLACE_UNCHANGED = "没有变化。"
PLACE_ASKED = "已提交，等待镇安监员确认。"
PLACE_WAITING = "该场所已有一项修改在等待确认。"
DECISION_DONE = "已处理。"
PLACE_VISITED = "已记录到访。"
NO_VILLAGE_PLACES = "本村场所清单中还没有场所。"
NOT_A_VILLAGE_PLACE = "该场所不在本村的场所清单中，或已关闭。"


def _grade(grade: Grade) -> str:
    return vocabulary.GRADE_NAMES[grade]


def place_not_found(text: str) -> str:
    """/place with a name or number not found in the person's scope."""
    return f"没有找到场所「{screen.short_name(text)}」（或不在您的管辖范围内）。"


def place_file_matches(text: str, matches: list[PlaceMatch]) -> str:
    """Several places match a name: pick one with the buttons."""
    return f"有 {len(matches)} 个场所与「{screen.short_name(text)}」相符，请选择："


def match_label(match: PlaceMatch) -> str:
    """A button of one matching place."""
    return screen.label(f"{match.name}（{match.village}）")


def _event(event: PlaceEvent, zone: tzinfo) -> str:
    who = screen.short_name(event.actor) if event.actor else "清单导入"
    when = event.at.astimezone(zone).strftime("%m-%d %H:%M")
    if event.field == "created":
        return f"{when} {who} 建档"
    if event.field == "confirmed":
        return f"{when} {who} 核实"
    words: dict[str, dict[str, str]] = {
        "grade": {g.value: _grade(g) for g in Grade},
        "status": {s.value: w for s, w in vocabulary.PLACE_STATUS_NAMES.items()},
    }
    names = words.get(event.field, {})
    before = names.get(event.from_value or "", screen.short_name(event.from_value or "无"))
    after = names.get(event.to_value or "", screen.short_name(event.to_value or "无"))
    return f"{when} {who} {FIELD_NAMES[PlaceField(event.field)]} {before}→{after}"


def _visit(moment: datetime | None, who: str | None, zone: tzinfo) -> str:
    if moment is None:
        return "尚未到访"
    return f"最近 {moment.astimezone(zone):%Y-%m-%d %H:%M} {screen.short_name(who or '')}"


def place_card(card: PlaceCard, zone: tzinfo) -> str:
    """The place's file: its fields, hazards, visits and latest changes."""
    kind = screen.short_name(card.type)
    if card.industry or card.high_risk:
        extra = "，".join(x for x in (screen.short_name(card.industry or ""), "高危" if card.high_risk else "") if x)
        kind += f"（{extra}）"
    grade = _grade(card.grade)
    if card.waiting_grade is not None:
        grade += f"（申请改为 {_grade(card.waiting_grade)}，待镇安监员确认）"
    lines = [
        f"【场所档案】{screen.name(card.name)}（编号 {card.id}）" + ("（待核实）" if not card.confirmed else ""),
        f"{screen.name(card.town)}{screen.name(card.village)} · {kind}",
        f"地址：{screen.name(card.address) if card.address else '未填写'}",
        f"风险等级：{grade}",
        f"责任人：{screen.name(card.owner) if card.owner else '未指定'}",
        f"状态：{vocabulary.PLACE_STATUS_NAMES[card.status]}",
        f"隐患：未关闭 {card.open_hazards} 条 · 已关闭 {card.closed_hazards} 条",
        *(
            f"  #{h.id} {CLOSURE_NAMES[h.closure] if h.closure else STATUS_NAMES[h.status]}"
            f" {h.reported_at.astimezone(zone):%Y-%m-%d}"
            f" {screen.clip(h.description, 30)}"
            for h in card.hazards
        ),
        f"排查到访 {card.visits} 次，{_visit(card.last_visit, card.last_visitor, zone)}",
    ]
    if card.events:
        lines += ["最近变更：", *(f"  {_event(e, zone)}" for e in card.events)]
    return "\n".join(lines)


def owner_question(count: int) -> str:
    """The owners of the village to pick from (or type: 场所 名称 责任人 姓名)."""
    return f"请选择新的责任人（本村名册中的 {count} 位责任人），也可发送：场所 编号 责任人 姓名"


def owner_not_in_village(name: str) -> str:
    """A typed owner who is no roster owner of the place's village."""
    return f"本村名册中没有责任人「{screen.short_name(name)}」。"


def grade_request(village: str, place: str, officer: str, before: Grade, after: Grade) -> str:
    """Supervisors: an officer asks to change a place's grade."""
    return (
        f"【风险等级变更待确认】{screen.name(village)}信息员 {screen.name(officer)} 申请将"
        f"「{screen.name(place)}」的风险等级由 {_grade(before)} 改为 {_grade(after)}，请确认。"
    )


def grade_decided(village: str, place: str, after: Grade, supervisor: str, approved: bool, applied: bool) -> str:
    """The officer: what the supervisor decided on their grade change."""
    target = f"{screen.name(village)}「{screen.name(place)}」风险等级改为 {_grade(after)}"
    if not approved:
        return f"【风险等级变更】{screen.name(supervisor)} 不同意将{target}。"
    if not applied:
        return f"【风险等级变更】{screen.name(supervisor)} 同意将{target}，但等级已被他人修改，本次未变更。"
    return f"【风险等级变更】{screen.name(supervisor)} 已同意将{target}。"


def decision_toast(approved: bool, applied: bool) -> str:
    """The supervisor's answer to pressing 同意 or 不同意."""
    if not approved:
        return "已不同意该申请。"
    return "已同意，风险等级已修改。" if applied else "风险等级已被他人修改，本次未变更。"


def due_places(village: str, due: list[DuePlace], visited: int) -> str:
    """排查 by place: the village's places due a visit now (buttons), and how many were visited this week."""
    head = f"{screen.name(village)}本周已到访场所 {visited} 处。"
    if not due:
        return head + "\n应到访场所均已到访。点「完成排查」登记本周排查。"
    names = screen.joined(
        [f"{screen.short_name(p.name)}（{_grade(p.grade)}）" for p in due], "、", 1500, _and_more_places
    )
    return (
        f"{head}\n按风险等级应到访、尚未到访的场所 {len(due)} 处：{names}\n"
        "到访后点场所按钮记录（也可发送以场所名称为说明的照片）；全部完成后点「完成排查」。"
    )


def visit_label(place: DuePlace) -> str:
    """The button of a place due a visit."""
    return screen.label(f"{_grade(place.grade)} {place.name}")


def visited_photo(place: str) -> str:
    """A photo captioned with a place's name logged a visit there."""
    return (
        f"已记录到访「{screen.name(place)}」（照片已存档）。"
        "如发现隐患，请发送照片并写明问题（或发送「上报」）上报隐患。"
    )


def places_due_line(count: int, names: list[str]) -> str:
    """The weekly nudge: the places due a visit this week, their number and the first names."""
    shown = "、".join(screen.short_name(n) for n in names)
    more = f" 等 {count} 处" if count > len(names) else ""
    return f"本周应到访场所 {count} 处：{shown}{more}。发送「排查」逐一记录。"
