"""Every screen fits Telegram's limits by construction, whatever the database holds (issue 13, item 7)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import screen, texts
from bot.chat.actions import (
    ConversationStep,
    ConversationVerb,
    HazardPress,
    PageTurn,
    PlaceReview,
    ReportStep,
    ReportVerb,
    encode,
)
from bot.domain import limits
from bot.domain.hazards import Closure, Hazard, Severity, Status, TimelineEvent
from bot.domain.lifecycle import Move
from bot.domain.people import Channel, Person, Role
from bot.domain.place_file import DuePlace, PlaceCard, PlaceEvent, PlaceHazard, PlaceMatch
from bot.domain.places import Grade, PlaceStatus
from bot.domain.policy import CheckKind
from bot.domain.queries import PAGE_SIZE, Filters, HazardPage, ListKind
from bot.domain.report import EDITABLE, ReportDraft, Step
from bot.domain.roster_changes import Removed
from bot.domain.statistics import AreaTally, RankedTown, Ranking, Stats, Tally, Weights, month_period, week_period
from sandbox.simusers import SimUser
from tests.flows import assign, officer, submit, supervisor, walk_to_summary
from tests.rig import Rig, png

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
LEGACY_NAME = "名" * 900  # longer than any entry point accepts today: already in an old database
EMOJI_NAME = "🔥" * 50  # the longest name allowed, each character two UTF-16 code units
DESCRIPTION = "🔥" * limits.MAX_DESCRIPTION  # the longest description, in the costliest characters
NOTE = "述" * limits.MAX_REASON
WIDE_NOTE = "🔥" * limits.MAX_REASON
PLACE = "场" * limits.MAX_PLACE
CATEGORY = "类" * 100  # categories come from the configuration


def maximal_hazard(number: int = 987_654_321, name: str = LEGACY_NAME, status: Status = Status.ASSIGNED) -> Hazard:
    return Hazard(
        id=number,
        town_id=1,
        town_name=name,
        village_id=2,
        village_name=name,
        reporter_id=3,
        reporter_name=name,
        description=DESCRIPTION,
        category=CATEGORY,
        severity=Severity.MAJOR,
        place=PLACE,
        latitude=28.123456,
        longitude=112.123456,
        status=status,
        closure=None,
        fixed_on_spot=True,
        reported_at=NOW,
        owner_id=4,
        owner_name=name,
        owner_bound=False,
        deadline=TODAY - timedelta(days=400),
    )


def long_timeline(rounds: int) -> list[TimelineEvent]:
    """上报, 交办, then rounds of 提交整改 and 不通过, every note as long as allowed."""
    events = [
        TimelineEvent(at=NOW, actor=LEGACY_NAME, kind="reported", to_status=Status.REPORTED, note=None),
        TimelineEvent(at=NOW, actor=LEGACY_NAME, kind="assign", to_status=Status.ASSIGNED, note=None),
        TimelineEvent(
            at=NOW,
            actor=LEGACY_NAME,
            kind="reassign",
            to_status=Status.ASSIGNED,
            note=WIDE_NOTE,
            from_owner=LEGACY_NAME,
            to_owner=EMOJI_NAME,
        ),
    ]
    for _ in range(rounds):
        events.append(TimelineEvent(at=NOW, actor=EMOJI_NAME, kind="submit", to_status=Status.SUBMITTED, note=NOTE))
        events.append(TimelineEvent(at=NOW, actor=LEGACY_NAME, kind="reject", to_status=Status.ASSIGNED, note=NOTE))
    return events


def maximal_person(role: Role = Role.OFFICER, name: str = LEGACY_NAME) -> Person:
    return Person(
        id=987_654_321,
        name=name,
        role=role,
        town_id=1,
        town_name=LEGACY_NAME,
        village_id=None if role in (Role.SUPERVISOR, Role.ADMIN) else 2,
        village_name=None if role in (Role.SUPERVISOR, Role.ADMIN) else LEGACY_NAME,
        phone=None,
    )


def maximal_tally() -> Tally:
    big = 10**9
    return Tally(
        reported=big,
        verified=big,
        invalid=big,
        duplicate=big,
        on_time=big,
        overdue=big,
        village_weeks_done=big,
        village_weeks_expected=big,
        town_months_done=big,
        town_months_expected=big,
        places_visited=big,
        places_due=big,
    )


def maximal_stats(rows: int, scope: str | None = LEGACY_NAME) -> Stats:
    period = month_period(TODAY, TODAY)
    areas = [AreaTally(id=i, name=LEGACY_NAME, tally=maximal_tally()) for i in range(rows)]
    return Stats(period=period, as_of=NOW, town_id=1, scope_name=scope, total=maximal_tally(), rows=areas)


def maximal_ranking(towns: int) -> Ranking:
    weights = Weights(
        check=0.123456, rectification=0.123456, on_time=0.123456, overdue_penalty=123456.5, coverage=0.123456
    )
    ranked = [
        RankedTown(place=i + 1, town_id=i, town_name=LEGACY_NAME, tally=maximal_tally(), score=-1e9, flagged=True)
        for i in range(towns)
    ]
    return Ranking(period=month_period(TODAY, TODAY), as_of=NOW, weights=weights, towns=ranked)


def maximal_draft() -> ReportDraft:
    return ReportDraft(
        token="t" * 8,
        person_id=1,
        village_id=2,
        step=Step.SUMMARY,
        description=DESCRIPTION,
        category=CATEGORY,
        severity=Severity.GENERAL,
        place=PLACE,
        latitude=28.1,
        longitude=112.1,
        location_given=True,
        fixed_on_spot=True,
        after_note=WIDE_NOTE,
        after_note_given=True,
        started_at=NOW,
    )


def page(kind: ListKind, hazards: list[Hazard]) -> HazardPage:
    labels = [LEGACY_NAME, CATEGORY, "重大"]
    return HazardPage(
        kind=kind,
        filters=Filters(),
        filter_labels=labels,
        scope_name=LEGACY_NAME,
        page=999,
        pages=1000,
        total=10**6,
        hazards=hazards,
        today=TODAY,
        show_town=True,
    )


def every_screen() -> dict[str, tuple[str, int]]:
    """Every text the bot sends in chat, built from maximal fields: name → (text, the limit it must fit)."""
    text, caption = screen.TEXT_LIMIT, screen.CAPTION_LIMIT
    hazard = maximal_hazard()
    listed = [maximal_hazard(number=n) for n in range(PAGE_SIZE)]
    many = [maximal_hazard(number=n) for n in range(50)]
    screens: dict[str, tuple[str, int]] = {}

    def add(name: str, value: str, limit: int = text) -> None:
        screens[name] = (value, limit)

    for role in Role:
        everything = list(texts.MOVE_BUTTONS.values())
        for check in CheckKind:
            help_text = texts.help_text(role, LEGACY_NAME, list(texts.COMMAND_DESCRIPTIONS), everything, check)
            add(f"help_text:{role}:{check}", help_text)
        add(f"welcome:{role}", texts.welcome(LEGACY_NAME, role, LEGACY_NAME, LEGACY_NAME, rebound=True))
        add(f"already_bound:{role}", texts.already_bound(LEGACY_NAME, role, LEGACY_NAME, LEGACY_NAME))
        add(f"invite_usage:{role}", texts.invite_usage(role))
        add(f"invite_created:{role}", texts.invite_created(LEGACY_NAME, LEGACY_NAME, role, "2026-11-30", "x" * 200))
        add(f"unreachable:{role}", texts.unreachable(LEGACY_NAME, role, texts.UNREACHABLE_BLOCKED))
        wecom = texts.unreachable(LEGACY_NAME, role, texts.UNREACHABLE_NOT_IN_APP, Channel.WECOM)
        add(f"unreachable:{role}:wecom", wecom)
        add(f"delivery_failed:{role}:wecom", texts.delivery_failed(LEGACY_NAME, role, "x" * 4000, Channel.WECOM))
        add(f"delivery_failed:{role}", texts.delivery_failed(LEGACY_NAME, role, "x" * 4000))
        person, other = maximal_person(role), maximal_person(Role.OWNER, EMOJI_NAME)
        add(f"person_label:{role}", texts.person_label(person))
        add(f"confirm_switch:{role}", texts.confirm_switch(person, other))
        add(f"binding_moved_away:{role}", texts.binding_moved_away(person))
        for moved, switched in ((True, other), (False, None), (True, None)):
            alert = texts.binding_changed_alert(person, moved=moved, switched_from=switched, reason=NOTE, inviter=other)
            add(f"binding_changed_alert:{role}:{moved}:{switched is not None}", alert)
        switched_label = texts.person_label(other)
        add(
            f"welcome:{role}:switched",
            texts.welcome(LEGACY_NAME, role, LEGACY_NAME, LEGACY_NAME, rebound=False, switched_from=switched_label),
        )
        add(f"removal_report:{role}:deactivated", texts.removal_report(Removed(person, None, True, 10**6)))
        add(f"removal_report:{role}:moved", texts.removal_report(Removed(person, other, True, 10**6)))
        add(f"person_deactivated:{role}", texts.person_deactivated(LEGACY_NAME, LEGACY_NAME, role, True, 10**6))
        add(f"person_moved:{role}", texts.person_moved(LEGACY_NAME, role, LEGACY_NAME, LEGACY_NAME, False, 10**6))
    add("name_too_long", texts.name_too_long(limits.MAX_NAME))
    add("invite_reason_too_long", texts.invite_reason_too_long(limits.MAX_REASON))
    add("invite_already_bound", texts.invite_already_bound(LEGACY_NAME))
    add("invite_chat_reason_needed", texts.invite_chat_reason_needed(LEGACY_NAME))
    add("unknown_town", texts.unknown_town(LEGACY_NAME))
    add("unknown_village", texts.unknown_village(LEGACY_NAME))
    add("invite_chat_ambiguous_village", texts.invite_chat_ambiguous_village(LEGACY_NAME))
    add("invite_chat_needs_name", texts.invite_chat_needs_name(LEGACY_NAME, 10**6, Role.OFFICER))
    add("person_not_found", texts.person_not_found(LEGACY_NAME, LEGACY_NAME))
    add("person_choices", texts.person_choices(LEGACY_NAME, [maximal_person(role) for role in Role] * 250))
    add("scope_label", texts.scope_label(LEGACY_NAME, LEGACY_NAME))
    add("text_too_long", texts.text_too_long(limits.MAX_DESCRIPTION, 10**6))
    add("photos_received", texts.photos_received(10, 10**6, after=False, has_description=True))
    add("confirm_cancel", texts.confirm_cancel(10**6, after=False))
    add("add_to_button", texts.add_to_button(987_654_321))
    add("ask_photos_for", texts.ask_photos_for(987_654_321))
    add("photos_follow_up", texts.photos_follow_up(10**6, 987_654_321))
    add("photos_added", texts.photos_added(987_654_321, 10**6))
    add("photos_add_closed", texts.photos_add_closed(987_654_321))
    add("photos_added_notice", texts.photos_added_notice(hazard, 10**6, LEGACY_NAME))
    add("report_summary", texts.report_summary(maximal_draft(), LEGACY_NAME, list(range(100_000, 110_000))))
    add("report_registered", texts.report_registered(hazard.id, fixed_on_spot=True))
    new_place = maximal_draft().model_copy(update={"new_place": True})
    add("report_summary:new_place", texts.report_summary(new_place, LEGACY_NAME, list(range(100_000, 110_000))))
    add("ask_place_from_list", texts.ask_place_from_list(10**6))
    add("place_button", texts.place_button(PLACE, pending=True), screen.LABEL)
    add("add_place_button", texts.add_place_button(PLACE), screen.LABEL)
    add("place_chosen", texts.place_chosen(PLACE))
    add("new_place_noted", texts.new_place_noted(PLACE))
    add("place_matches", texts.place_matches(PLACE, 10**6, True))
    add("place_none", texts.place_none(PLACE))
    add("new_place_card", texts.new_place_card(hazard))
    add("place_confirmed", texts.place_confirmed(PLACE, LEGACY_NAME))
    add("place_rejected", texts.place_rejected(PLACE, LEGACY_NAME))
    add("place_owner_button", texts.place_owner_button(LEGACY_NAME), screen.LABEL)
    add("ask_owner_place_first", texts.ask_owner_place_first(PLACE, LEGACY_NAME))
    add("new_hazard_card", texts.new_hazard_card(hazard, 10, 10, ZONE))
    fixed = hazard.model_copy(update={"fixed_on_spot": True})
    add("new_hazard_card:fixed_on_spot", texts.new_hazard_card(fixed, 10, 10, ZONE, WIDE_NOTE))
    add("major_hazard_alert", texts.major_hazard_alert(hazard, 10, ZONE))
    add("my_reports", texts.my_reports([maximal_hazard(number=n) for n in range(20)], ZONE))
    add("hazard_not_found", texts.hazard_not_found("9" * 4090))
    add("ask_deadline", texts.ask_deadline(limits.MAX_DEADLINE_DAYS))
    add("days_button", texts.days_button(limits.MAX_DEADLINE_DAYS, True), screen.LABEL)
    add("deadline_label", texts.deadline_label(hazard, TODAY, weekday=True))
    add("deadline_day", texts.deadline_day(date(2027, 12, 31), TODAY), screen.LABEL)
    add("deadline_echo", texts.deadline_echo(date(2027, 12, 31), TODAY))
    add("confirm_deadline", texts.confirm_deadline(date(2027, 12, 31), TODAY))
    for days in (None, limits.MAX_DEADLINE_DAYS):
        add(f"ask_rework_deadline:{days}", texts.ask_rework_deadline(hazard, TODAY, days))
    for move in Move:
        add(f"owner_card:{move}", texts.owner_card(hazard, move, TODAY, WIDE_NOTE))
        add(f"reporter_update:{move}", texts.reporter_update(hazard, move, TODAY, WIDE_NOTE))
        add(f"admin_update:{move}", texts.admin_update(hazard, move, TODAY, WIDE_NOTE))
        add(f"proxy_card:{move}", texts.proxy_card(hazard, TODAY, move, WIDE_NOTE))
        add(f"move_done:{move}", texts.move_done(hazard, move, TODAY))
    add("proxy_card", texts.proxy_card(hazard, TODAY))
    add("owner_closed", texts.owner_closed(hazard))
    add("reassigned_away", texts.reassigned_away(hazard))
    add("no_longer_owner", texts.no_longer_owner(hazard.id))
    add("ask_reassign_deadline", texts.ask_reassign_deadline(hazard, TODAY))
    add("keep_deadline_button", texts.keep_deadline_button(date(2026, 12, 31)), screen.LABEL)
    add("review_card", texts.review_card(hazard, 10, 10, WIDE_NOTE, proxy=True, today=TODAY))
    add("owner_invite", texts.owner_invite(LEGACY_NAME, "https://t.me/gridsafe_bot?start=" + "c" * 64))
    add("owner_invite:wecom", texts.owner_invite(LEGACY_NAME, texts.wecom_bind_hint("c" * 64)))
    add("wecom_bind_hint", texts.wecom_bind_hint("c" * 64))
    add("wecom_file_too_large", texts.wecom_file_too_large(LEGACY_NAME, 20))
    add("wecom_ask_location", texts.wecom_ask_location(texts.SKIP))
    add("wecom_location", texts.wecom_location(-89.123456789, -179.123456789))
    for rounds in (0, 3, 50):
        for for_owner in (False, True):
            add(
                f"hazard_card:{rounds}:{for_owner}",
                texts.hazard_card(hazard, long_timeline(rounds), TODAY, ZONE, for_owner=for_owner),
            )
    add("owner_tasks", texts.owner_tasks(many, TODAY, {h.id: ("reject", WIDE_NOTE) for h in many}))
    add("officer_waiting", texts.officer_waiting(many, TODAY))
    add("supervisor_waiting", texts.supervisor_waiting(10**9, 10**9))
    add("owner_joined_for_proxy", texts.owner_joined_for_proxy(hazard))
    for verb in (texts.BUTTON_RECTIFY, texts.BUTTON_VIEW, texts.BUTTON_ASSIGN, texts.BUTTON_VERIFY_SHORT):
        add(f"hazard_button:{verb}", texts.hazard_button(verb, hazard), screen.LABEL)
    for rung in ("nudge", "reminder", "last_call"):
        add(f"village_check_reminder:{rung}", texts.village_check_reminder(rung, LEGACY_NAME, TODAY))
        add(f"town_check_reminder:{rung}", texts.town_check_reminder(rung, LEGACY_NAME, TODAY))
    add("village_miss_list", texts.village_miss_list(TODAY, [LEGACY_NAME] * 1000))
    add("town_miss_list", texts.town_miss_list(TODAY, [LEGACY_NAME] * 1000))
    for rung in ("d-3", "d-1", "d-day", "yellow", "red", "weekly"):
        for for_fixer in (False, True):
            add(
                f"deadline_reminder:{rung}:{for_fixer}",
                texts.deadline_reminder(hazard, rung, TODAY, for_fixer=for_fixer),
            )
    add("triage_reminder", texts.triage_reminder(hazard, 10**6))
    add("review_reminder", texts.review_reminder(hazard, 10**6))
    for kind in ("village", "town"):
        for maker in (texts.check_status, texts.check_logged):
            value = maker(kind, LEGACY_NAME, TODAY, TODAY, limits.MAX_PLACES_CHECKED, WIDE_NOTE, 10**9)
            add(f"{maker.__name__}:{kind}", value)
    for kind in ListKind:
        add(f"hazard_page:{kind}", texts.hazard_page(page(kind, listed)))
        add(f"list_empty:{kind}", texts.list_empty(kind, LEGACY_NAME, [LEGACY_NAME] * 20))
    add("hazard_line", texts.hazard_line(hazard, TODAY, show_town=True))
    add("list_button", texts.list_button(hazard.id), screen.LABEL)
    add("replied_to_card", texts.replied_to_card(hazard.id))
    for move in Move:
        add(f"handled_by:{move}", texts.handled_by(hazard, move, LEGACY_NAME))
    add("filters_not_understood", texts.filters_not_understood(["x" * 4000], ["y" * 4000], [CATEGORY] * 100))
    add("ambiguous_village_filter", texts.ambiguous_village_filter(LEGACY_NAME))
    add("stats_text:town", texts.stats_text(maximal_stats(500), ZONE))
    add("stats_text:city", texts.stats_text(maximal_stats(500, scope=None), ZONE))
    add("ranking_text", texts.ranking_text(maximal_ranking(500), ZONE, own_town_id=3))
    add("town_place", texts.town_place(maximal_ranking(500), maximal_stats(500), ZONE))
    add("chart_caption", texts.chart_caption(maximal_ranking(500)), caption)
    add("ledger_caption", texts.ledger_caption(LEGACY_NAME, week_period(TODAY), 10**9, 10**9), caption)
    add("photos_caption", texts.photos_caption(LEGACY_NAME, week_period(TODAY), 10**9, 10**9, 10**9), caption)
    place = LEGACY_NAME + "镇/" + LEGACY_NAME + "村"
    add("person_deactivated", texts.person_deactivated(LEGACY_NAME, place, Role.SUPERVISOR, True, 10**9))
    add("person_moved", texts.person_moved(LEGACY_NAME, Role.SUPERVISOR, place, place, False, 10**9))
    add_place_screens(add)
    add("voice_note", texts.voice_note(limits.MAX_VOICE_SECONDS))
    add("voice_too_long", texts.voice_too_long(10**9, limits.MAX_VOICE_SECONDS))
    add("voice_caption", texts.voice_caption(hazard.id), caption)
    return screens


def maximal_place_card() -> PlaceCard:
    """A place's file with every field as long as an old database may hold it."""
    grade_event = PlaceEvent(at=NOW, actor=LEGACY_NAME, field="grade", from_value="red", to_value="blue")
    owner_event = PlaceEvent(at=NOW, actor=None, field="owner", from_value=LEGACY_NAME, to_value=LEGACY_NAME)
    return PlaceCard(
        id=987_654_321,
        town_id=1,
        village_id=2,
        town=LEGACY_NAME,
        village=LEGACY_NAME,
        name=LEGACY_NAME,
        type=LEGACY_NAME,
        industry=LEGACY_NAME,
        high_risk=True,
        address=LEGACY_NAME,
        owner_id=3,
        owner=LEGACY_NAME,
        grade=Grade.ORANGE,
        status=PlaceStatus.SUSPENDED,
        confirmed=False,
        open_hazards=10**9,
        closed_hazards=10**9,
        hazards=[PlaceHazard(987_654_321, Status.CLOSED, Closure.DUPLICATE, DESCRIPTION, NOW)] * 3,
        visits=10**9,
        last_visit=NOW,
        last_visitor=LEGACY_NAME,
        events=[grade_event, owner_event, grade_event],
        waiting_grade=Grade.RED,
    )


