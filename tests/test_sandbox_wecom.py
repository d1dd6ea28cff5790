"""The sandbox page shows a person on WeCom too: their chat with the loopback WeCom app, typing and card presses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import texts
from bot.domain.people import Role
from sandbox.web import SandboxSite
from tests import scenario
from tests.sandboxsite import person_named, running_sandbox


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[SandboxSite]:
    async with running_sandbox(tmp_path) as site:
        yield site


async def call(method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.request(method, url, json=body) as response:
        return response.status, await response.json()


async def transcript_with(site: SandboxSite, person_id: int, fragment: str) -> list[dict[str, Any]]:
    """The person's WeCom chat as the page reads it, once a message containing fragment has arrived."""
    world = site.world

    async def arrived() -> list[dict[str, Any]]:
        _, data = await call("GET", f"{site.url}/api/people/{person_id}/wecom")
        return list(data["chat"]["messages"]) if data["chat"] else []

    userid = await world.wecom_userid(person_id) or f"sandbox{person_id}"
    assert await world.wecom.until(lambda: any(fragment in m.text for m in world.wecom.inbox(userid)))
    return await arrived()


async def test_a_person_opened_on_wecom_binds_by_code_and_talks_to_the_app(site: SandboxSite) -> None:
    officer = await person_named(site, "曾英海")
    status, data = await call("POST", f"{site.url}/api/people/{officer.id}/wecom/open")
    assert status == 200 and data["chat"]["userid"] == f"sandbox{officer.id}"
    messages = await transcript_with(site, officer.id, "绑定成功")
    assert messages[0]["from"] == "me" and messages[0]["text"].startswith("/start ")  # typed, as a person would
    assert (await site.world.wecom_userid(officer.id)) == f"sandbox{officer.id}"
    status, _ = await call("POST", f"{site.url}/api/people/{officer.id}/wecom/text", {"text": "排查 5"})
    assert status == 200
    messages = await transcript_with(site, officer.id, "已登记")
    assert [m["text"] for m in messages if m["from"] == "me"][-1] == "排查 5"
    assert [tuple(r) for r in await site.world.services.db.fetch_all("SELECT places_checked FROM checks")] == [(5,)]
    status, refused = await call("POST", f"{site.url}/api/people/{officer.id}/wecom/text", {"text": " "})
    assert status == 400 and refused["error"] == texts.SANDBOX_EMPTY_TEXT


async def test_a_supervisor_on_wecom_sees_the_new_hazard_card_and_presses_it(site: SandboxSite) -> None:
    boss = await person_named(site, "肖浩")
    await call("POST", f"{site.url}/api/people/{boss.id}/wecom/open")
    await transcript_with(site, boss.id, "绑定成功")
    reporter = await scenario.bind(site.world.services, Role.OFFICER, village="新龙村")
    hazard = await scenario.report(site.world.services, reporter)
    site.world.app.bot_data.kick_outbox()  # the outbox's WeCom sender delivers the supervisor's card
    messages = await transcript_with(site, boss.id, "交办")
    (card,) = [m for m in messages if m.get("buttons")]
    assert [b["text"] for row in card["buttons"] for b in row] == ["交办", "不属实", "重复"]
    assert any(m.get("photo_url") for m in messages)  # the hazard's photo, shown from the WeCom server
    press = f"{site.url}/api/people/{boss.id}/wecom/press"
    assert (await call("POST", press, {"message_id": card["id"], "data": "删除"}))[0] == 400  # not on the card
    assert (await call("POST", press, {"message_id": 10_000, "data": "交办"}))[0] == 404
    status, _ = await call("POST", press, {"message_id": card["id"], "data": "交办"})
    assert status == 200
    messages = await transcript_with(site, boss.id, "请选择责任人")
    assert any("请选择责任人" in m["text"] for m in messages)
    rows = await site.world.services.db.fetch_all("SELECT status FROM hazards WHERE id = ?", (hazard.id,))
    assert [tuple(r) for r in rows] == [("reported",)]  # 交办 asks for the owner next: nothing changed yet
