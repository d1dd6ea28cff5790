"""Rectification: 交办, 不属实, 重复, 整改, 复核, 重新打开 and 改派, and the cards each move sends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot import screen
from bot.domain import vocabulary
from bot.domain.errors import Denial
from bot.domain.hazards import Hazard, Status
from bot.domain.lifecycle import Move, names_its_state
from bot.domain.limits import MAX_REASON
from bot.texts.commands import NOT_ALLOWED
from bot.texts.common import (
    _more_hazards,
    status_name,
)
from bot.texts.hazard import EVENT_NAMES, _place, deadline_echo, deadline_label, hazard_fields, reason_line

BUTTON_ASSIGN = "交办"
BUTTON_INVALID = "不属实"
BUTTON_DUPLICATE = "重复"
BUTTON_VERIFY = "复核通过"
BUTTON_REJECT = "不通过"
OWNER_JOINED = "责任人已开始使用本平台，将由其本人提交整改，您不必再代为提交。"
OWN_SUBMISSION = "这项整改是您（或您这个 Telegram 账号）提交的，不能由您自己复核。请由本镇其他安监员或管理员复核。"
DENIALS: dict[Denial, str] = {
    Denial.NOT_ALLOWED: NOT_ALLOWED,
    Denial.OWNER_JOINED: OWNER_JOINED,
    Denial.OWN_SUBMISSION: OWN_SUBMISSION,
}
BUTTON_VERIFY_SHORT = "复核"
BUTTON_RECTIFY = "提交整改"
BUTTON_PROXY = "代为提交整改"
BUTTON_NEW_OWNER = "新责任人"
MOVE_BUTTONS: dict[Move, str] = {
    Move.ASSIGN: BUTTON_ASSIGN,
    Move.INVALID: BUTTON_INVALID,
    Move.DUPLICATE: BUTTON_DUPLICATE,
    Move.SUBMIT: BUTTON_RECTIFY,
    Move.VERIFY: BUTTON_VERIFY,
    Move.REJECT: BUTTON_REJECT,
    Move.REOPEN: "重新打开",
    Move.REASSIGN: "改派",
}

ASK_OWNER = "请选择责任人（本村已登记的责任人），或点击「新责任人」，也可以直接输入新责任人姓名："
ASK_OWNER_NAME = "请输入责任人姓名，可在后面加手机号，例如：张三 13800000000"
ASK_RECTIFY_PHOTOS = "请发送整改后的照片（1–10 张），发完后点击「下一步」。"
ASK_RECTIFY_NOTE = "请简要说明整改情况（例如：已清理通道、已更换电线）："
ASK_ORIGINAL = "请输入与之重复的原隐患编号，例如 #12："
ASK_REASON: dict[Move, str] = {
    Move.INVALID: "请说明不属实的原因：",
    Move.REJECT: "请说明复核不通过的原因（将转告责任人）：",
    Move.REOPEN: "请说明重新打开的原因（例如：复查发现问题再次出现）：",
    Move.REASSIGN: "请说明改派的原因（例如：原责任人登记错误、场所已转让），将记入隐患进展：",
}
ASK_REASSIGN_OWNER = "改派：请选择新的责任人（本村已登记的责任人），或点击「新责任人」，也可以直接输入新责任人姓名："
SAME_OWNER = "新责任人与原责任人相同。请选择或输入另一位责任人："
DEADLINE_EXAMPLES = "如 12月5日、20号、下周五、月底 或 一周"
DEADLINE_UNREADABLE = f"没有看懂这个日期。请输入日期，{DEADLINE_EXAMPLES}，或点击上面的天数按钮。"
DEADLINE_IN_PAST = f"期限不能早于今天。请输入今天或以后的日期，{DEADLINE_EXAMPLES}。"
DEADLINE_TOO_FAR = "期限不能超过一年，请输入更近的日期。"
ORIGINAL_INVALID = "请输入正确的原隐患编号，例如 #12（不能是本隐患自己，且须在您的辖区内）。"
REASON_EMPTY = "请输入文字说明。"
MOVE_WORDS_HINT = "交办、整改、复核等操作请在隐患卡片上点击按钮。发送「隐患 12」或「#12」打开隐患卡片。"
EMPTY_NOTE = "「好了」「好的」这类话不能作为整改说明。请用一句话说明整改了什么，例如：「纸箱已清走，通道畅通」。"
EMPTY_REASON = "「好了」「好的」这类话不能作为原因。请用一句话写明原因。"
EMPTY_OWNER_NAME = "「好了」「好的」这类话不是姓名。"
ACTION_CANCELLED = "已取消当前操作，隐患状态没有变化。"


def ask_deadline(default_days: int) -> str:
    """The deadline question (交办, 不通过, 重新打开)."""
    return f"请选择整改期限（默认 {default_days} 天），或直接输入日期，{DEADLINE_EXAMPLES}："


def ask_reassign_deadline(hazard: Hazard, today: date) -> str:
    """The deadline question of 改派: the current deadline is kept unless changed."""
    return f"原整改期限：{deadline_label(hazard, today)}。点击「保持原期限」，或选择新的期限，或直接输入日期，{DEADLINE_EXAMPLES}："


def ask_rework_deadline(hazard: Hazard, today: date, days: int | None) -> str:
    """The deadline question of 不通过: the old deadline, and what is proposed (None: keep it; else so many days)."""
    old = f"原整改期限：{deadline_label(hazard, today)}。"
    if days is None:
        return old + f"建议点击「保持原期限」；如需调整，请选择整改期限，或直接输入日期，{DEADLINE_EXAMPLES}："
    return old + f"请选择整改期限（建议 {days} 天），或直接输入日期，{DEADLINE_EXAMPLES}："


BUTTON_CONFIRM_DEADLINE = "确认"
BUTTON_RETYPE_DEADLINE = "重新输入"


def confirm_deadline(deadline: date, today: date) -> str:
    """A typed deadline echoed back before it is saved: 期限：12月18日（周五）, then 确认 or 重新输入."""
    return f"{deadline_echo(deadline, today)}\n请点击「确认」保存；如果不对，请点击「重新输入」或直接输入新的日期。"


def keep_deadline_button(deadline: date) -> str:
    """The 改派 button that keeps the deadline."""
    return f"{vocabulary.KEEP_DEADLINE}（{deadline.month}月{deadline.day}日）"


def days_button(days: int, default: bool) -> str:
    """A deadline button."""
    return f"{days}天" + ("（默认）" if default else "")


def owner_card(hazard: Hazard, move: Move, today: date, reason: str | None = None) -> str:
    """What an owner receives: the hazard, why it came back (the reason the supervisor typed) and the deadline,
    never who reported it."""
    hazard = screen.hazard(hazard)
    head = {
        Move.ASSIGN: "【整改通知】",
        Move.REJECT: "【整改复核未通过，请重新整改】",
        Move.REOPEN: "【隐患重新打开，请整改】",
        Move.REASSIGN: "【改派·整改通知】",
    }
    lines = [
        f"{head.get(move, '【整改通知】')}隐患 #{hazard.id}",
        *hazard_fields(hazard),
        *reason_line(move.value, reason),
        f"整改期限：{deadline_label(hazard, today)}",
    ]
    lines.append("整改完成后，请点击「提交整改」并上传整改后的照片。")
    return "\n".join(lines)


def proxy_card(hazard: Hazard, today: date, move: Move = Move.ASSIGN, reason: str | None = None) -> str:
    """What the reporting officer receives when the owner has no Telegram (with the reason, to pass on)."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【请代为转告整改】隐患 #{hazard.id}",
            f"地点：{_place(hazard)}",
            f"责任人：{hazard.owner_name}（未使用 Telegram）",
            *reason_line(move.value, reason),
            f"整改期限：{deadline_label(hazard, today)}",
            "请把整改要求转告责任人；整改完成后，点击「代为提交整改」上传整改后的照片。",
        ]
    )


