"""The dedupe keys and subjects are a persistence contract: each format is pinned byte for byte."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import dedupe
from bot.domain.recipients import Told
from bot.domain.schedule import Rung, RungKind

AT = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def rung(kind: RungKind, overdue_days: int = 0) -> Rung:
    return Rung(AT, kind, overdue_days)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (dedupe.new_hazard(12, 34, Told.NEW), "hazard:12:new:34"),
        (dedupe.new_hazard(12, 35, Told.MAJOR), "hazard:12:major:35"),
        (dedupe.new_place(7, 12, 34), "place:7:new:12:34"),
        (dedupe.hazard_event(12, 9, Told.REPORTER, 34), "hazard:12:event:9:reporter:34"),
        (dedupe.hazard_event(12, 9, Told.PROXY, 34), "hazard:12:event:9:proxy:34"),
        (dedupe.hazard_event(12, 9, Told.OWNER, 34), "hazard:12:event:9:owner:34"),
        (dedupe.hazard_event(12, 9, Told.REVIEW, 34), "hazard:12:event:9:review:34"),
        (dedupe.hazard_event(12, 9, Told.ADMIN, 34), "hazard:12:event:9:admin:34"),
        (dedupe.hazard_event(12, 9, Told.FORMER_OWNER, 34), "hazard:12:event:9:former_owner:34"),
        (dedupe.card_edit(12, 9, "telegram", 501, "77"), "hazard:12:event:9:edit:telegram:501:77"),
        (dedupe.handled_by(12, 9, 34), "hazard:12:event:9:handled:34"),
        (dedupe.village_check(5, "2026-W49", rung(RungKind.NUDGE), 34), "check:village:5:2026-W49:nudge:34"),
        (dedupe.village_check(5, "2026-W49", rung(RungKind.LAST_CALL), 34), "check:village:5:2026-W49:last_call:34"),
        (dedupe.town_check(2, "2026-12", rung(RungKind.REMINDER), 34), "check:town:2:2026-12:reminder:34"),
        (dedupe.village_misses(2, "2026-W48", 34), "misses:village:2:2026-W48:34"),
        (dedupe.town_misses("2026-11", 34), "misses:town:2026-11:34"),
        (dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.D3), 34), "deadline:12:2026-12-05:d-3:34"),
        (dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.D1), 34), "deadline:12:2026-12-05:d-1:34"),
        (dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.D_DAY), 34), "deadline:12:2026-12-05:d-day:34"),
        (dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.YELLOW), 34), "deadline:12:2026-12-05:yellow:34"),
        (dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.RED), 34), "deadline:12:2026-12-05:red:34"),
        (
            dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.OVERDUE, 21), 34),
            "deadline:12:2026-12-05:overdue+21:34",
        ),
        (dedupe.triage(12, 34), "triage:12:34"),
        (dedupe.review(12, 1796000000, 34), "review:12:1796000000:34"),
        (dedupe.ranking("2026-11", 34), "ranking:2026-11:34"),
        (dedupe.unreachable(34, date(2026, 12, 7), 3), "unreachable:34:2026-12-07:3"),
        (
            dedupe.delivery_failed("0123456789abcdef", date(2026, 12, 7), 5),
            "delivery-failed:0123456789abcdef:2026-12-07:5",
        ),
        (dedupe.place_request(7, 34), "place:request:7:34"),
        (dedupe.place_decision(7, 34), "place:decision:7:34"),
        (dedupe.hazard_subject(12), "hazard:12"),
        (dedupe.check_subject("village", 5, "2026-W49"), "check:village:5:2026-W49"),
        (dedupe.check_subject("town", 2, "2026-12"), "check:town:2:2026-12"),
    ],
)
def test_each_key_keeps_its_stored_format(key: str, expected: str) -> None:
    assert key == expected


def test_every_key_a_pass_queues_has_a_pass_prefix() -> None:
    # Withdrawing what a pass queued ahead of the clock finds the pass's keys by these prefixes.
    keys = [
        dedupe.village_check(5, "2026-W49", rung(RungKind.NUDGE), 34),
        dedupe.town_check(2, "2026-12", rung(RungKind.NUDGE), 34),
        dedupe.village_misses(2, "2026-W48", 34),
        dedupe.town_misses("2026-11", 34),
        dedupe.deadline(12, date(2026, 12, 5), rung(RungKind.RED), 34),
        dedupe.triage(12, 34),
        dedupe.review(12, 1, 34),
        dedupe.ranking("2026-11", 34),
    ]
    assert all(key.startswith(dedupe.PASS_KEY_PREFIXES) for key in keys)
    assert not dedupe.new_hazard(12, 34, Told.NEW).startswith(dedupe.PASS_KEY_PREFIXES)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (RungKind.NUDGE, "nudge"),
        (RungKind.REMINDER, "reminder"),
        (RungKind.LAST_CALL, "last_call"),
        (RungKind.MISS_LIST, "miss_list"),
        (RungKind.RANKING, "ranking"),
        (RungKind.D3, "d-3"),
        (RungKind.D1, "d-1"),
        (RungKind.D_DAY, "d-day"),
        (RungKind.YELLOW, "yellow"),
        (RungKind.RED, "red"),
    ],
)
def test_rung_names_keep_their_stored_values(kind: RungKind, value: str) -> None:
    assert rung(kind).name == value
    assert rung(RungKind.OVERDUE, 14).name == "overdue+14"
