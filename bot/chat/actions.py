"""Typed actions behind buttons, and their one codec: the only place button data is written or read.

A button carries an action; a channel stores it as a short string (Telegram's callback data, at most 64 bytes) and
hands that string back when the button is pressed. `encode` writes it, `decode` reads it strictly: anything that is
not exactly what `encode` writes is a stale button. Nothing a button says is trusted: each press is re-checked
against the current state by the service it reaches.

Formats (unchanged from the first releases, so buttons already sent keep working):
- rp:<token>:<verb>[:<arg>]  a step of a report in progress
- hc:<token>:<verb>[:<n>]    a step of a hazard conversation (交办, 整改, ...)
- hz:<hazard>:<move|view|add>    a move on a hazard, its card, or 补充照片
- q:<kind>:<page>:<town>:<village>:<category>:<severity>   a page of /open or /overdue
- bind:ok:<invite code> / bind:keep   确认更换身份 or 保留原身份, after a bound account opened another's invite
- pv:<place>:ok / pv:<place>:no   确认 or 驳回 a place added while reporting (待核实)
- pf:<place>:<verb>[:<arg>]  a place's file: its card, the choices of a field, a new value, a visit (排查)
- pr:<request>:<yes|no>     同意 / 不同意 an officer's change of a place
- ck:done                   完成排查: the village's weekly check, after its visits
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import texts
from bot.chat.replies import grid
from bot.domain.errors import StaleButton
from bot.domain.hazards import Severity
from bot.domain.ids import parse_number
from bot.domain.lifecycle import Move
from bot.domain.notifications import Button
from bot.domain.people import Role
from bot.domain.places import Grade, PlaceStatus
from bot.domain.queries import Filters, ListKind
from bot.domain.report import EDITABLE, Step

DATA_LIMIT = 64  # bytes: Telegram's callback data; every encoded action fits
BACK = "back"  # 修改 → 返回: the edit menu's way back to the summary
MOVE_ROW = 3  # move buttons in a row


class ReportVerb(StrEnum):
    """What a button of a report in progress does."""

    NEXT = "next"  # 下一步 after photos
    CATEGORY = "cat"  # <index of the configured category>
    SEVERITY = "sev"  # <Severity>
    VILLAGE = "vil"  # <village id>
    PLACE = "pl"  # <index of the offered place> (free text: a village without places in the inventory)
    PLACE_ID = "pid"  # <place id>: a place of the village's inventory
    PLACE_PAGE = "pg"  # <page> of the village's places (更多)
    NEW_PLACE = "newpl"  # 新场所: its name is typed next
    ADD_PLACE = "addpl"  # <index of a text searched for>, added as a new place
    FIX = "fix"  # 即查即改
    EDIT = "edit"  # 修改; with <Step> or "back"
    ADD_TO = "addto"  # 补充到 #<hazard>: the photos join a hazard already reported
    NEW = "new"  # 新的隐患: the photos begin a report of their own
    CANCEL = "cancel"  # 取消 on the summary: asks 确定取消 first
    CANCEL_SURE = "cancelok"  # 确定取消
    RESUME = "resume"  # 继续上报 (not cancelled after all)
    SUBMIT = "submit"
    SKIP = "skip"  # 跳过 the note of a hazard fixed on the spot


class ConversationVerb(StrEnum):
    """What a button of a hazard conversation does."""

    OWNER = "owner"  # <person id>
    NEW_OWNER = "newowner"
    DAYS = "days"  # <days>
    KEEP = "keep"  # keep the deadline (改派, 不通过)
    CONFIRM = "ok"  # 确认 a typed deadline echoed back
    RETYPE = "retype"  # 重新输入 it
    PHOTOS = "photos"  # 下一步 after the after-photos
    CANCEL_SURE = "cancelok"  # 确定取消 (after-photos would be lost)
    RESUME = "resume"  # 继续整改


_REPORT_NUMBERS = {
    ReportVerb.ADD_PLACE,
    ReportVerb.CATEGORY,
    ReportVerb.VILLAGE,
    ReportVerb.PLACE,
    ReportVerb.PLACE_ID,
    ReportVerb.PLACE_PAGE,
    ReportVerb.ADD_TO,
}


class PlaceVerb(StrEnum):
    """What a button of a place's file does."""

    VIEW = "view"  # the card (a match picked among several)
    GRADE = "grade"  # the grades to choose from
    OWNER = "owner"  # the owners to choose from
    STATUS = "status"  # the statuses to choose from
    SET_GRADE = "g"  # <Grade>
    SET_OWNER = "o"  # <person id>
    SET_STATUS = "s"  # <PlaceStatus>
    VISIT = "visit"  # 排查: visited now


_CONVERSATION_NUMBERS = {ConversationVerb.OWNER, ConversationVerb.DAYS}


@dataclass(frozen=True)
class ReportStep:
    """A button of the report draft with this token."""

    token: str
    verb: ReportVerb
    number: int | None = None  # category, village, place (index or id), page of places, or the hazard added to
    severity: Severity | None = None
    step: Step | None = None  # edit: the step to answer again
    back: bool = False  # edit: back to the summary


