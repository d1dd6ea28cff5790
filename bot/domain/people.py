"""Roles and the acting person: who someone is and where their scope lies."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """The four roles of DESIGN.md section 1."""

    OFFICER = "officer"
    OWNER = "owner"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Channel(StrEnum):
    """Where a person talks to GridSafe: Telegram, or the WeCom (企业微信) self-built app."""

    TELEGRAM = "telegram"
    WECOM = "wecom"


class Scope(BaseModel):
    """A place in the roster: a village (town and village set), a town (village None) or everywhere (both None)."""

    model_config = ConfigDict(frozen=True)

    town_id: int | None = None
    village_id: int | None = None

    def contains(self, other: Scope) -> bool:
        """True when `other` lies inside this scope."""
        if self.town_id is None:
            return True
        if self.town_id != other.town_id:
            return False
        return self.village_id is None or self.village_id == other.village_id


class Person(BaseModel):
    """A roster entry."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    role: Role
    town_id: int | None
    town_name: str | None
    village_id: int | None
    village_name: str | None
    phone: str | None
    active: bool = True  # False once deactivated: kept for the history, able to do nothing
    wecom_userid: str | None = None  # their WeCom account (roster column or 绑定 <code>), None: not on WeCom
    last_channel: Channel | None = None  # the channel they last wrote from, None: never wrote

    @property
    def scope(self) -> Scope:
        """Where this person's responsibility lies."""
        return Scope(town_id=self.town_id, village_id=self.village_id)


class Actor(Person):
    """A roster entry reached through a chat account: the person behind an update, on the channel it came from.

    On Telegram, telegram_user_id and chat_id are the account and private chat; on WeCom both are None and the
    account is wecom_userid. `account` (the Telegram account that made a hazard event) is None on WeCom.
    """

    channel: Channel = Channel.TELEGRAM
    telegram_user_id: int | None = None
    chat_id: int | None = None
