"""Roster rows: validation of a whole roster file before anything is written."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from bot.domain import vocabulary
from bot.domain.errors import RosterInvalid, RowFault, RowProblem
from bot.domain.limits import MAX_NAME, MAX_PLACE_NAME
from bot.domain.people import Role
from bot.domain.typed_text import clean, clean_name

PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")  # a phone number as rosters and places files write it
# A WeCom userid (账号) as the admin console allows it: 1 to 64 letters, digits and _-@., not starting with - . or @.
WECOM_USERID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$")


class RosterEntry(BaseModel):
    """One valid roster row: a person with role and scope."""

    model_config = ConfigDict(frozen=True)

    row: int
    town: str | None
    village: str | None
    name: str
    role: Role
    phone: str | None
    wecom_userid: str | None = None  # the WeCom account (账号), None: the column is empty or absent


def parse_role(value: str) -> Role | None:
    """A role from its English code or a Chinese name, None when unknown."""
    word = value.strip()
    try:
        return Role(word.lower())
    except ValueError:
        return vocabulary.ROLE_ALIASES.get(word)


def validate(rows: list[tuple[int, Mapping[str, str]]]) -> list[RosterEntry]:
    """Check every row; return entries or raise RosterInvalid listing every problem with its row number."""
    problems: list[RowProblem] = []
    entries: list[RosterEntry] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    accounts: dict[str, int] = {}  # WeCom userids (compared without case, as WeCom does) → first row
    for number, raw in rows:
        # Names are cleaned as typed names are: control and invisible characters never reach the roster or a chat.
        cells = {key: clean_name(raw.get(key) or "") for key in ("town", "village", "name")}
        cells |= {key: clean(raw.get(key) or "") for key in ("role", "phone", "wecom_userid")}
        if not any(cells.values()):
            continue
        found = _problems(number, cells)
        if found:
            problems += found
            continue
        role = parse_role(cells["role"])
        assert role is not None
        key = (role.value, cells["town"], cells["village"], cells["name"])
        if key in seen:
            problems.append(RowProblem(number, RowFault.DUPLICATE_ROW, other_row=seen[key]))
            continue
        seen[key] = number
        account = cells["wecom_userid"].lower()
        if account and account in accounts:
            problems.append(
                RowProblem(number, RowFault.WECOM_DUPLICATE, value=cells["wecom_userid"], other_row=accounts[account])
            )
            continue
        if account:
            accounts[account] = number
        entries.append(
            RosterEntry(
                row=number,
                town=cells["town"] or None,
                village=cells["village"] or None,
                name=cells["name"],
                role=role,
                phone=cells["phone"] or None,
                wecom_userid=cells["wecom_userid"] or None,
            )
        )
    if problems:
        raise RosterInvalid(problems)
    if not entries:
        raise RosterInvalid([RowProblem(0, RowFault.EMPTY)])
    return entries


def _problems(row: int, cells: dict[str, str]) -> list[RowProblem]:
    found = []
    if not cells["name"]:
        found.append(RowProblem(row, RowFault.NAME_MISSING))
    elif len(cells["name"]) > MAX_NAME:
        found.append(RowProblem(row, RowFault.NAME_TOO_LONG, limit=MAX_NAME))
    if len(cells["town"]) > MAX_PLACE_NAME or len(cells["village"]) > MAX_PLACE_NAME:
        found.append(RowProblem(row, RowFault.PLACE_TOO_LONG, limit=MAX_PLACE_NAME))
    if cells["phone"] and not PHONE.match(cells["phone"]):
        found.append(RowProblem(row, RowFault.PHONE_INVALID, value=cells["phone"]))
    if cells["wecom_userid"] and not WECOM_USERID.match(cells["wecom_userid"]):
        found.append(RowProblem(row, RowFault.WECOM_INVALID, value=cells["wecom_userid"]))
    role = parse_role(cells["role"])
    if role is None:
        found.append(RowProblem(row, RowFault.ROLE_UNKNOWN, value=cells["role"]))
        return found
    if role is Role.ADMIN and (cells["town"] or cells["village"]):
        found.append(RowProblem(row, RowFault.ADMIN_SCOPED))
    if role is not Role.ADMIN and not cells["town"]:
        found.append(RowProblem(row, RowFault.TOWN_MISSING, role=role))
    if role is Role.SUPERVISOR and cells["village"]:
        found.append(RowProblem(row, RowFault.SUPERVISOR_VILLAGE))
    if role in (Role.OFFICER, Role.OWNER) and not cells["village"]:
        found.append(RowProblem(row, RowFault.VILLAGE_MISSING, role=role))
    return found