def add_place_screens(add: Callable[..., None]) -> None:
    """The place's file, its changes and 排查 by place, with the longest values."""
    label = 2 * screen.LABEL
    add("place_card", texts.place_card(maximal_place_card(), ZONE))
    add("place_not_found", texts.place_not_found(LEGACY_NAME))
    matches = [PlaceMatch(987_654_321, LEGACY_NAME, LEGACY_NAME)] * 8
    add("place_file_matches", texts.place_file_matches(LEGACY_NAME, matches))
    add("match_label", texts.match_label(matches[0]), label)
    add("owner_question", texts.owner_question(10**9))
    add("owner_not_in_village", texts.owner_not_in_village(LEGACY_NAME))
    add("grade_request", texts.grade_request(LEGACY_NAME, LEGACY_NAME, LEGACY_NAME, Grade.RED, Grade.BLUE))
    for approved, applied in ((True, True), (True, False), (False, False)):
        decided = texts.grade_decided(LEGACY_NAME, LEGACY_NAME, Grade.RED, LEGACY_NAME, approved, applied)
        add(f"grade_decided:{approved}:{applied}", decided)
        add(f"decision_toast:{approved}:{applied}", texts.decision_toast(approved, applied), 200)
    due = [DuePlace(987_654_321, EMOJI_NAME, Grade.YELLOW)] * 10_000
    add("due_places", texts.due_places(LEGACY_NAME, due, 10**9))
    add("due_places:none", texts.due_places(LEGACY_NAME, [], 10**9))
    add("visit_label", texts.visit_label(due[0]), label)
    add("visited_photo", texts.visited_photo(LEGACY_NAME))
    add("places_due_line", texts.places_due_line(10**9, [LEGACY_NAME] * 5), 500)