def reporter_update(hazard: Hazard, move: Move, today: date, reason: str | None = None) -> str:
    """What the reporting officer is told at every status change of their report, with the move's reason."""
    return "\n".join([_reporter_news(screen.hazard(hazard), move, today), *reason_line(move.value, reason)])


def _reporter_news(hazard: Hazard, move: Move, today: date) -> str:
    head = f"您上报的隐患 #{hazard.id}（{hazard.place}）"
    if move is Move.ASSIGN:
        return f"{head}已交办给 {hazard.owner_name}，整改期限 {deadline_label(hazard, today)}。"
    if move is Move.INVALID:
        return f"{head}经核实不属实，已关闭。"
    if move is Move.DUPLICATE:
        return f"{head}与 #{hazard.duplicate_of} 重复，已关闭。"
    if move is Move.SUBMIT:
        return f"{head}：责任人 {hazard.owner_name} 已提交整改，等待镇安监员复核。"
    if move is Move.VERIFY:
        return f"{head}已复核通过，销号。"
    if move is Move.REJECT:
        return f"{head}整改复核未通过，已退回整改，新期限 {deadline_label(hazard, today)}。"
    if move is Move.REASSIGN:
        return f"{head}已改派给 {hazard.owner_name}，整改期限 {deadline_label(hazard, today)}。"
    return f"{head}已重新打开，状态：{status_name(hazard)}。"


def reassigned_away(hazard: Hazard) -> str:
    """The former owner's news of a 改派: the hazard is no longer theirs (who has it now is not theirs to know, and
    the reason typed may name them: it is not passed on here)."""
    hazard = screen.hazard(hazard)
    return f"隐患 #{hazard.id}（{hazard.place}）已由镇安监员改派给其他责任人，您不再负责该隐患的整改，无需提交整改。"