@dataclass(frozen=True)
class ConversationStep:
    """A button of the hazard conversation with this token."""

    token: str
    verb: ConversationVerb
    number: int | None = None  # owner id or days


@dataclass(frozen=True)
class HazardPress:
    """A move on a hazard (交办, 提交整改, ...), or None: show its card (查看详情)."""

    hazard_id: int
    move: Move | None


@dataclass(frozen=True)
class AddPhotos:
    """补充照片 on a hazard's card: the photos sent next are for it."""

    hazard_id: int


@dataclass(frozen=True)
class PageTurn:
    """A page of /open or /overdue with its filters."""

    kind: ListKind
    filters: Filters
    page: int


@dataclass(frozen=True)
class BindChoice:
    """确认更换身份 (with the invite's code, which this chat holds already) or 保留原身份 (code None)."""

    code: str | None


@dataclass(frozen=True)
class PlaceReview:
    """确认 (confirm) or 驳回 a place added while reporting, waiting for its supervisor."""

    place_id: int
    confirm: bool


_VERDICTS = {True: "ok", False: "no"}


@dataclass(frozen=True)
class PlacePress:
    """A button of a place's file; `arg` is the new value of a SET_ verb (grade, owner id or status)."""

    place_id: int
    verb: PlaceVerb
    arg: str | None = None


@dataclass(frozen=True)
class PlaceDecision:
    """同意 or 不同意 a change of a place asked by an officer."""

    request_id: int
    approved: bool


@dataclass(frozen=True)
class CheckDone:
    """完成排查: log the village's weekly check."""


Action = (
    ReportStep
    | ConversationStep
    | HazardPress
    | AddPhotos
    | PageTurn
    | BindChoice
    | PlaceReview
    | PlacePress
    | PlaceDecision
    | CheckDone
)
_YES, _NO = "yes", "no"

_SEVERITY_CODES = {Severity.MAJOR: "m", Severity.GENERAL: "g"}
_VIEW = "view"
_ADD = "add"


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)


def _read_opt(text: str) -> int | None:
    return None if not text else parse_number(text)


def _fields(action: Action) -> list[str]:
    if isinstance(action, ReportStep):
        arg: list[str] = []
        if action.number is not None:
            arg = [str(action.number)]
        elif action.severity is not None:
            arg = [action.severity.value]
        elif action.step is not None:
            arg = [action.step.value]
        elif action.back:
            arg = [BACK]
        return ["rp", action.token, action.verb.value, *arg]
    if isinstance(action, ConversationStep):
        return ["hc", action.token, action.verb.value, *([] if action.number is None else [str(action.number)])]
    if isinstance(action, HazardPress):
        return ["hz", str(action.hazard_id), _VIEW if action.move is None else action.move.value]
    if isinstance(action, AddPhotos):
        return ["hz", str(action.hazard_id), _ADD]
    if isinstance(action, BindChoice):
        return ["bind", "keep"] if action.code is None else ["bind", "ok", action.code]
    if isinstance(action, PlaceReview):
        return ["pv", str(action.place_id), _VERDICTS[action.confirm]]
    if isinstance(action, PlacePress):
        return ["pf", str(action.place_id), action.verb.value, *([] if action.arg is None else [action.arg])]
    if isinstance(action, PlaceDecision):
        return ["pr", str(action.request_id), _YES if action.approved else _NO]
    if isinstance(action, CheckDone):
        return ["ck", "done"]
    filters = action.filters
    severity = _SEVERITY_CODES[filters.severity] if filters.severity else ""
    ids = [_opt(filters.town_id), _opt(filters.village_id), _opt(filters.category)]
    return ["q", action.kind.value, str(action.page), *ids, severity]


def encode(action: Action) -> str:
    """The button data of an action; ValueError if it would not fit in 64 bytes or not read back as the same action
    (an argument a verb does not take): a bug, never user input."""
    data = ":".join(_fields(action))
    try:
        same = decode(data) == action
    except StaleButton:
        same = False
    if not same:
        raise ValueError(f"button data that cannot be read back (or over {DATA_LIMIT} bytes): {data!r}")
    return data


def decode(data: object) -> Action:
    """The action written by `encode`; StaleButton for anything else (old, forged or malformed data).

    Only the exact text `encode` writes is read: "hz:007:view" or a trailing newline is as stale as garbage.
    """
    if not isinstance(data, str) or len(data.encode()) > DATA_LIMIT:
        raise StaleButton(data)
    action = _read(data)
    if ":".join(_fields(action)) != data:
        raise StaleButton(data)
    return action