# Catalog modules that build no chat message: the command line and the sandbox's own page.
# (Roster and places files are imported on the command line only.)
NOT_CHAT_MODULES = {
    "bot.texts.backup",
    "bot.texts.cli",
    "bot.texts.cli_help",
    "bot.texts.roster",
    "bot.texts.places",
    "bot.texts.sandbox",
}
# Catalog functions of the chat modules that build no chat message (spreadsheet cells, parts of other texts).
NOT_CHAT = {
    "category_line",
    "description_line",
    "hazard_fields",
    "location_line",
    "chart_partial",
    "chart_title",
    "percent",
    "period_label",
    "ranking_formula",
    "stats_total_label",
    "status_name",
    "ledger_file_name",
    "photo_file_name",
    "photo_archive_name",
    "owner_places",
}

SCREENS = every_screen()


def test_every_screen_of_the_catalog_is_checked() -> None:
    """A new screen function cannot escape this test."""
    functions = {
        name
        for name in texts.__all__
        if inspect.isfunction(function := getattr(texts, name)) and function.__module__ not in NOT_CHAT_MODULES
    }
    covered = {name.split(":")[0] for name in SCREENS}
    assert functions - NOT_CHAT - covered == set()


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_screen_fits_telegram(name: str) -> None:
    text, limit = SCREENS[name]
    assert screen.units(text) <= limit, f"{name}: {screen.units(text)} > {limit}"