def no_longer_owner(number: int) -> str:
    """A former owner's stale 提交整改 or /hazard N after a 改派."""
    return f"隐患 #{number} 已改派给其他责任人，您不再负责该隐患的整改。发送 /mine 查看需要您整改的隐患。"


def owner_closed(hazard: Hazard) -> str:
    """The owner's news that the rectification was accepted."""
    hazard = screen.hazard(hazard)
    return f"您负责整改的隐患 #{hazard.id}（{hazard.place}）已复核通过，销号。谢谢配合！"


def review_card(hazard: Hazard, before: int, after: int, note: str | None, *, proxy: bool, today: date) -> str:
    """What supervisors receive to verify a rectification, with the before and after photos."""
    hazard = screen.hazard(hazard)
    note = None if note is None else screen.clip(note, MAX_REASON)
    who = f"{hazard.owner_name or '信息员'}" + ("（由信息员代为提交）" if proxy else "")
    return "\n".join(
        [
            f"【整改待复核】隐患 #{hazard.id}",
            *hazard_fields(hazard),
            f"整改人：{who}",
            f"整改说明：{note or '无'}",
            f"期限：{deadline_label(hazard, today)}",
            f"照片：前 {before} 张为整改前，后 {after} 张为整改后。",
        ]
    )


def admin_update(hazard: Hazard, move: Move, today: date, reason: str | None = None) -> str:
    """Admins follow every step of a major hazard."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            f"【重大隐患进展】#{hazard.id} {_place(hazard)}",
            EVENT_NAMES[move.value] + ("" if names_its_state(move) else f"：当前状态 {status_name(hazard)}"),
            *reason_line(move.value, reason),
            f"责任人：{hazard.owner_name or '未指定'}，期限 {deadline_label(hazard, today)}",
        ]
    )


def move_done(hazard: Hazard, move: Move, today: date) -> str:
    """The answer to the person who made the move."""
    hazard = screen.hazard(hazard)
    if move is Move.ASSIGN:
        return f"已将隐患 #{hazard.id} 交办给 {hazard.owner_name}，期限 {deadline_label(hazard, today, weekday=True)}。"
    if move is Move.INVALID:
        return f"已将隐患 #{hazard.id} 标记为不属实并关闭。"
    if move is Move.DUPLICATE:
        return f"已将隐患 #{hazard.id} 标记为与 #{hazard.duplicate_of} 重复并关闭。"
    if move is Move.SUBMIT:
        return f"隐患 #{hazard.id} 的整改已提交，等待镇安监员复核。"
    if move is Move.VERIFY:
        return f"隐患 #{hazard.id} 复核通过，已销号。"
    if move is Move.REJECT:
        if hazard.status is Status.REPORTED:
            return f"隐患 #{hazard.id} 复核不通过，已退回待交办，请指定责任人。"
        return f"隐患 #{hazard.id} 复核不通过，已退回责任人，新期限 {deadline_label(hazard, today, weekday=True)}。"
    if move is Move.REASSIGN:
        return f"已将隐患 #{hazard.id} 改派给 {hazard.owner_name}，期限 {deadline_label(hazard, today, weekday=True)}。"
    return f"隐患 #{hazard.id} 已重新打开，当前状态：{status_name(hazard)}。"


def owner_invite(name: str, link: str) -> str:
    """For the supervisor: a link to forward to an owner who is not on Telegram yet."""
    name = screen.name(name)
    return (
        f"{name} 还没有使用本平台。请把下面的邀请链接转发给 {name}（7 天内有效）：\n{link}\n"
        "在其绑定之前，整改通知会发给上报的信息员，由信息员转告并代为提交整改。"
    )


def owner_joined_for_proxy(hazard: Hazard) -> str:
    """To the officer who stood in for an owner: the owner joined and submits from now on."""
    hazard = screen.hazard(hazard)
    return (
        f"责任人 {hazard.owner_name} 已开始使用本平台：隐患 #{hazard.id}（{hazard.place}）将由其本人提交整改，"
        "您不必再代为提交。"
    )


def owner_tasks(hazards: list[Hazard], today: date, reasons: Mapping[int, tuple[str, str]] | None = None) -> str:
    """An owner's /mine: what they must fix, nearest deadline first, with why one came back (复核不通过原因：…)."""
    rows = []
    for h in (screen.hazard(h) for h in hazards):
        row = f"#{h.id} {h.place} · {h.category} · {status_name(h)} · 期限 {deadline_label(h, today)}"
        kind, reason = (reasons or {}).get(h.id, ("", None))
        rows.append("\n　".join([row, *reason_line(kind, reason)]))
    return screen.fit(["需要我整改的隐患："], rows, ["点击下面的按钮提交整改或查看详情。"], _more_hazards)
