"""Access and onboarding: who may talk to the bot, invites at /start, greetings, answers to unread input."""

from __future__ import annotations

from datetime import date

from bot import screen
from bot.domain.hazards import Hazard, Status
from bot.domain.limits import MAX_REASON
from bot.domain.people import Person, Role
from bot.texts.common import (
    PRODUCT,
    ROLE_NAMES,
    _more_hazards,
    scope_label,
    status_name,
)
from bot.texts.hazard import deadline_label

UNBOUND = (
    f"您好！这里是「{PRODUCT}」安全生产隐患排查整改平台。\n"
    "本平台仅对已登记的信息员、责任人、安监员和管理员开放。\n"
    "请向您所在乡镇的安监员或市应急管理局索取专属邀请链接，点击链接即可完成绑定。"
)
PRIVATE_ONLY = f"「{PRODUCT}」只在私聊中工作，请点击机器人头像与我私聊。群内消息不会被记录。"
UNBOUND_BUTTON = "您还没有绑定身份，请先通过邀请链接绑定。"
DEACTIVATED = (
    "您已不在人员名册中（已停用），不能再使用本平台。您经手的隐患记录都已保留。\n如有疑问，请联系市应急管理局管理员。"
)
DEACTIVATED_BUTTON = "您已不在人员名册中（已停用），不能再进行任何操作。"
FLOOD_REFUSED = "操作过于频繁，请稍后再试。刚才短时间内发来的消息没有处理，请稍等片刻再重新发送。"

INVITE_UNKNOWN = "邀请码无效。请确认链接完整，或向安监员索取新的邀请链接。"
INVITE_USED = "该邀请链接已被使用过，每个链接只能使用一次。如需重新绑定，请向安监员索取新的邀请链接。"
INVITE_EXPIRED = "该邀请链接已过期。请向安监员索取新的邀请链接。"


def _account_kind(*, wecom: bool) -> str:
    """The kind of account a binding names: a Telegram account or a WeCom (企业微信) one."""
    return "企业微信账号" if wecom else " Telegram 账号"  # a space between Chinese and a Latin word


def welcome(
    name: str,
    role: Role,
    town: str | None,
    village: str | None,
    *,
    rebound: bool,
    switched_from: str | None = None,
    wecom: bool = False,
) -> str:
    """Greeting after a successful binding."""
    head = f"已为您更换绑定的{_account_kind(wecom=wecom)}。" if rebound else "绑定成功！"
    if switched_from:
        head += f"\n本账号原来的身份 {switched_from} 已解除绑定。"
    return (
        f"{head}\n{screen.name(name)}，您好！您的身份是【{scope_label(town, village)} · {ROLE_NAMES[role]}】。\n"
        "发送 /help 或「帮助」查看您可以使用的功能。"
    )


def already_bound(name: str, role: Role, town: str | None, village: str | None) -> str:
    """Answer to /start from someone already bound."""
    return f"{screen.name(name)}，您已绑定为【{scope_label(town, village)} · {ROLE_NAMES[role]}】。发送 /help 或「帮助」查看可用功能。"


def person_label(person: Person) -> str:
    """A person as named in notices about bindings: name, place and role."""
    return f"{screen.name(person.name)}（{scope_label(person.town_name, person.village_name)} · {ROLE_NAMES[person.role]}）"


BUTTON_SWITCH_CONFIRM = "确认更换身份"
BUTTON_SWITCH_KEEP = "保留原身份"
SWITCH_KEPT = "已取消，您的身份没有变化，邀请链接也没有被使用。"


def confirm_switch(current: Person, target: Person, *, wecom: bool = False) -> str:
    """A bound account opened an invite for someone else: one account holds one binding, so ask first."""
    return (
        f"您这个{_account_kind(wecom=wecom)}已绑定为 {person_label(current)}。\n"
        f"这个邀请链接是给 {person_label(target)} 的。一个账号只能绑定一个身份：确认后，本账号将改为 "
        f"{screen.name(target.name)}，原来的身份立即解除绑定，不能再以原身份操作。\n"
        "如果链接是别人发错了，请点击「保留原身份」。"
    )


def binding_moved_away(person: Person, *, wecom: bool = False) -> str:
    """To the account that just lost a person's binding to another account."""
    return (
        f"【绑定变更】您的身份 {person_label(person)} 刚刚被绑定到另一个{_account_kind(wecom=wecom)}，本账号已不能再使用该身份。\n"
        "如果不是您本人申请的（例如没有换手机），请立即联系市应急管理局。"
    )


def binding_changed_alert(
    person: Person,
    *,
    moved: bool,
    switched_from: Person | None,
    reason: str | None,
    inviter: Person | None,
    wecom: bool = False,
) -> str:
    """To the admins: a binding moved to another account, or an account took on another person."""
    lines = ["【绑定变更】"]
    kind = _account_kind(wecom=wecom)
    if moved:
        lines.append(f"{person_label(person)} 的绑定已转到另一个{kind}，原账号已解除绑定并已收到通知。")
    if switched_from is not None:
        lines.append(
            f"原绑定为 {person_label(switched_from)} 的{kind}改为绑定 {person_label(person)}，"
            f"{screen.name(switched_from.name)} 目前没有绑定账号。"
        )
    who = screen.name(inviter.name) if inviter else "命令行（服务器管理员）"
    lines.append(f"邀请人：{who}；原因：{screen.clip(reason, MAX_REASON) if reason else '未填写'}。")
    lines.append("如非本人申请，请立即核实处理。")
    return "\n".join(lines)


def supervisor_waiting(triage: int, review: int) -> str:
    """What waits for a supervisor who just joined."""
    return (
        f"本镇目前有 {triage} 条隐患待交办，{review} 条整改待复核。点击下面的按钮打开（等待最久的在前），"
        "发送 /open 或「未整改」查看全部。"
    )


def officer_waiting(hazards: list[Hazard], today: date) -> str:
    """An officer who just joined: their reports still open."""
    rows = []
    for h in (screen.hazard(h, names=screen.NAME_IN_LIST) for h in hazards):
        deadline = f" · 期限 {deadline_label(h, today)}" if h.status is Status.ASSIGNED else ""
        rows.append(f"#{h.id} {h.place} · {status_name(h)}{deadline}")
    head = [f"您上报的隐患中还有 {len(hazards)} 条没有销号（最近的在前）："]
    return screen.fit(head, rows, ["点击下面的按钮查看详情，发送 /mine 或「我的」查看全部上报。"], _more_hazards)


# Bad input (issue 8, fuzzing): answers to updates the bot does not act on.

EDIT_IGNORED = "编辑过的消息不会生效，已按修改前的内容处理。"
EDIT_IGNORED_REPORT = "编辑过的消息不会生效，已按修改前的内容记录；如需更改，请在最后核对时点击「修改」。"
MEDIA_NOT_NOW = "这一步不需要文件、语音或其他内容，已收到的内容都还在。"
FINISH_ACTION_FIRST = "您有一项操作还没有完成，请先回答下面的问题；如要放弃这项操作，请发送 /cancel。"