def test_long_timeline_keeps_the_newest_events_and_says_how_many_are_hidden() -> None:
    card = texts.hazard_card(maximal_hazard(), long_timeline(50), TODAY, ZONE, for_owner=False)
    assert "时间线共 103 条，较早的" in card
    assert card.rstrip().endswith(texts.EVENT_NAMES["reject"] + "：" + NOTE)  # the newest 不通过 reason in full
    assert DESCRIPTION in card  # a description within its limit is shown whole


def test_legacy_names_are_shortened_with_an_ellipsis() -> None:
    line = texts.hazard_line(maximal_hazard(), TODAY, show_town=True)
    assert LEGACY_NAME not in line and "名" * (screen.NAME_IN_LIST - 1) + "…" in line
    assert texts.welcome("肖浩", Role.SUPERVISOR, "青龙镇", None, rebound=False).count("肖浩") == 1


def test_a_maximal_list_line_stays_short() -> None:
    assert screen.units(texts.hazard_line(maximal_hazard(), TODAY, show_town=True)) < 400


def test_fitting_counts_utf16_code_units() -> None:
    rows = ["😀" * 100] * 100  # 200 units a row
    fitted = screen.fit(["head"], rows, ["tail"], lambda n: f"+{n}")
    assert screen.units(fitted) <= screen.LIST_BUDGET
    assert fitted.count("😀" * 100) == (screen.LIST_BUDGET - 20) // 201


