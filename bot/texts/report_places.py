"""The place step of a report (the village's places, a search, a new place), a new place's confirmation by the
supervisor (待核实 → 确认 / 驳回), and the place's owner offered first at 交办."""

from __future__ import annotations

from bot import screen
from bot.domain.hazards import Hazard
from bot.domain.limits import MAX_PLACE
from bot.texts.rectification import ASK_OWNER

BUTTON_NEW_PLACE = "新场所"
BUTTON_MORE_PLACES = "更多 ▶"
BUTTON_FIRST_PLACES = "◀ 返回第一页"
BUTTON_LIST_PLACES = "查看本村场所"
BUTTON_CONFIRM_PLACE = "确认场所"
BUTTON_REJECT_PLACE = "驳回"
ASK_NEW_PLACE_NAME = "请输入新场所的名称（提交后由镇安监员核实，再纳入本村底数清单）："
PLACE_NOT_FOUND = "找不到该场所，或不在您的管辖范围内。"
PLACE_ALREADY_CONFIRMED = "该场所已核实，无需再处理。"
PLACE_ALREADY_REJECTED = "该场所已被驳回，无需再处理。"


def ask_place_from_list(page: int) -> str:
    """The place step of a village with places: its buttons, most used first; typing searches them."""
    head = "请选择隐患所在场所（本村底数清单，常用的在前）"
    if page:
        head += f"，第 {page + 1} 页"
    return head + "。\n也可以输入场所名称或地址搜索；清单里没有的，点击「新场所」。"


def place_button(name: str, *, pending: bool) -> str:
    """A place on a button; one still waiting for its supervisor says so."""
    return screen.label(f"{name}（待核实）" if pending else name)


def add_place_button(name: str) -> str:
    """添加为新场所「X」: the text searched for, as a new place."""
    return screen.label(f"添加为新场所「{name}」")


def place_chosen(name: str) -> str:
    """The one place a typed text found, chosen."""
    return f"已选择场所：{screen.clip(name, MAX_PLACE)}（本村底数清单）。"


def new_place_noted(name: str) -> str:
    """A new place given while reporting: it goes with the report, waiting for the supervisor."""
    return f"新场所「{screen.clip(name, MAX_PLACE)}」将随隐患一起上报，由镇安监员核实后纳入底数清单。"


def place_matches(text: str, shown: int, more: bool) -> str:
    """Several places contain the typed text: their buttons."""
    lines = [f"本村有多个场所包含「{screen.clip(text, MAX_PLACE)}」，请选择："]
    if more:
        lines.append(f"（只列出前 {shown} 个，可以输入更完整的名称）")
    lines.append("都不是的话，可以点击「添加为新场所」，或重新输入。")
    return "\n".join(lines)


def place_none(text: str) -> str:
    """Nothing in the village's places contains the typed text: offer it as a new place."""
    clipped = screen.clip(text, MAX_PLACE)
    return (
        f"本村底数清单中没有包含「{clipped}」的场所。\n"
        f"要把「{clipped}」作为新场所上报吗？新场所由镇安监员核实。也可以重新输入名称搜索。"
    )


def new_place_card(hazard: Hazard) -> str:
    """A supervisor's message about a place added while reporting, with 确认 / 驳回."""
    hazard = screen.hazard(hazard)
    return "\n".join(
        [
            "【新场所·待核实】",
            f"村（社区）：{hazard.town_name}{hazard.village_name}",
            f"场所：{hazard.place}",
            f"来源：{hazard.reporter_name} 上报隐患 #{hazard.id} 时新增",
            "请核实该场所是否属实：确认后纳入本村底数清单；驳回则不纳入，隐患照常办理。",
        ]
    )


def place_confirmed(name: str, village: str) -> str:
    """确认: the place joins the inventory."""
    return f"已确认场所「{screen.clip(name, MAX_PLACE)}」（{screen.name(village)}），已纳入底数清单。"


def place_rejected(name: str, village: str) -> str:
    """驳回: the place stays out of the inventory; its hazards go on."""
    return f"已驳回场所「{screen.clip(name, MAX_PLACE)}」（{screen.name(village)}），不纳入底数清单；相关隐患照常办理。"


def place_owner_button(name: str) -> str:
    """At 交办, the first owner button: the 责任人 of the hazard's place."""
    return screen.label(f"{name}（场所责任人）")


def ask_owner_place_first(place: str, owner: str) -> str:
    """The owner question of a hazard whose place has a 责任人: they are the first button."""
    return (
        f"{ASK_OWNER}\n场所「{screen.clip(place, MAX_PLACE)}」的责任人是 {screen.name(owner)}，点第一个按钮即可交办。"
    )
