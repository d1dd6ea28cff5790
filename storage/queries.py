"""Open-hazard lists (/open, /overdue): one page at a time, in urgency order, straight from the indexes."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.hazards import Hazard, Severity
from bot.domain.queries import URGENCY_ORDER, ListKind, Urgency
from storage.database import Database
from storage.hazards import HAZARD_SELECT, hazard_from_row

# Each group is one index range of (scope, status, deadline); deadline then #N orders inside it.
# "{today}" stands for a parameter: the local day, as YYYY-MM-DD.
_GROUPS: dict[Urgency, str] = {
    Urgency.OVERDUE: "h.status = 'assigned' AND h.deadline < {today}",
    Urgency.UNASSIGNED: "h.status = 'reported'",
    Urgency.IN_PROGRESS: "h.status = 'assigned' AND (h.deadline IS NULL OR h.deadline >= {today})",
    Urgency.IN_REVIEW: "h.status = 'submitted'",
}
_KIND_GROUPS: dict[ListKind, tuple[Urgency, ...]] = {
    ListKind.OPEN: URGENCY_ORDER,
    ListKind.OVERDUE: (Urgency.OVERDUE,),
}


def _group(urgency: Urgency, today: date) -> tuple[str, list[Any]]:
    sql = _GROUPS[urgency]
    return sql.replace("{today}", "?"), [today.isoformat()] * sql.count("{today}")


class Narrowing:
    """Where a list looks: a town and/or village (scope and filters together), a category and a severity."""

    def __init__(
        self,
        *,
        town_id: int | None = None,
        village_id: int | None = None,
        category: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.town_id = town_id
        self.village_id = village_id
        self.category = category
        self.severity = severity

    def table(self) -> str:
        """The hazards table, read through the index of the narrowest scope given."""
        # Left to itself (no ANALYZE statistics), SQLite prefers the covering hazards_city_queue as soon as the list
        # is filtered by category or severity, and then reads the whole city's open queue to list one village's:
        # 12 ms rather than 0.1 ms with a million hazards, and growing with the table.
        if self.village_id is not None:
            return "hazards h INDEXED BY hazards_village_queue"
        if self.town_id is not None:
            return "hazards h INDEXED BY hazards_town_queue"
        return "hazards h"

    def sql(self) -> tuple[str, list[Any]]:
        """The extra WHERE conditions and their parameters."""
        conditions, params = "", []
        for column, value in (
            ("town_id", self.town_id),
            ("village_id", self.village_id),
            ("category", self.category),
            ("severity", self.severity.value if self.severity else None),
        ):
            if value is not None:
                conditions += f" AND h.{column} = ?"
                params.append(value)
        return conditions, params


class QueryRepository:
    """SQL for the open lists."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def count(self, kind: ListKind, where: Narrowing, today: date) -> int:
        """How many hazards the list holds."""
        extra, extra_params = where.sql()
        groups, params = [], []
        for urgency in _KIND_GROUPS[kind]:
            sql, group_params = _group(urgency, today)
            groups.append(f"({sql})")
            params += group_params
        row = await self._db.fetch_one(
            f"SELECT COUNT(*) FROM {where.table()} WHERE ({' OR '.join(groups)}){extra}", [*params, *extra_params]
        )
        return int(row[0]) if row else 0

    async def page(self, kind: ListKind, where: Narrowing, today: date, offset: int, limit: int) -> list[Hazard]:
        """One page of the list in urgency order."""
        # Each group reads at most offset + limit entries of its index range, already in order; only those few are
        # merged and sorted, and only the page's rows are joined to names.
        extra, extra_params = where.sql()
        branches, params = [], []
        for rank, urgency in enumerate(_KIND_GROUPS[kind]):
            sql, group_params = _group(urgency, today)
            branches.append(
                f"SELECT * FROM (SELECT {rank} AS grp, h.id, h.deadline FROM {where.table()} WHERE {sql}{extra}"
                " ORDER BY h.deadline, h.id LIMIT ?)"
            )
            params += [*group_params, *extra_params, offset + limit]
        sql = (
            "WITH chosen AS (" + " UNION ALL ".join(branches) + " ORDER BY grp, deadline, id LIMIT ? OFFSET ?)"
            f" {HAZARD_SELECT} JOIN chosen c ON c.id = h.id ORDER BY c.grp, c.deadline, c.id"
        )
        rows = await self._db.fetch_all(sql, [*params, limit, offset])
        return [hazard_from_row(row) for row in rows]

    async def village(self, village_id: int) -> tuple[int, str] | None:
        """(town id, town and village name together) of a village."""
        row = await self._db.fetch_one(
            "SELECT v.town_id, t.name || v.name FROM villages v JOIN towns t ON t.id = v.town_id WHERE v.id = ?",
            (village_id,),
        )
        return (int(row[0]), str(row[1])) if row else None

    async def town_name(self, town_id: int) -> str | None:
        """A town's name."""
        row = await self._db.fetch_one("SELECT name FROM towns WHERE id = ?", (town_id,))
        return str(row[0]) if row else None