# ---- end to end: the two screens that failed (issue 13, item 7) ----


async def _assigned_hazard(
    rig: Rig, description: str = "超市后门消防通道堆放纸箱"
) -> tuple[SimUser, SimUser, SimUser, int]:
    """Supervisor 肖浩, owner 张老板 and the reporting officer, with a hazard assigned to 张老板."""
    boss = await supervisor(rig)
    owner = await rig.join(Role.OWNER, village="新龙村", name="张老板")
    reporter = await officer(rig)
    number = await submit(reporter, await walk_to_summary(reporter, description=description))
    await assign(boss, number, "张老板")
    return boss, owner, reporter, number


async def test_open_lists_hazards_whose_owner_has_a_900_character_name(rig: Rig) -> None:
    boss, _, reporter, number = await _assigned_hazard(rig)
    for seed in range(2, 6):  # five hazards of one owner: five times the name on one page
        await assign(boss, await submit(reporter, await walk_to_summary(reporter, photo=png(seed))), "张老板")
    admin = await rig.join(Role.ADMIN, name="值班员")
    async with rig.services.db.transaction() as tx:  # a name from an old database, before names were limited
        await tx.execute("UPDATE people SET name = ? WHERE name = '张老板'", (LEGACY_NAME,))
    for user in (boss, reporter, admin):
        await user.send("/open")
        listed = await user.expect("未整改隐患 ·")
        assert "共 5 起" in listed.body and f"#{number} " in listed.body
        assert listed.body.count("名" * (screen.NAME_IN_LIST - 1) + "…") == 5
        assert screen.units(listed.body) <= screen.TEXT_LIMIT
    assert await rig.rows("SELECT name FROM people WHERE role = 'owner' AND name LIKE '名%'") == [(LEGACY_NAME,)]


