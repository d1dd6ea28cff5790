"""Large GridSafe databases, made fast: the real migrations, then bulk inserts in one transaction; cached by spec."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.world import NOW, PASS_DAY, ZONE, telegram_id
from bot.domain.periods import week_key
from bot.settings import DEFAULT_CATEGORIES
from storage.database import Database
from storage.migrations import available, migrate
from storage.timestamps import to_db

GENERATOR_VERSION = 1
CACHE = Path(__file__).resolve().parent / ".cache"
FLUSH_EVERY = 50_000
PHOTO_FILE_IDS = 8  # generated photos reuse these Telegram file ids, which the benchmark's server knows
# The deadlines due at PASS_AT, as day offsets from the pass day: D-day, D-1, D-3, yellow, red, the weekly repeat.
MIXED_DUE_OFFSETS = (0, -1, -3, 1, 7, 14)
CATEGORIES = tuple(DEFAULT_CATEGORIES)
DESCRIPTIONS = (
    "消防通道堆放杂物，影响疏散",
    "电动车在楼道内充电",
    "灭火器过期未更换",
    "配电箱门损坏，线路裸露",
    "液化气瓶与灶具距离不足",
    "施工现场未设置围挡",
    "仓库内违规住人",
    "安全出口标志损坏",
)


def photo_file_id(n: int) -> str:
    """The Telegram file id of generated photo n (one of a few that the benchmark's server serves)."""
    return f"BENCH-PHOTO-{n % PHOTO_FILE_IDS}"


@dataclass(frozen=True)
class Spec:
    """What to generate: the roster, the hazard history, what is due at PASS_AT and who is on Telegram."""

    villages: int
    hazards: int
    villages_per_town: int = 12
    owners_per_village: int = 2
    admins: int = 3
    months: int = 10  # history: the calendar months before NOW's month, hazards spread evenly across them
    due: int = 0  # hazards (among `hazards`) with a deadline rung at PASS_AT
    due_kind: str = "mixed"  # "mixed": every kind of deadline rung; "d-day": all due today, one owner each
    bound: dict[str, int] = field(default_factory=dict)  # role -> how many are bound to Telegram
    check_weeks: int = 2  # weeks before NOW's with village checks logged by 60% of the villages
    seed: int = 7

    @property
    def towns(self) -> int:
        """How many towns the villages make."""
        return -(-self.villages // self.villages_per_town)

    def key(self) -> str:
        """A name for the cache: the spec, the schema and the generator version."""
        schema = "".join(m.sql for m in available())
        blob = json.dumps([asdict(self), GENERATOR_VERSION, schema], sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(blob.encode()).hexdigest()[:12]
        return f"h{self.hazards}-v{self.villages}-{digest}"


# The province: 100,000 villages, a million hazards over ten months, 200 people on Telegram (3 admins, a supervisor
# in each of 97 towns, 100 officers), 100 deadline reminders due at PASS_AT.
def province(hazards: int = 1_000_000) -> Spec:
    """The province's database (or one with a shorter history and the same roster and reminders due)."""
    return Spec(villages=100_000, hazards=hazards, due=100, bound={"admin": 3, "supervisor": 97, "officer": 100})


@dataclass(frozen=True)
class Layout:
    """Where the generated people are: ids follow from position, so nothing needs looking up."""

    spec: Spec

    def town_of(self, village: int) -> int:
        """The town of a village (ids from 1)."""
        return (village - 1) // self.spec.villages_per_town + 1

    def admin(self, n: int) -> int:
        """Person id of the n-th admin (from 0)."""
        return 1 + n

    def supervisor(self, town: int, n: int = 0) -> int:
        """Person id of a town's n-th supervisor (two per town)."""
        return self.spec.admins + 2 * (town - 1) + n + 1

    def officer(self, village: int) -> int:
        """Person id of the village's information officer."""
        return self.spec.admins + 2 * self.spec.towns + village

    def owner(self, village: int, n: int) -> int:
        """Person id of the village's n-th owner."""
        base = self.spec.admins + 2 * self.spec.towns + self.spec.villages
        return base + (village - 1) * self.spec.owners_per_village + n + 1


@dataclass(frozen=True)
class Generated:
    """A database file ready to use, and how long making it took (0 when it came from the cache)."""

    path: Path
    spec: Spec
    seconds: float
    cached: bool


def cached(spec: Spec, cache: Path | None = None) -> Generated:
    """The database of this spec, generated on first use and kept under bench/.cache/."""
    folder = cache or Path(os.environ.get("BENCH_CACHE", CACHE))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.key()}.db"
    if path.exists():
        return Generated(path, spec, 0.0, True)
    started = time.perf_counter()
    partial = folder / f"{spec.key()}.{os.getpid()}.partial"
    partial.unlink(missing_ok=True)
    generate(spec, partial)
    os.replace(partial, path)
    return Generated(path, spec, time.perf_counter() - started, False)


async def prepared(spec: Spec, cache: Path | None = None) -> Generated:
    """`cached`, from inside an event loop (generating runs its own loop, for the migrations, in a thread)."""
    return await asyncio.to_thread(cached, spec, cache)


def working_copy(generated: Generated, folder: Path) -> Path:
    """A copy to run GridSafe on (it writes: the outbox, the scheduler's state), leaving the cached file as made."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "gridsafe.db"
    shutil.copyfile(generated.path, target)
    return target


def generate(spec: Spec, path: Path) -> None:
    """Migrate an empty database with GridSafe's migrations, then fill it in one bulk transaction."""
    asyncio.run(_migrate(path))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA threads = 2")
        conn.execute("BEGIN")
        # Building an index once after the load is much faster than keeping it sorted through a million inserts.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('hazards', 'hazard_photos', 'hazard_events', 'people', 'checks')"
        ).fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        _Filler(spec, conn).fill()
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


async def _migrate(path: Path) -> None:
    db = await Database.open(path)
    try:
        await migrate(db)
    finally:
        await db.close()


_EPOCH = datetime(1970, 1, 1)
HOUR = 3600.0
DAY = 24 * HOUR


def _stamp(seconds: float) -> str:
    """storage.timestamps.to_db of a Unix time, without the cost of an aware datetime per row."""
    return (_EPOCH + timedelta(seconds=seconds)).isoformat(timespec="microseconds") + "Z"


def _local(day: date, hour: float = 0.0) -> float:
    """Unix time of a local day and hour."""
    return datetime.combine(day, datetime.min.time(), ZONE).timestamp() + hour * HOUR


assert _stamp(NOW.timestamp()) == to_db(NOW)


class _Filler:
    """Writes one spec's rows: hazards from Python, the roster and everything derived from hazards in SQL."""

    def __init__(self, spec: Spec, conn: sqlite3.Connection) -> None:
        self.spec = spec
        self.layout = Layout(spec)
        self.conn = conn
        self.rng = random.Random(spec.seed)
        self.due_owners: list[int] = []
        self.latest = NOW.timestamp() - 4 * DAY  # no history falls in a triage or review window at PASS_AT

    def fill(self) -> None:
        """Every table the spec touches."""
        self._roster()
        self._hazards()
        self._trails()
        self._checks()
        self._bindings()

    # ---- roster ----

    def _roster(self) -> None:
        spec, layout = self.spec, self.layout
        stamp = _stamp(NOW.timestamp() - 400 * DAY)
        seq = "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)"
        self.conn.execute(f"{seq} INSERT INTO towns (id, name) SELECT n, printf('T%05d镇', n) FROM seq", (spec.towns,))
        per_town, owners = spec.villages_per_town, spec.owners_per_village
        self.conn.execute(
            f"{seq} INSERT INTO villages (id, town_id, name) SELECT n, (n - 1) / ? + 1, printf('V%06d村', n) FROM seq",
            (spec.villages, per_town),
        )
        people = "INSERT INTO people (id, name, role, town_id, village_id, phone, created_at, updated_at)"
        self.conn.execute(
            f"{seq} {people} SELECT n, '管理员' || n, 'admin', NULL, NULL, NULL, ?, ? FROM seq",
            (spec.admins, stamp, stamp),
        )
        self.conn.execute(
            f"{seq} {people} SELECT ? + n, printf('安监员%d-%d', (n - 1) / 2 + 1, (n - 1) % 2), 'supervisor',"
            " (n - 1) / 2 + 1, NULL, printf('139%08d', n), ?, ? FROM seq",
            (2 * spec.towns, layout.supervisor(1) - 1, stamp, stamp),
        )
        self.conn.execute(
            f"{seq} {people} SELECT ? + n, '信息员' || n, 'officer', (n - 1) / ? + 1, n, printf('138%08d', n), ?, ?"
            " FROM seq",
            (spec.villages, layout.officer(1) - 1, per_town, stamp, stamp),
        )
        self.conn.execute(
            f"{seq} {people} SELECT ? + n, printf('责任人%d-%d', (n - 1) / ? + 1, (n - 1) % ?), 'owner',"
            " ((n - 1) / ?) / ? + 1, (n - 1) / ? + 1, printf('137%08d', n), ?, ? FROM seq",
            (spec.villages * owners, layout.owner(1, 0) - 1, owners, owners, owners, per_town, owners, stamp, stamp),
        )

    # ---- hazards ----

    def _hazards(self) -> None:
        history = self.spec.hazards - self.spec.due
        if history:
            self._history(history)
        rows = [self._due_hazard(history + n + 1, n) for n in range(self.spec.due)]
        self.conn.executemany(
            "INSERT INTO hazards (id, town_id, village_id, reporter_id, description, category, severity, place,"
            " latitude, longitude, status, closure, fixed_on_spot, reported_at, updated_at, owner_id, deadline,"
            " assigned_at, submitted_at, closed_at, duplicate_of)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _history(self, count: int) -> None:
        """The history, in one INSERT … SELECT: a deterministic hash of the id stands in for each random draw.

        Reports are spread evenly over the history's months (ids in time order, as the bot numbers them). Of every
        100 hazards 5 were invalid, 2 duplicates, 2 are still reported, 6 assigned (most of them overdue), 3 wait for
        review and 82 were rectified and verified; 5 in 100 are major (30-day terms, else 7).
        """
        spec, layout = self.spec, self.layout
        months = []
        first_day = NOW.date().replace(day=1)
        starts = [first_day]
        for _ in range(spec.months):
            starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
        lo = 1
        for m in range(spec.months):
            share = count // spec.months + (1 if m < count % spec.months else 0)
            if share:
                start = int(_local(starts[m]))
                months.append(f"({lo}, {lo + share - 1}, {start}, {int(_local(starts[m + 1])) - start})")
            lo += share
        offset = int(ZONE.utcoffset(NOW).total_seconds())  # type: ignore[union-attr]
        latest = int(self.latest)
        pass_day = (PASS_DAY - date(1970, 1, 1)).days
        owner_base = layout.owner(1, 0) - 1
        descriptions = " ".join(f"WHEN {k} THEN '{d}'" for k, d in enumerate(DESCRIPTIONS))
        categories = " ".join(f"WHEN {k} THEN '{c}'" for k, c in enumerate(CATEGORIES))
        sql = f"""
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count}),
            months(lo, hi, start, span) AS (VALUES {", ".join(months)}),
            drawn AS MATERIALIZED (
                SELECT n,
                    1 + (n * 2654435761 % 4294967291) % {spec.villages} AS village,
                    (n * 1103515245 % 2147483629) / 2147483629.0 AS r_status,
                    (n * 48271 % 2147483647) / 2147483647.0 AS r_major,
                    (n * 69621 % 2147483587) / 2147483587.0 AS r_located,
                    (n * 16807 % 999999937) / 999999937.0 AS r_term,
                    n * 40692 % 999999929 AS r_int,
                    start + CAST(span * ((n - lo) + (n * 39373 % 2147483563) / 2147483563.0) / (hi - lo + 1)
                        AS INTEGER) AS reported
                FROM seq JOIN months ON n BETWEEN lo AND hi
            ),
            shaped AS MATERIALIZED (
                SELECT *,
                    CASE WHEN r_status < 0.05 THEN 'invalid'
                         WHEN r_status < 0.07 AND n > 1 THEN 'duplicate'
                         WHEN r_status < 0.09 THEN 'reported'
                         WHEN r_status < 0.15 THEN 'assigned'
                         WHEN r_status < 0.18 THEN 'submitted'
                         ELSE 'verified' END AS fate,
                    CASE WHEN r_major < 0.05 THEN 30 ELSE 7 END AS term
                FROM drawn
            ),
            timed AS MATERIALIZED (
                SELECT *,
                    CASE WHEN fate IN ('assigned', 'submitted', 'verified') THEN reported + 72000 END AS assigned_s,
                    CASE WHEN fate IN ('submitted', 'verified')
                         THEN min(reported + 72000 + CAST((1 + r_term * (term + 2)) * 86400 AS INTEGER), {latest})
                    END AS submitted_s,
                    -- the local day of the deadline, as a day number, before it is moved off the rungs of PASS_AT
                    (reported + 72000 + {offset}) / 86400 + term AS deadline_day
                FROM shaped
            ),
            closed AS MATERIALIZED (
                SELECT *,
                    CASE WHEN fate IN ('invalid', 'duplicate') THEN min(reported + 72000, {latest})
                         WHEN fate = 'verified' THEN min(submitted_s + 108000, {latest}) END AS closed_s,
                    CASE {pass_day} - deadline_day WHEN -3 THEN 1 WHEN -1 THEN 3 WHEN 0 THEN 2 WHEN 1 THEN 1
                         ELSE ({pass_day} - deadline_day >= 7 AND ({pass_day} - deadline_day) % 7 = 0) END AS shift
                FROM timed
            )
            INSERT INTO hazards (id, town_id, village_id, reporter_id, description, category, severity, place,
                latitude, longitude, status, closure, fixed_on_spot, reported_at, updated_at, owner_id, deadline,
                assigned_at, submitted_at, closed_at, duplicate_of)
            SELECT n, (village - 1) / {spec.villages_per_town} + 1, village, {layout.officer(1) - 1} + village,
                CASE n % {len(DESCRIPTIONS)} {descriptions} END,
                CASE (n * 7) % {len(CATEGORIES)} {categories} END,
                CASE term WHEN 30 THEN 'major' ELSE 'general' END,
                (r_int % 40) || '号商铺',
                CASE WHEN r_located < 0.7 THEN 28.0 + r_located END,
                CASE WHEN r_located < 0.7 THEN 112.5 + r_term END,
                CASE fate WHEN 'invalid' THEN 'closed' WHEN 'duplicate' THEN 'closed' WHEN 'verified' THEN 'closed'
                     ELSE fate END,
                CASE WHEN fate IN ('invalid', 'duplicate', 'verified') THEN fate END,
                0,
                {_sql_stamp("reported")},
                {_sql_stamp("coalesce(closed_s, submitted_s, assigned_s, reported)")},
                CASE WHEN assigned_s IS NOT NULL
                     THEN {owner_base} + (village - 1) * {spec.owners_per_village} + r_int % {spec.owners_per_village} + 1
                END,
                CASE WHEN assigned_s IS NOT NULL THEN date((deadline_day - shift) * 86400, 'unixepoch') END,
                {_sql_stamp("assigned_s")},
                {_sql_stamp("submitted_s")},
                {_sql_stamp("closed_s")},
                CASE WHEN fate = 'duplicate' THEN 1 + r_int % (n - 1) END
            FROM closed
        """
        self.conn.execute(sql)

    def _due_hazard(self, hazard_id: int, n: int) -> tuple[Any, ...]:
        village = 1 + n % self.spec.villages
        if self.spec.due_kind == "d-day":
            offset, owner_n = 0, (n // self.spec.villages) % self.spec.owners_per_village
        else:
            offset, owner_n = MIXED_DUE_OFFSETS[n % len(MIXED_DUE_OFFSETS)], 0
        deadline = PASS_DAY - timedelta(days=offset)
        assigned = _local(deadline - timedelta(days=10), 10)
        owner = self.layout.owner(village, owner_n)
        self.due_owners.append(owner)
        moments = (assigned - 20 * HOUR, assigned, None, None)
        return self._row(hazard_id, village, False, "assigned", None, owner, deadline, moments, None)

    def _row(
        self,
        hazard_id: int,
        village: int,
        major: bool,
        status: str,
        closure: str | None,
        owner: int | None,
        deadline: date | None,
        moments: tuple[float, float | None, float | None, float | None],
        duplicate_of: int | None,
    ) -> tuple[Any, ...]:
        rng = self.rng
        located = rng.random() < 0.7
        reported, assigned, submitted, closed = moments
        return (
            hazard_id,
            self.layout.town_of(village),
            village,
            self.layout.officer(village),
            DESCRIPTIONS[hazard_id % len(DESCRIPTIONS)],
            CATEGORIES[(hazard_id * 7) % len(CATEGORIES)],
            "major" if major else "general",
            f"{rng.randrange(40)}号商铺",
            28.0 + rng.random() if located else None,
            112.5 + rng.random() if located else None,
            status,
            closure,
            _stamp(reported),
            _stamp(max(m for m in moments if m is not None)),
            owner,
            deadline.isoformat() if deadline else None,
            None if assigned is None else _stamp(assigned),
            None if submitted is None else _stamp(submitted),
            None if closed is None else _stamp(closed),
            duplicate_of,
        )

    def _trails(self) -> None:
        """Every hazard's photos and timeline, as the services would have written them, derived in SQL."""
        supervisor = f"({self.layout.supervisor(1)} + 2 * (h.town_id - 1))"
        photos = (
            "INSERT INTO hazard_photos (hazard_id, stage, position, sha256, extension, file_id, file_unique_id,"
            " width, height, size, added_at)"
        )
        self.conn.execute(
            f"{photos} SELECT id, 'before', 1, printf('%064x', 2 * id), 'jpg', 'BENCH-PHOTO-' || (id % ?), 'B' || id,"
            " 1280, 960, 180000, reported_at FROM hazards h",
            (PHOTO_FILE_IDS,),
        )
        self.conn.execute(
            f"{photos} SELECT id, 'after', 1, printf('%064x', 2 * id + 1), 'jpg', 'BENCH-PHOTO-' || ((id + 1) % ?),"
            " 'A' || id, 1280, 960, 180000, submitted_at FROM hazards h WHERE submitted_at IS NOT NULL",
            (PHOTO_FILE_IDS,),
        )
        # Photos that arrived as photos are re-sent by their file_id (storage/photo_ids.py), as the services record.
        self.conn.execute(
            "INSERT OR IGNORE INTO telegram_photo_ids (sha256, file_id)"
            " SELECT sha256, file_id FROM hazard_photos WHERE width > 0"
        )
        events = "INSERT INTO hazard_events (hazard_id, actor_id, at, kind, from_status, to_status, note)"
        self.conn.execute(
            f"{events} SELECT id, reporter_id, reported_at, 'reported', NULL, 'reported', NULL FROM hazards"
        )
        self.conn.execute(
            f"{events} SELECT id, {supervisor}, assigned_at, 'assign', 'reported', 'assigned', NULL FROM hazards h"
            " WHERE assigned_at IS NOT NULL"
        )
        self.conn.execute(
            f"{events} SELECT id, owner_id, submitted_at, 'submit', 'assigned', 'submitted', '已按要求整改'"
            " FROM hazards WHERE submitted_at IS NOT NULL"
        )
        self.conn.execute(
            f"{events} SELECT id, {supervisor}, closed_at,"
            " CASE closure WHEN 'verified' THEN 'verify' ELSE closure END,"
            " CASE closure WHEN 'verified' THEN 'submitted' ELSE 'reported' END, 'closed',"
            " CASE closure WHEN 'invalid' THEN '现场核实不属实' WHEN 'duplicate' THEN '#' || duplicate_of END"
            " FROM hazards h WHERE closed_at IS NOT NULL"
        )

    # ---- checks and bindings ----

    def _checks(self) -> None:
        monday = NOW.date() - timedelta(days=NOW.weekday())
        for week in range(1, self.spec.check_weeks + 1):
            day = monday - timedelta(days=7 * week)
            logged = _stamp(_local(day + timedelta(days=2), 10))
            # Six villages in ten logged the week's check.
            self.conn.execute(
                "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)"
                " INSERT INTO checks (kind, town_id, village_id, period, person_id, places_checked, logged_at,"
                " updated_at) SELECT 'village', (n - 1) / ? + 1, n, ?, ? + n, 5, ?, ? FROM seq"
                " WHERE (n * 7 + ?) % 10 < 6",
                (
                    self.spec.villages,
                    self.spec.villages_per_town,
                    week_key(day),
                    self.layout.officer(1) - 1,
                    logged,
                    logged,
                    week,
                ),
            )

    def _bindings(self) -> None:
        layout, spec = self.layout, self.spec
        chosen: list[int] = []
        for role, count in sorted(spec.bound.items()):
            if role == "admin":
                chosen += [layout.admin(n) for n in range(min(count, spec.admins))]
            elif role == "supervisor":
                chosen += [layout.supervisor(t) for t in _spread(spec.towns, count)]
            elif role == "officer":
                chosen += [layout.officer(v) for v in _spread(spec.villages, count)]
            elif role == "owner":
                chosen += list(dict.fromkeys(self.due_owners))[:count]
            else:
                raise ValueError(role)
        bound_at = NOW.timestamp() - 30 * DAY
        created, used, expires = _stamp(bound_at - DAY), _stamp(bound_at), _stamp(bound_at + 6 * DAY)
        people = sorted(set(chosen))
        self.conn.executemany(
            "INSERT INTO invites (id, code_sha256, person_id, created_at, expires_at, used_at,"
            " used_by_telegram_user_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((p, f"{p:064x}", p, created, expires, used, telegram_id(p)) for p in people),
        )
        self.conn.executemany(
            "INSERT INTO telegram_bindings (person_id, telegram_user_id, chat_id, invite_id, bound_at)"
            " VALUES (?, ?, ?, ?, ?)",
            ((p, telegram_id(p), telegram_id(p), p, used) for p in people),
        )


def bound_people(path: Path) -> list[tuple[int, str, int | None, int | None]]:
    """(telegram user id, role, town id, village id) of everyone bound in a generated database."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT b.telegram_user_id, p.role, p.town_id, p.village_id FROM telegram_bindings b"
            " JOIN people p ON p.id = b.person_id WHERE b.ended_at IS NULL ORDER BY b.telegram_user_id"
        ).fetchall()
    finally:
        conn.close()
    return [(int(r[0]), str(r[1]), r[2], r[3]) for r in rows]


def _spread(total: int, count: int) -> list[int]:
    """`count` ids from 1..total, evenly spread."""
    count = min(count, total)
    return sorted({1 + (k * total) // count for k in range(count)}) if count else []


def _sql_stamp(seconds: str) -> str:
    """SQL for storage.timestamps.to_db of a whole Unix time (NULL stays NULL)."""
    return f"strftime('%Y-%m-%dT%H:%M:%S.000000Z', {seconds}, 'unixepoch')"
