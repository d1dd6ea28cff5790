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

    @property
    def scope(self) -> Scope:
        """Where this person's responsibility lies."""
        return Scope(town_id=self.town_id, village_id=self.village_id)


class Actor(Person):
    """A roster entry bound to a Telegram account: the person behind an update."""

    telegram_user_id: int
    chat_id: int
