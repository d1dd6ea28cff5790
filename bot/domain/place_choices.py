"""A place as a report picks it (a button, a press re-checked) and as a supervisor decides a new one (待核实)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.places import PlaceStatus


@dataclass(frozen=True)
class PlaceOption:
    """A place on a button: its id, its name, and whether it still waits for its supervisor (待核实)."""

    id: int
    name: str
    pending: bool


@dataclass(frozen=True)
class PlaceChoice:
    """A place as a press on it is checked: where it is and whether it may be chosen or decided."""

    id: int
    town_id: int
    village_id: int
    name: str
    confirmed: bool
    rejected: bool
    status: PlaceStatus
    owner_id: int | None

    @property
    def offered(self) -> bool:
        """Whether a report may pick it (a closed or rejected place is no longer offered)."""
        return self.status is not PlaceStatus.CLOSED and not self.rejected

    @property
    def pending(self) -> bool:
        """Added while reporting, no supervisor has decided yet."""
        return not self.confirmed and not self.rejected
