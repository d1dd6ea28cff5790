"""The sandbox page's endpoints: bad input answered clearly with nothing stored, the clock, reset, live events."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.settings import load_settings
from sandbox.clock import ClockBackwards, JumpClock, preset_moment
from sandbox.web import SandboxSite
from sandbox.world import SandboxOverlap, World
from tests.rig import png
from tests.sandboxsite import person_named, running_sandbox

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[SandboxSite]:
    async with running_sandbox(tmp_path) as site:
        yield site


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(http: aiohttp.ClientSession, method: str, url: str, **kwargs: object) -> tuple[int, dict[str, object]]:
    async with http.request(method, url, **kwargs) as response:  # type: ignore[arg-type]
        return response.status, await response.json()


async def bound_officer(site: SandboxSite, http: aiohttp.ClientSession) -> int:
    """Open 曾英海's chat from the page and wait for the welcome; return his roster id."""
    person = await person_named(site, "曾英海")
    status, _ = await call(http, "POST", f"{site.url}/api/people/{person.id}/open")
    assert status == 200
    user = await site.world.user_of(person.id) or site.world.server.users[7_000_000_000 + person.id]
    await user.expect("绑定成功")
    return person.id


async def counts(site: SandboxSite) -> tuple[int, int, int]:
    row = await site.world.services.db.fetch_one(
        "SELECT (SELECT COUNT(*) FROM hazards), (SELECT COUNT(*) FROM hazard_photos), (SELECT COUNT(*) FROM report_drafts)"
    )
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


