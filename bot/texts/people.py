"""/person (人员): deactivating and moving a person, in chat and on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import screen
from bot.domain.people import Role
from bot.texts.common import (
    ROLE_NAMES,
    scope_label,
)

if TYPE_CHECKING:
    from bot.domain.people import Person
    from bot.domain.roster_changes import Removed


PERSON_CLI_AT = "\n（用 --at 指定）"
PERSON_USAGE = (
    "人员管理（仅管理员）：\n"
    "人员 停用 姓名 [现在的镇或村] — 停用：解除绑定、作废未使用的邀请，经手的记录保留\n"
    "人员 调动 姓名 [现在的镇或村] 新的镇或村 — 调动：只能在新的地方办事，绑定随人转移\n"
    "例如：人员 停用 肖浩；人员 调动 肖浩 白石镇；人员 调动 王伟 新龙村 白石镇/石桥村\n"
    "同名的人不止一位时，请写上此人现在的镇或村；村名在多个镇重名时写成「镇/村」。"
)


def person_not_found(name: str, at: str | None) -> str:
    """No active person of this name (at this place, when one was given)."""
    place = f"（{at}）" if at else ""
    return f"名册中没有在职的「{name}」{place}。"


PERSON_CANNOT_MOVE: dict[str, str] = {
    "admin": "管理员不属于某个镇或村，不能调动。",
    "same_place": "此人已在该地。",
    "taken": "新地点的同名人员已由另一个账号绑定，未做任何改动。",
}


def person_choices(name: str, people: list[Person]) -> str:
    """Several active people share the name: which one is meant."""
    head = [f"名册中有 {len(people)} 位「{screen.name(name)}」，请在姓名后写上此人现在的镇或村："]
    rows = [f"- {scope_label(p.town_name, p.village_name)} · {ROLE_NAMES[p.role]}" for p in people]
    return screen.fit(head, rows, [], _more_people)


def _more_people(count: int) -> str:
    return f"……另有 {count} 位未列出，请写上镇或村缩小范围。"


def person_deactivated(name: str, scope: str, role: Role, was_bound: bool, revoked: int) -> str:
    """What 人员 停用 / gridsafe person deactivate did."""
    done = "已解除其 Telegram 绑定" if was_bound else "此人未绑定 Telegram"
    name, scope = screen.name(name), screen.clip(scope, 2 * screen.NAME)
    return f"已停用 {name}（{scope} · {ROLE_NAMES[role]}）：{done}，作废未使用的邀请 {revoked} 个。经手的隐患记录保留。"


def person_moved(name: str, role: Role, old: str, new: str, was_bound: bool, revoked: int) -> str:
    """What 人员 调动 / gridsafe person move did."""
    bound = "绑定已随人转移，此后只能在新的地方办事" if was_bound else "此人未绑定 Telegram，请为新的地方生成邀请"
    name, old, new = screen.name(name), screen.clip(old, 2 * screen.NAME), screen.clip(new, 2 * screen.NAME)
    return (
        f"已将 {name}（{ROLE_NAMES[role]}）从 {old} 调到 {new}：{bound}；作废原地未使用的邀请 {revoked} 个。"
        "原地经手的隐患记录保留。"
    )


def removal_report(done: Removed) -> str:
    """What a deactivation or a move did (the chat and the CLI say the same)."""
    person = done.person
    scope = scope_label(person.town_name, person.village_name)
    if done.now_at is None:
        return person_deactivated(person.name, scope, person.role, done.was_bound, done.invites_revoked)
    new = scope_label(done.now_at.town_name, done.now_at.village_name)
    return person_moved(person.name, person.role, scope, new, done.was_bound, done.invites_revoked)