def _read(data: str) -> Action:
    parts = data.split(":")
    try:
        if parts[0] == "rp" and len(parts) in (3, 4):
            return _report(parts[1], ReportVerb(parts[2]), parts[3] if len(parts) == 4 else None)
        if parts[0] == "hc" and len(parts) in (3, 4):
            verb = ConversationVerb(parts[2])
            if (len(parts) == 4) != (verb in _CONVERSATION_NUMBERS):
                raise ValueError(data)
            return ConversationStep(_token(parts[1]), verb, parse_number(parts[3]) if len(parts) == 4 else None)
        if parts[0] == "hz" and len(parts) == 3 and parts[2] == _ADD:
            return AddPhotos(parse_number(parts[1]))
        if parts[0] == "hz" and len(parts) == 3:
            return HazardPress(parse_number(parts[1]), None if parts[2] == _VIEW else Move(parts[2]))
        if parts[0] == "bind" and parts[1:] == ["keep"]:
            return BindChoice(None)
        if parts[0] == "bind" and len(parts) == 3 and parts[1] == "ok":
            return BindChoice(_token(parts[2]))
        if parts[0] == "pv" and len(parts) == 3 and parts[2] in _VERDICTS.values():
            return PlaceReview(parse_number(parts[1]), parts[2] == _VERDICTS[True])
        if parts[0] == "pf" and len(parts) in (3, 4):
            return _place(parse_number(parts[1]), PlaceVerb(parts[2]), parts[3] if len(parts) == 4 else None)
        if parts[0] == "pr" and len(parts) == 3 and parts[2] in (_YES, _NO):
            return PlaceDecision(parse_number(parts[1]), parts[2] == _YES)
        if parts == ["ck", "done"]:
            return CheckDone()
        if parts[0] == "q" and len(parts) == 7:
            severity = {code: s for s, code in _SEVERITY_CODES.items()}[parts[6]] if parts[6] else None
            filters = Filters(
                town_id=_read_opt(parts[3]),
                village_id=_read_opt(parts[4]),
                category=_read_opt(parts[5]),
                severity=severity,
            )
            return PageTurn(ListKind(parts[1]), filters, parse_number(parts[2]))
    except (ValueError, KeyError) as exc:
        raise StaleButton(data) from exc
    raise StaleButton(data)


def _token(text: str) -> str:
    if not text or not text.isascii() or not text.replace("-", "").replace("_", "").isalnum():
        raise ValueError(text)
    return text


def _place(place_id: int, verb: PlaceVerb, arg: str | None) -> PlacePress:
    if verb is PlaceVerb.SET_GRADE and arg is not None:
        return PlacePress(place_id, verb, Grade(arg).value)
    if verb is PlaceVerb.SET_STATUS and arg is not None:
        return PlacePress(place_id, verb, PlaceStatus(arg).value)
    if verb is PlaceVerb.SET_OWNER and arg is not None:
        return PlacePress(place_id, verb, str(parse_number(arg)))
    if arg is not None or verb in (PlaceVerb.SET_GRADE, PlaceVerb.SET_STATUS, PlaceVerb.SET_OWNER):
        raise ValueError(verb)
    return PlacePress(place_id, verb)


def _report(token: str, verb: ReportVerb, arg: str | None) -> ReportStep:
    token = _token(token)
    if verb in _REPORT_NUMBERS:
        if arg is None:
            raise ValueError(verb)
        return ReportStep(token, verb, number=parse_number(arg))
    if verb is ReportVerb.SEVERITY:
        if arg is None:
            raise ValueError(verb)
        return ReportStep(token, verb, severity=Severity(arg))
    if verb is ReportVerb.EDIT and arg is not None:
        if arg == BACK:
            return ReportStep(token, verb, back=True)
        step = Step(arg)
        if step not in EDITABLE:
            raise ValueError(arg)
        return ReportStep(token, verb, step=step)
    if arg is not None:
        raise ValueError(arg)
    return ReportStep(token, verb)


def button(label: str, action: Action) -> Button:
    """A button: its label and its encoded action."""
    return Button(text=label, data=encode(action))


def move_label(move: Move, role: Role) -> str:
    """A move's button label for a role: an officer's 提交整改 is 代为提交整改 (for an owner without the bot)."""
    return texts.BUTTON_PROXY if move is Move.SUBMIT and role is Role.OFFICER else texts.MOVE_BUTTONS[move]


def move_buttons(hazard_id: int, moves: list[Move], *, proxy: bool = False) -> list[list[Button]]:
    """The buttons of the moves a person may make on a hazard, in rows of three: the one builder of them.

    `proxy`: 提交整改 is labelled 代为提交整改 (an officer submits for an owner without the bot).
    """
    role = Role.OFFICER if proxy else Role.OWNER  # whose label 提交整改 carries; the other moves have one label
    buttons = [button(move_label(m, role), HazardPress(hazard_id, m)) for m in moves]
    return grid(buttons, MOVE_ROW)


def add_photos_button(hazard_id: int) -> list[Button]:
    """补充照片: the reporter adds photos to their open hazard."""
    return [button(texts.BUTTON_ADD_PHOTOS, AddPhotos(hazard_id))]


def view_button(hazard_id: int) -> list[list[Button]]:
    """查看详情: the hazard's card."""
    return [[button(texts.BUTTON_VIEW, HazardPress(hazard_id, None))]]
