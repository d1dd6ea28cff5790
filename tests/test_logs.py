"""Logs: text or JSON, tagged with user and hazard ids, never carrying the token or a phone number."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from bot.domain.people import Role
from bot.logs import (
    REDACTED_CODE,
    REDACTED_PHONE,
    REDACTED_TOKEN,
    LogFormat,
    MaskedStream,
    Redactor,
    bind_hazard,
    log_handler,
)
from tests.conftest import TOKEN
from tests.flows import assign, officer, submit, walk_to_summary
from tests.rig import Rig, png

log = logging.getLogger("tests.logs")


@contextmanager
def captured(fmt: LogFormat, level: int = logging.INFO) -> Iterator[io.StringIO]:
    """GridSafe's handler on the root logger at this level, writing to a string."""
    output = io.StringIO()
    handler = log_handler(TOKEN, fmt, output)
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield output
    finally:
        root.removeHandler(handler)
        root.setLevel(before)


def test_redactor_masks_the_token_as_written_and_inside_urls() -> None:
    redact = Redactor(TOKEN)
    url = f"http://127.0.0.1:8081/bot{TOKEN}/getUpdates"
    quoted = url.replace(":TEST", "%3ATEST")
    assert redact(url) == f"http://127.0.0.1:8081/bot{REDACTED_TOKEN}/getUpdates"
    assert redact(quoted) == f"http://127.0.0.1:8081/bot{REDACTED_TOKEN}/getUpdates"


def test_redactor_masks_phone_numbers_and_nothing_else() -> None:
    redact = Redactor(TOKEN)
    for phone in ("13800001111", "+8613800001111", "86 19169871689", "0571-88886666", "010 12345678"):
        assert redact(f"负责人 王五金 {phone} 已创建") == f"负责人 王五金 {REDACTED_PHONE} 已创建", phone
    kept = (
        "update 123456789, chat -1001234567890, user 8123456789, hazard #1001, 2026-11-23 10:00:00,123, 3.14159265358"
    )
    assert redact(kept) == kept


def test_redactor_masks_invite_codes_in_updates_and_deep_links() -> None:
    redact = Redactor(TOKEN)
    code = "Xq3_kP9-aB1cD2eF3gH4iJ"
    for text, masked in (
        (f"Message(text='/start {code}')", f"Message(text='/start {REDACTED_CODE}')"),
        (f"/start@gridsafe_bot  {code}", f"/start@gridsafe_bot  {REDACTED_CODE}"),
        (f"https://t.me/gridsafe_bot?start={code}", f"https://t.me/gridsafe_bot?start={REDACTED_CODE}"),
    ):
        assert redact(text) == masked
    assert Redactor(TOKEN, personal=False)(f"?start={code} 13800001111") == f"?start={code} 13800001111"


def test_masked_stream_masks_a_token_written_in_pieces() -> None:
    output = io.StringIO()
    stream = MaskedStream(output, Redactor(TOKEN, personal=False))
    half = len(TOKEN) // 2
    stream.write(f"The token `{TOKEN[:half]}")
    stream.write(f"{TOKEN[half:]}` was rejected\nand the rest")
    stream.flush()
    assert output.getvalue() == f"The token `{REDACTED_TOKEN}` was rejected\nand the rest"


def test_a_traceback_carrying_the_token_is_masked_too() -> None:
    with captured("text") as output:
        try:
            raise ConnectionError(f"Cannot connect to host for url http://api.example/bot{TOKEN}/sendMessage")
        except ConnectionError:
            log.exception("request failed")
    text = output.getvalue()
    assert "Traceback" in text and "ConnectionError" in text
    assert TOKEN not in text and REDACTED_TOKEN in text


async def test_json_lines_carry_level_logger_message_and_ids() -> None:
    # In its own task (as each update is handled), so the bound id goes no further than this test.
    bind_hazard(42)
    with captured("json") as output:
        log.warning("hazard overdue, owner 13800001111")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
    first, second = (json.loads(line) for line in output.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "tests.logs" and first["hazard_id"] == 42
    assert first["message"] == f"hazard overdue, owner {REDACTED_PHONE}" and first["user_id"] is None
    assert first["time"].endswith("+00:00")
    assert second["message"] == "failed" and "ValueError: boom" in second["exc"]


async def test_report_and_assignment_log_the_user_and_the_hazard_as_json(rig: Rig) -> None:
    reporter = await officer(rig)
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    with captured("json") as output:
        number = await submit(reporter, await walk_to_summary(reporter, photo=png(3)))
        await assign(boss, number, "王五金 13800001111", named="new")
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    reported = [line for line in lines if line["message"].startswith("hazard reported")]
    assigned = [line for line in lines if line["message"].startswith("hazard assign")]
    assert [(line["user_id"], line["hazard_id"]) for line in reported] == [(reporter.id, number)]
    assert [(line["user_id"], line["hazard_id"]) for line in assigned] == [(boss.id, number)]
    assert "reported -> assigned" in assigned[0]["message"]
    assert await rig.rows("SELECT phone FROM people WHERE name = '王五金'") == [("13800001111",)]


async def test_debug_logs_of_a_whole_exchange_hold_no_phone_number(rig: Rig) -> None:
    reporter = await officer(rig)
    boss = await rig.join(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    number = await submit(reporter, await walk_to_summary(reporter, photo=png(4)))
    with captured("text", logging.DEBUG) as output:
        await assign(boss, number, "王五金 13800001111", named="new")
    text = output.getvalue()
    assert "王五金" in text  # the update itself is in the debug log (python-telegram-bot logs it) ...
    assert "13800001111" not in text and REDACTED_PHONE in text  # ... with the phone number masked
    assert TOKEN not in text