async def test_owner_buttons_with_a_legacy_name_keep_a_sensible_label(rig: Rig) -> None:
    boss, _, _, number = await _assigned_hazard(rig)
    await rig.join(Role.OWNER, village="新龙村", name="王老板")
    async with rig.services.db.transaction() as tx:
        await tx.execute("UPDATE people SET name = ? WHERE name = '王老板'", ("王" * 900,))
    await boss.send(f"/hazard {number}")
    await boss.press("改派", message=await boss.expect(f"隐患 #{number} ·"))
    question = await boss.expect("请选择新的责任人")
    assert "王" * (screen.LABEL - 1) + "…" in question.buttons
    assert all(len(label) <= screen.LABEL for label in question.buttons)


async def test_hazard_card_with_the_longest_description_and_three_rejections(rig: Rig) -> None:
    description = "隐" * limits.MAX_DESCRIPTION
    boss, owner, reporter, number = await _assigned_hazard(rig, description)
    admin = await rig.join(Role.ADMIN, name="值班员")
    card = await owner.expect(f"#{number}")
    for round_ in range(3):
        await owner.press("提交整改", message=card)
        await owner.expect("请发送整改后的照片")
        await owner.send_photo(png(90 + round_))
        await owner.press("下一步", message=await owner.expect("已收到 1 张整改后照片"))
        await owner.expect("请简要说明整改情况")
        await owner.send(f"{round_}" + "改" * (limits.MAX_REASON - 1))
        await owner.expect("整改已提交")
        await boss.press("不通过", message=await boss.expect("【整改待复核】"))
        await boss.expect("请说明复核不通过的原因")
        await boss.send(f"{round_}" + "未" * (limits.MAX_REASON - 1))
        await boss.press("3天", message=await boss.expect("请选择整改期限"))
        await boss.expect("复核不通过，已退回责任人")
        card = await owner.expect("【整改复核未通过，请重新整改】")
    notes = await rig.rows("SELECT length(note) FROM hazard_events WHERE kind IN ('submit', 'reject')")
    assert notes == [(limits.MAX_REASON,)] * 6
    for user in (boss, reporter, owner, admin):
        await user.send(f"/hazard {number}")
        shown = await user.expect(f"隐患 #{number} ·")
        assert description in shown.body  # the whole description
        assert screen.units(shown.body) <= screen.TEXT_LIMIT
        if user is not owner:  # the newest 不通过 reason is shown whole; older events give way, with a pointer
            assert "2" + "未" * (limits.MAX_REASON - 1) in shown.body
            assert "较早的" in shown.body and "条未显示" in shown.body


