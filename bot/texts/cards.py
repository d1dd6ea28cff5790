"""Cards that stay true: a reply to a card, and the line that tells co-supervisors someone else acted."""

from __future__ import annotations

from bot import screen
from bot.domain.hazards import Hazard, Status
from bot.domain.lifecycle import Move


def replied_to_card(number: int) -> str:
    """A typed reply to a message about a hazard: its card follows; moves are made with the buttons."""
    return f"您回复的是隐患 #{number}，详情如下。处理请按详情下方的按钮，回复的文字不会被当作操作。"


def handled_by(hazard: Hazard, move: Move, actor: str) -> str:
    """One line for the other supervisors whose card of the hazard was just brought up to date."""
    hazard = screen.hazard(hazard)
    who = screen.name(actor)
    owner = hazard.owner_name or ""
    done = {
        Move.ASSIGN: f"交办给 {owner}",
        Move.INVALID: "标记为不属实并关闭",
        Move.DUPLICATE: f"标记为与 #{hazard.duplicate_of} 重复并关闭",
        Move.SUBMIT: "提交整改，等待复核",
        Move.VERIFY: "复核通过，已销号",
        Move.REJECT: f"复核不通过，退回 {owner} 重新整改"
        if hazard.status is Status.ASSIGNED
        else "复核不通过，退回待交办",
        Move.REOPEN: "重新打开",
        Move.REASSIGN: f"改派给 {owner}",
    }[move]
    return f"#{hazard.id} 已由 {who} {done}（您的卡片已更新）"
