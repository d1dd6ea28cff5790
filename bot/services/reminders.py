"""The scheduler pass: what is due between the last pass and now, queued once per subject and rung."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot import texts
from bot.chart import chart_or_none
from bot.chat.actions import move_buttons, view_button
from bot.clock import Clock
from bot.domain import dedupe, recipients, routing
from bot.domain.errors import TickInFuture
from bot.domain.hazards import Hazard
from bot.domain.lifecycle import Move
from bot.domain.notifications import Message, Notification
from bot.domain.people import Channel, Person, Role
from bot.domain.periods import local_date, month_key, week_key, week_start
from bot.domain.place_file import DuePlace
from bot.domain.recipients import Involved, Reminded
from bot.domain.schedule import (
    Rules,
    Rung,
    deadline_rungs,
    latest_due,
    month_miss_list,
    month_rungs,
    ranking_rung,
    rung_offsets,
    week_miss_list,
    week_rungs,
)
from bot.domain.statistics import previous_month
from bot.services.notify import Notifier
from bot.services.statistics import StatisticsService
from storage.database import Database
from storage.media import MediaStore
from storage.roster import RosterRepository
from storage.schedule import ScheduleRepository

log = logging.getLogger(__name__)

# The village's places due a visit in the windows holding a day (bot.services.place_files), for the weekly nudge.
DuePlaces = Callable[[int, date], Awaitable[list[DuePlace]]]
DUE_NAMES = 3  # places named in the nudge; the rest are counted

# Overdue hazards are reminded weekly for up to this long; older ones are left to the lists and the ranking.
MAX_OVERDUE_DAYS = 2 * 366


@dataclass(frozen=True)
class PassResult:
    """What a pass queued (or, dry, would queue)."""

    at: datetime
    since: datetime
    notifications: list[Notification]


class ReminderService:
    """Runs one scheduler pass as of a moment: a pure plan over the database state, then one transaction."""

    def __init__(
        self,
        db: Database,
        schedule: ScheduleRepository,
        roster: RosterRepository,
        notifier: Notifier,
        clock: Clock,
        rules: Rules,
        pass_interval: timedelta,
        statistics: StatisticsService,
        media: MediaStore,
        chart_font: str,
        due_places: DuePlaces,
    ) -> None:
        self._db = db
        self._schedule = schedule
        self._roster = roster
        self._notifier = notifier
        self._clock = clock
        self._rules = rules
        self._interval = pass_interval
        self._statistics = statistics
        self._media = media
        self._chart_font = chart_font
        self._due_places = due_places

    async def run_pass(self, at: datetime | None = None, *, dry_run: bool = False) -> PassResult:
        """Queue every reminder due in (last pass, at]; a dry run only says what it would queue.

        Only a dry run may look past now: a real pass at a later moment would move the last-pass mark ahead of
        the clock, and the running bot's own passes would queue nothing until the clock caught up.
        """
        now = self._clock.now()
        at = at or now
        if at > now and not dry_run:
            raise TickInFuture(at, now)
        last = await self._schedule.last_pass()
        if last is not None and last > now:
            # The clock went back (or a pass once ran ahead of it): the mark is clamped, or every reminder would
            # wait for the clock to reach it. What that pass queued ahead of time is withdrawn, to come when due.
            log.warning("the clock went back: the last scheduler pass is marked %s, now is %s", last, now)
            last = None
            if not dry_run:
                await self._withdraw_queued_after(now)
        since = max(last or at - self._interval, at - timedelta(days=self._rules.catch_up_days))
        planned = await self.plan(since, at, render=not dry_run)
        if not dry_run:
            async with self._db.transaction() as tx:
                await self._notifier.enqueue_many(tx, planned, at)
                await self._schedule.set_last_pass(tx, min(max(at, last) if last else at, now))
        return PassResult(at=at, since=since, notifications=planned)

    async def _withdraw_queued_after(self, now: datetime) -> None:
        async with self._db.transaction() as tx:
            withdrawn, released = await self._schedule.withdraw_queued_after(tx, now, dedupe.PASS_KEY_PREFIXES)
        if withdrawn or released:
            log.warning(
                "queued while the clock was ahead: %s reminders withdrawn (queued again when due), %s messages"
                " released now",
                withdrawn,
                released,
            )

    async def plan(self, since: datetime, at: datetime, *, render: bool = True) -> list[Notification]:
        """Everything due in (since, at], at most the latest rung of each subject."""
        today = local_date(at, self._rules.zone)
        planned = await self._village_checks(since, at, today)
        planned += await self._town_checks(since, at, today)
        planned += await self._deadlines(since, at, today)
        planned += await self._lags(since, at)
        planned += await self._ranking(since, at, today, render=render)
        return planned

    async def _ranking(self, since: datetime, at: datetime, today: date, *, render: bool) -> list[Notification]:
        """On the 1st: last month's ranking to admins (with the chart) and each supervisor's place and villages."""
        if not latest_due([ranking_rung(today, self._rules)], since, at):
            return []
        last_month = previous_month(today).start
        ranking = await self._statistics.ranking(last_month)
        month = month_key(last_month)
        image = None
        chart = await chart_or_none(ranking, self._chart_font) if render else None
        if chart is not None:
            image = f"{self._media.put(chart, 'png')}.png"
        zone = self._rules.zone
        out = [
            _note(admin, dedupe.ranking(month, admin), Message(text=texts.ranking_text(ranking, zone), image=image))
            for admin in await self._roster.ids_with_role(Role.ADMIN)
        ]
        for town in ranking.towns:
            villages = await self._statistics.figures(town.town_id, ranking.period)
            text = texts.town_place(ranking, villages, zone)
            for person in await self._roster.ids_with_role(Role.SUPERVISOR, town.town_id):
                out.append(_note(person, dedupe.ranking(month, person), Message(text=text)))
        return out

    async def last_pass(self) -> datetime | None:
        """When the last pass ran (None before the first)."""
        return await self._schedule.last_pass()

    async def describe(self, notifications: list[Notification]) -> list[tuple[str, str]]:
        """(recipient's name, first line) of each notification, for `gridsafe tick --dry-run`."""
        described = []
        for notification in notifications:
            person = await self._roster.person(notification.person_id)
            name = person.name if person else str(notification.person_id)
            described.append((name, notification.message.text.splitlines()[0]))
        return described

    async def unreachable(self, person_id: int, reason: str, channel: Channel = Channel.TELEGRAM) -> None:
        """Tell the person's supervisors (or the admins) that GridSafe cannot reach them; once a day at most."""
        person = await self._roster.person(person_id)
        if person is None:
            return
        supervisors = await self._roster.ids_with_role(Role.SUPERVISOR, person.town_id) if person.town_id else []
        admins = await self._roster.ids_with_role(Role.ADMIN)
        now = self._clock.now()
        day = local_date(now, self._rules.zone)
        message = Message(text=texts.unreachable(person.name, person.role, reason, channel))
        async with self._db.transaction() as tx:
            for recipient in recipients.of_unreachable(person_id, tuple(supervisors), tuple(admins)):
                key = dedupe.unreachable(person_id, day, recipient)
                await self._notifier.enqueue(tx, _note(recipient, key, message), now)

    async def delivery_failed(self, person_id: int, error: str, channel: Channel = Channel.TELEGRAM) -> None:
        """Tell the admins that a channel refused a notification for good; once a day per kind of refusal.

        One fault (a message Telegram cannot take) usually hits many notifications: the admins hear of it once a
        day, not once per recipient; the log has every one.
        """
        person = await self._roster.person(person_id)
        if person is None:
            return
        now = self._clock.now()
        day = local_date(now, self._rules.zone)
        kind = hashlib.sha256(error.encode()).hexdigest()[:16]
        message = Message(text=texts.delivery_failed(person.name, person.role, error, channel))
        async with self._db.transaction() as tx:
            for admin in await self._roster.ids_with_role(Role.ADMIN):
                key = dedupe.delivery_failed(kind, day, admin)
                await self._notifier.enqueue(tx, _note(admin, key, message), now)

    # ---- checks ----

    async def _village_checks(self, since: datetime, at: datetime, today: date) -> list[Notification]:
        out: list[Notification] = []
        week = week_key(today)
        if rung := latest_due(week_rungs(today, self._rules), since, at):
            monday = week_start(today)
            for village in await self._schedule.villages_without_check(week):
                text = texts.village_check_reminder(rung.name, village.name, monday)
                if due := await self._due_places(village.id, today):
                    text += "\n" + texts.places_due_line(len(due), [p.name for p in due[:DUE_NAMES]])
                subject = dedupe.check_subject("village", village.id, week)
                for person in village.people:
                    key = dedupe.village_check(village.id, week, rung, person)
                    out.append(_note(person, key, Message(text=text), subject))
        last_week = today - timedelta(days=7)
        if latest_due([week_miss_list(last_week, self._rules)], since, at):
            missed = await self._schedule.villages_without_check(week_key(last_week))
            by_town: dict[int, list[str]] = defaultdict(list)
            for village in missed:
                by_town[village.town_id].append(village.name)
            for town_id, names in by_town.items():
                text = texts.village_miss_list(week_start(last_week), names)
                for person in await self._roster.ids_with_role(Role.SUPERVISOR, town_id):
                    key = dedupe.village_misses(town_id, week_key(last_week), person)
                    out.append(_note(person, key, Message(text=text)))
        return out

    async def _town_checks(self, since: datetime, at: datetime, today: date) -> list[Notification]:
        out: list[Notification] = []
        month = month_key(today)
        if rung := latest_due(month_rungs(today, self._rules), since, at):
            for town in await self._schedule.towns_without_check(month):
                text = texts.town_check_reminder(rung.name, town.name, today)
                subject = dedupe.check_subject("town", town.id, month)
                for person in town.people:
                    out.append(
                        _note(person, dedupe.town_check(town.id, month, rung, person), Message(text=text), subject)
                    )
        last_month = today.replace(day=1) - timedelta(days=1)
        if latest_due([month_miss_list(last_month, self._rules)], since, at):
            missed = [t.name for t in await self._schedule.towns_without_check(month_key(last_month))]
            if missed:
                text = texts.town_miss_list(last_month, missed)
                for person in await self._roster.ids_with_role(Role.ADMIN):
                    out.append(_note(person, dedupe.town_misses(month_key(last_month), person), Message(text=text)))
        return out

    # ---- hazards ----

    async def _deadlines(self, since: datetime, at: datetime, today: date) -> list[Notification]:
        first_day = local_date(since, self._rules.zone)
        offsets = rung_offsets(MAX_OVERDUE_DAYS, self._rules)
        # Every rung falls at deadline_time: only the days whose deadline_time lies in the window can have one due,
        # so the passes of the rest of the day read no hazards at all.
        days = [first_day + timedelta(days=n) for n in range((today - first_day).days + 1)]
        days = [day for day in days if since < self._rules.at(day, self._rules.deadline_time) <= at]
        if not days:
            return []
        deadlines = {day - timedelta(days=offset) for day in days for offset in offsets}
        due: list[tuple[Hazard, Rung]] = []
        for hazard in await self._schedule.assigned_with_deadline_in(deadlines):
            assert hazard.deadline is not None and hazard.assigned_at is not None
            assigned_on = local_date(hazard.assigned_at, self._rules.zone)
            rung = latest_due(deadline_rungs(hazard.deadline, assigned_on, today, self._rules), since, at)
            if rung is not None:
                due.append((hazard, rung))
        # The people involved are read once per pass, not once per hazard.
        people = _People(self._roster, await self._roster.people([hazard.reporter_id for hazard, _ in due]))
        out: list[Notification] = []
        for hazard, rung in due:
            out += await self._deadline_notes(hazard, rung, today, people)
        return out

    async def _deadline_notes(self, hazard: Hazard, rung: Rung, today: date, people: _People) -> list[Notification]:
        assert hazard.deadline is not None
        reporter = people.known.get(hazard.reporter_id)
        involved = Involved(
            reporter_id=hazard.reporter_id,
            reporter_role=reporter.role if reporter else None,
            owner_id=hazard.owner_id,
            owner_bound=hazard.owner_bound,
            supervisors=tuple(await people.with_role(Role.SUPERVISOR, hazard.town_id)),
            admins=tuple(await people.with_role(Role.ADMIN)),
        )
        out = []
        for reminder in recipients.of_rung(rung.kind, involved):
            fixer = reminder.reminded is Reminded.FIXER
            proxied = involved.proxied
            buttons = move_buttons(hazard.id, [Move.SUBMIT], proxy=proxied) if fixer else view_button(hazard.id)
            text = texts.deadline_reminder(hazard, rung.name, today, for_fixer=fixer)
            key = dedupe.deadline(hazard.id, hazard.deadline, rung, reminder.person_id)
            message = Message(hazard_id=hazard.id, text=text, buttons=buttons)
            note = _note(reminder.person_id, key, message, dedupe.hazard_subject(hazard.id))
            out.append(note.model_copy(update={"everywhere": routing.is_alarm(rung.kind)}))
        return out

    async def _lags(self, since: datetime, at: datetime) -> list[Notification]:
        out: list[Notification] = []
        triage, review = timedelta(hours=self._rules.triage_hours), timedelta(hours=self._rules.review_hours)
        for hazard in await self._schedule.waiting_since("reported", "reported_at", since - triage, at - triage):
            buttons = move_buttons(hazard.id, [Move.ASSIGN, Move.INVALID, Move.DUPLICATE])
            message = Message(
                hazard_id=hazard.id, text=texts.triage_reminder(hazard, self._rules.triage_hours), buttons=buttons
            )
            for person in await self._roster.ids_with_role(Role.SUPERVISOR, hazard.town_id):
                out.append(_note(person, dedupe.triage(hazard.id, person), message, dedupe.hazard_subject(hazard.id)))
        for hazard in await self._schedule.waiting_since("submitted", "submitted_at", since - review, at - review):
            assert hazard.submitted_at is not None
            buttons = move_buttons(hazard.id, [Move.VERIFY, Move.REJECT])
            message = Message(
                hazard_id=hazard.id, text=texts.review_reminder(hazard, self._rules.review_hours // 24), buttons=buttons
            )
            stamp = int(hazard.submitted_at.timestamp())
            for person in await self._roster.ids_with_role(Role.SUPERVISOR, hazard.town_id):
                key = dedupe.review(hazard.id, stamp, person)
                out.append(_note(person, key, message, dedupe.hazard_subject(hazard.id)))
        return out


class _People:
    """The roster as one pass sees it: people read in bulk up front, each town's supervisors read once."""

    def __init__(self, roster: RosterRepository, known: dict[int, Person]) -> None:
        self._roster = roster
        self.known = known
        self._with_role: dict[tuple[Role, int | None], list[int]] = {}

    async def with_role(self, role: Role, town_id: int | None = None) -> list[int]:
        """Ids of everyone with this role (in one town when given), remembered for the rest of the pass."""
        key = (role, town_id)
        if key not in self._with_role:
            self._with_role[key] = await self._roster.ids_with_role(role, town_id)
        return self._with_role[key]


def _note(person: int, key: str, message: Message, subject: str | None = None) -> Notification:
    return Notification(person_id=person, dedupe_key=key, message=message, subject=subject)