async def test_page_serves_the_product_with_its_assets(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    async with http.get(site.url) as response:
        page = await response.text()
    assert response.status == 200 and "网格安全通" in page and "/static/app.js" in page
    for asset in ("app.js", "style.css"):
        async with http.get(f"{site.url}/static/{asset}") as response:
            assert response.status == 200 and len(await response.read()) > 1000
    async with http.get(f"{site.url}/static/../world.py") as response:
        assert response.status == 404


async def test_unknown_person_is_answered_and_nothing_is_bound(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    for method, path, body in (
        ("GET", "/api/people/99999", None),
        ("POST", "/api/people/99999/open", None),
        ("POST", "/api/people/99999/text", {"text": "你好"}),
        ("POST", "/api/people/abc/text", {"text": "你好"}),
    ):
        status, answer = await call(http, method, site.url + path, json=body)
        assert status == 404 and "名册中没有这个人" in str(answer["error"]), (path, answer)
    assert site.world.server.users == {}
    assert await site.world.services.db.fetch_all("SELECT * FROM telegram_bindings") == []


async def test_forged_button_press_is_refused_before_the_bot(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    person_id = await bound_officer(site, http)
    user = await site.world.user_of(person_id)
    assert user is not None
    welcome = user.inbox[-1]
    status, answer = await call(
        http,
        "POST",
        f"{site.url}/api/people/{person_id}/press",
        json={"message_id": welcome.message_id, "data": "h:1:verify"},
    )
    assert status == 400 and "没有这个按钮" in str(answer["error"])
    status, answer = await call(
        http, "POST", f"{site.url}/api/people/{person_id}/press", json={"message_id": 9999, "data": "x"}
    )
    assert status == 404 and "找不到这条消息" in str(answer["error"])
    assert not [u for u in site.world.server._updates if "callback_query" in u]
    assert site.world.server.calls_to("answerCallbackQuery") == []
    assert await counts(site) == (0, 0, 0)


async def test_upload_that_is_not_an_image_sends_nothing(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    person_id = await bound_officer(site, http)
    form = aiohttp.FormData()
    form.add_field("photo", io.BytesIO(png(1)), filename="ok.png", content_type="image/png")
    form.add_field("photo", io.BytesIO(b"%PDF-1.4 not a photo"), filename="notice.pdf", content_type="image/png")
    status, answer = await call(http, "POST", f"{site.url}/api/people/{person_id}/photos", data=form)
    assert status == 400 and "「notice.pdf」不是 JPG 或 PNG 图片" in str(answer["error"])
    assert [m.get("text") for m in site.world.sent[7_000_000_000 + person_id]] == [
        m.get("text") for m in site.world.sent[7_000_000_000 + person_id][:1]
    ]  # only the /start that bound him
    assert await counts(site) == (0, 0, 0)


async def test_thirty_megabyte_file_is_refused(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    person_id = await bound_officer(site, http)
    files_before = len(site.world.server.files.by_id)
    for endpoint, field in (("file", "file"), ("photos", "photo")):
        form = aiohttp.FormData()
        form.add_field(
            field, io.BytesIO(b"\xff\xd8\xff" + bytes(30 * 1024 * 1024)), filename="big.jpg", content_type="image/jpeg"
        )
        status, answer = await call(http, "POST", f"{site.url}/api/people/{person_id}/{endpoint}", data=form)
        assert status == 413 and "「big.jpg」超过 20 MB" in str(answer["error"]), answer
    assert len(site.world.server.files.by_id) == files_before
    assert len(site.world.sent[7_000_000_000 + person_id]) == 1
    assert await counts(site) == (0, 0, 0)


async def test_clock_moves_forward_runs_the_pass_and_refuses_backwards(
    site: SandboxSite, http: aiohttp.ClientSession
) -> None:
    person_id = await bound_officer(site, http)
    status, answer = await call(http, "POST", f"{site.url}/api/clock", json={"at": "2026-11-22 10:00"})
    assert (
        status == 400 and "时钟只能向前拨" in str(answer["error"]) and "2026-11-22 周日 10:00" in str(answer["error"])
    )
    status, answer = await call(http, "POST", f"{site.url}/api/clock", json={"at": "明天"})
    assert status == 400 and "无法识别的时间" in str(answer["error"])
    assert site.world.clock.now() < datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

    status, answer = await call(http, "POST", f"{site.url}/api/clock", json={"preset": "next_monday"})
    assert status == 200 and str(answer["label"]).startswith("2026-11-30 周一 09:0")
    user = await site.world.user_of(person_id)
    assert user is not None
    nudge = await user.expect("【每周排查】")  # the scheduler's pass ran at the new time
    assert nudge.text is not None


async def test_events_stream_tells_the_page_which_chat_changed(site: SandboxSite, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{site.url}/api/events") as stream:
        person = await person_named(site, "曾英海")
        await call(http, "POST", f"{site.url}/api/people/{person.id}/open")
        async for line in stream.content:
            if line.startswith(b"data: "):
                event = json.loads(line[6:])
                assert event == {"type": "chat", "user_id": 7_000_000_000 + person.id}
                break


async def test_reset_brings_back_the_example_roster_and_empty_history(
    site: SandboxSite, http: aiohttp.ClientSession
) -> None:
    await bound_officer(site, http)
    status, _ = await call(http, "POST", f"{site.url}/api/reset")
    assert status == 200
    assert await site.world.services.db.fetch_all("SELECT * FROM telegram_bindings") == []
    assert len(await site.world.directory()) == 200 and site.world.sent == {}


def test_sandbox_data_never_overlaps_the_real_deployment(tmp_path: Path) -> None:
    settings = load_settings(
        None,
        {
            "GRIDSAFE_STORAGE__DATABASE": str(tmp_path / "data" / "gridsafe.db"),
            "GRIDSAFE_SANDBOX__DATA_DIR": str(tmp_path / "data"),
        },
    )
    with pytest.raises(SandboxOverlap):
        World(settings)


def test_clock_presets_and_jumps_only_forward() -> None:
    monday_ten = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    assert preset_moment("next_monday", monday_ten, SHANGHAI) == datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    monday_eight = datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI)
    assert preset_moment("next_monday", monday_eight, SHANGHAI) == datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    assert preset_moment("plus_7d", monday_ten, SHANGHAI) == monday_ten + timedelta(days=7)
    clock = JumpClock(monday_ten)
    clock.jump_to(monday_ten + timedelta(days=1))
    assert clock.now() >= monday_ten + timedelta(days=1)
    with pytest.raises(ClockBackwards):
        clock.jump_to(monday_ten)
    assert clock.now() >= monday_ten + timedelta(days=1)
