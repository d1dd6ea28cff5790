"""Secrets never reach the terminal or the journal: the real CLI, as a process, when the Bot API refuses the token.

`gridsafe invite` and `gridsafe run` talk to the loopback Bot API answering 401 (a revoked token) or 404 (base_url
without /bot), and a `gridsafe run` at DEBUG is sent an invite's /start: neither the token nor the invite code may
appear anywhere on stdout or stderr (the log included, which goes to stderr).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.domain.people import Role
from bot.services.container import Services
from bot.settings import load_settings
from sandbox.botapi import BotApiServer
from tests.rig import import_example_roster
from tests.test_e2e_quickstart import GRIDSAFE, _bot_process, _env, _run, _write_config

Refusal = tuple[str, int]
REVOKED: Refusal = ("revoked token", 401)
NO_BOT_PREFIX: Refusal = ("base_url without /bot", 404)


def _refusing_env(server: BotApiServer, refusal: Refusal) -> dict[str, str]:
    env = _env(server)
    if refusal is REVOKED:
        server.faults.add("getMe", "error", status=401, times=100)
    else:
        env["GRIDSAFE_TELEGRAM__BASE_URL"] = server.base_url.removesuffix("/bot") + "/"
    return env


@pytest.mark.parametrize("refusal", [REVOKED, NO_BOT_PREFIX], ids=lambda r: r[0])
async def test_invite_with_a_refused_token_names_the_problem_without_the_token(
    tmp_path: Path, refusal: Refusal
) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _refusing_env(server, refusal)
        code, out, err = await _run(
            *GRIDSAFE, "-c", str(config), "invite", "--role", "admin", "--name", "周主任", env=env
        )
    assert code == 1
    assert "<token>" in err  # the refusal is still named, with the token masked
    assert server.token not in out + err
    assert server.token.split(":")[1] not in out + err


@pytest.mark.parametrize("refusal", [REVOKED, NO_BOT_PREFIX], ids=lambda r: r[0])
async def test_run_with_a_refused_token_crashes_without_the_token_in_the_traceback(
    tmp_path: Path, refusal: Refusal
) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _refusing_env(server, refusal)
        code, out, err = await _run(*GRIDSAFE, "-c", str(config), "run", env=env)
    assert code == 1
    assert "Traceback" in err and "InvalidToken" in err
    assert server.token not in out + err
    assert server.token.split(":")[1] not in out + err


async def test_debug_log_of_a_start_with_an_invite_code_masks_the_code(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _env(server, GRIDSAFE_LOGGING__LEVEL="DEBUG")
        assert (await _run(*GRIDSAFE, "-c", str(config), "migrate", env=env))[0] == 0
        settings = load_settings(config, env)
        services = await Services.open(settings, SystemClock())
        try:
            await import_example_roster(services)
            used = (await services.invites.create(Role.OFFICER, village="新龙村")).code
            unused = (await services.invites.create(Role.SUPERVISOR, town="青龙镇", name="肖浩")).code
        finally:
            await services.close()
        async with _bot_process(*GRIDSAFE, "-c", str(config), "run", env=env) as bot:
            person = server.user(4242, "曾英海")
            await person.send(f"/start {used}")
            assert "绑定成功" in (await person.next_message(timeout=30)).body
            stranger = server.user(4343, "路人")
            await stranger.send(f"/start@gridsafe_test_bot  {unused}")  # a code someone else was sent
            await stranger.next_message(timeout=30)
        assert bot.stdout is not None and bot.stderr is not None
        out, err = (await bot.stdout.read()).decode(), (await bot.stderr.read()).decode()
    logs = out + err
    for secret in (server.token, used, unused):
        assert secret not in logs
    assert " DEBUG " in logs and "/start <code>" in logs  # PTB's debug log of the updates is there, masked