def test_button_data_fits_64_bytes_with_billion_sized_ids() -> None:
    big = 999_999_999
    token = "f" * 8
    data = [encode(HazardPress(big, move)) for move in [*Move, None]]
    filters = Filters(town_id=big, village_id=big, category=99, severity=Severity.MAJOR)
    data.append(encode(PageTurn(ListKind.OVERDUE, filters, big)))
    data += [encode(ConversationStep(token, verb, big)) for verb in (ConversationVerb.OWNER, ConversationVerb.DAYS)]
    data += [encode(ConversationStep(token, verb)) for verb in (ConversationVerb.NEW_OWNER, ConversationVerb.KEEP)]
    numbered = (ReportVerb.CATEGORY, ReportVerb.PLACE, ReportVerb.PLACE_ID, ReportVerb.PLACE_PAGE, ReportVerb.ADD_PLACE)
    data += [encode(ReportStep(token, verb, number=big)) for verb in numbered]
    data.append(encode(ReportStep(token, ReportVerb.NEW_PLACE)))
    data += [encode(PlaceReview(big, confirm)) for confirm in (True, False)]
    data += [encode(ReportStep(token, verb)) for verb in (ReportVerb.SUBMIT, ReportVerb.CANCEL, ReportVerb.FIX)]
    data += [encode(ReportStep(token, ReportVerb.SEVERITY, severity=s)) for s in Severity]
    data += [encode(ReportStep(token, ReportVerb.EDIT, step=s)) for s in EDITABLE]
    assert all(len(d.encode()) <= screen.DATA_LIMIT for d in data), max(data, key=len)
