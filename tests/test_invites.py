"""Invite codes: entropy, scope resolution, single use, expiry (with the fake clock) and rebinding history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.errors import (
    AlreadyBound,
    AmbiguousPerson,
    InviteExpired,
    InviteUnknown,
    InviteUsed,
    NotFound,
    TooLong,
    UnknownPlace,
)
from bot.domain.limits import MAX_REASON
from bot.domain.people import Role
from bot.services.container import Services
from bot.services.invites import Binding


async def test_codes_are_long_random_and_stored_only_as_hashes(services: Services) -> None:
    codes = {(await services.invites.create(Role.OFFICER, village="新龙村")).code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) >= 22 for code in codes)  # 16 random bytes, URL-safe base64
    stored = await services.db.fetch_all("SELECT code_sha256 FROM invites")
    assert not {row[0] for row in stored} & codes


async def test_officer_invite_resolves_the_village_officer(services: Services) -> None:
    created = await services.invites.create(Role.OFFICER, village="新龙村")
    assert created.person.village_name == "新龙村"
    assert created.person.town_name == "青龙镇"
    assert created.person.role is Role.OFFICER


async def test_supervisor_invite_needs_a_name_when_the_town_has_two(services: Services) -> None:
    with pytest.raises(AmbiguousPerson):
        await services.invites.create(Role.SUPERVISOR, town="青龙镇")
    created = await services.invites.create(Role.SUPERVISOR, town="青龙镇", name="肖浩")
    assert created.person.name == "肖浩"


async def test_first_admin_is_created_by_invite(services: Services) -> None:
    created = await services.invites.create(Role.ADMIN, name="市应急局值班员")
    assert created.person.role is Role.ADMIN and created.person.town_id is None
    with pytest.raises(NotFound):
        await services.invites.create(Role.OWNER, village="新龙村")


async def test_unknown_places_are_refused(services: Services) -> None:
    with pytest.raises(UnknownPlace):
        await services.invites.create(Role.OFFICER, village="不存在村")
    with pytest.raises(UnknownPlace):
        await services.invites.create(Role.SUPERVISOR, town="不存在镇")


async def test_redeem_once_then_used(services: Services) -> None:
    created = await services.invites.create(Role.OFFICER, village="新龙村")
    first = await services.invites.redeem(created.code, 1001, 1001)
    assert first.binding is Binding.NEW and first.actor.id == created.person.id
    again = await services.invites.redeem(created.code, 1001, 1001)
    assert again.binding is Binding.ALREADY
    with pytest.raises(InviteUsed):
        await services.invites.redeem(created.code, 2002, 2002)
    with pytest.raises(InviteUnknown):
        await services.invites.redeem("not-a-code", 1001, 1001)


async def test_invite_expires_after_the_configured_days(services: Services, clock: FakeClock) -> None:
    created = await services.invites.create(Role.OFFICER, village="新龙村")
    clock.advance(timedelta(days=7))
    with pytest.raises(InviteExpired):
        await services.invites.redeem(created.code, 1001, 1001)
    fresh = await services.invites.create(Role.OFFICER, village="新龙村")
    clock.advance(timedelta(days=6, hours=23))
    assert (await services.invites.redeem(fresh.code, 1001, 1001)).binding is Binding.NEW


async def test_rebinding_keeps_history(services: Services, clock: FakeClock) -> None:
    first = await services.invites.create(Role.OFFICER, village="新龙村")
    await services.invites.redeem(first.code, 1001, 1001)
    clock.advance(timedelta(days=30))
    second = await services.invites.create(Role.OFFICER, village="新龙村", reason="换了手机")
    redeemed = await services.invites.redeem(second.code, 3003, 3003)
    assert redeemed.binding is Binding.REBOUND
    assert await services.access.actor(1001) is None
    actor = await services.access.actor(3003)
    assert actor is not None and actor.id == first.person.id
    history = await services.db.fetch_all(
        "SELECT telegram_user_id, ended_at IS NOT NULL AS ended, end_reason FROM telegram_bindings ORDER BY id"
    )
    assert [tuple(row) for row in history] == [(1001, 1, "rebound"), (3003, 0, None)]
    reasons = [tuple(row) for row in await services.db.fetch_all("SELECT reason FROM invites ORDER BY id")]
    assert reasons == [(None,), ("换了手机",)]


async def test_the_reason_for_inviting_a_bound_person_is_bounded_and_cleaned(services: Services) -> None:
    first = await services.invites.create(Role.OFFICER, village="新龙村")
    await services.invites.redeem(first.code, 1001, 1001)
    with pytest.raises(AlreadyBound):
        await services.invites.create(Role.OFFICER, village="新龙村", reason="\u200b \u202e")  # nothing visible
    with pytest.raises(TooLong):
        await services.invites.create(Role.OFFICER, village="新龙村", reason="换" * (MAX_REASON + 1))
    await services.invites.create(Role.OFFICER, village="新龙村", reason="换" * MAX_REASON)
    rows = await services.db.fetch_all("SELECT LENGTH(reason) FROM invites WHERE reason IS NOT NULL")
    assert [tuple(r) for r in rows] == [(MAX_REASON,)]
