"""The README's promises, as a county IT person meets them: run.sh, gridsafe run, gridsafe invite."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot import texts
from sandbox.botapi import BotApiServer

ROOT = Path(__file__).resolve().parent.parent
GRIDSAFE = [sys.executable, "-m", "bot.cli"]


def _env(server: BotApiServer | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDSAFE_")}
    if server is not None:
        env |= {
            "GRIDSAFE_TELEGRAM__TOKEN": server.token,
            "GRIDSAFE_TELEGRAM__BASE_URL": server.base_url,
            "GRIDSAFE_TELEGRAM__BASE_FILE_URL": server.base_file_url,
            "GRIDSAFE_TELEGRAM__POLL_TIMEOUT_SECONDS": "1",
        }
    return env | extra


async def _run(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@asynccontextmanager
async def _bot_process(*args: str, env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), timeout=20)
            except TimeoutError:
                process.kill()
                await process.wait()


def _write_config(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndatabase = "data/g.db"\nmedia_dir = "data/media"\n', encoding="utf-8")
    return config


async def test_run_without_token_names_the_setting(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    code, _, err = await _run(*GRIDSAFE, "-c", str(config), "run", env=_env(None))
    assert code == 2
    assert "telegram.token" in err and "GRIDSAFE_TELEGRAM__TOKEN" in err
    assert "未配置机器人令牌" in err


async def test_gridsafe_run_answers_start_and_never_logs_the_token(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _env(server)
        assert (await _run(*GRIDSAFE, "-c", str(config), "migrate", env=env))[0] == 0
        async with _bot_process(*GRIDSAFE, "-c", str(config), "run", env=env) as bot:
            stranger = server.user(4242, "访客")
            await stranger.send("/start")
            assert (await stranger.next_message(timeout=30)).text == texts.UNBOUND
        assert bot.stdout is not None and bot.stderr is not None
        logs = (await bot.stderr.read()).decode() + (await bot.stdout.read()).decode()
    assert "Application started" in logs
    assert server.token not in logs


async def test_invite_command_prints_a_deep_link_that_binds(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _env(server)
        code, out, err = await _run(
            *GRIDSAFE, "-c", str(config), "invite", "--role", "admin", "--name", "周主任", env=env
        )
        assert code == 0, err
        match = re.search(r"https://t\.me/gridsafe_test_bot\?start=([A-Za-z0-9_-]{22,})", out)
        assert match, out
        assert f"邀请码：{match.group(1)}" in out
        async with _bot_process(*GRIDSAFE, "-c", str(config), "run", env=env):
            admin = server.user(777, "周主任")
            await admin.send(f"/start {match.group(1)}")
            welcome = await admin.next_message(timeout=30)
    assert "绑定成功" in welcome.text and "全市 · 管理员" in welcome.text


async def test_invite_command_explains_what_is_missing(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    async with BotApiServer() as server:
        env = _env(server)
        assert (await _run(*GRIDSAFE, "-c", str(config), "roster", "import", "examples/roster.csv", env=env))[0] == 0
        code, _, err = await _run(*GRIDSAFE, "-c", str(config), "invite", "--role", "supervisor", env=env)
        assert code == 1 and "需要指定 --town" in err
        code, _, err = await _run(
            *GRIDSAFE, "-c", str(config), "invite", "--role", "supervisor", "--town", "青龙镇", env=env
        )
        assert code == 1 and "青龙镇有 2 位镇安监员，请用 --name 指定姓名" in err
        code, _, err = await _run(
            *GRIDSAFE, "-c", str(config), "invite", "--role", "officer", "--village", "无此村", env=env
        )
        assert code == 1 and "名册中没有村「无此村」" in err


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gridsafe").exists(), reason="needs the project's .venv (./test.sh)")
@pytest.mark.timeout(300)
async def test_run_script_sets_up_on_first_run_and_answers(tmp_path: Path) -> None:
    config = tmp_path / "deploy" / "config.toml"
    async with BotApiServer() as server:
        env = _env(server)
        async with _bot_process("./run.sh", str(config), env=env):
            stranger = server.user(4343, "访客")
            await stranger.send("/start")
            assert (await stranger.next_message(timeout=90)).text == texts.UNBOUND
    assert config.read_text(encoding="utf-8") == (ROOT / "config.example.toml").read_text(encoding="utf-8")
    assert (tmp_path / "deploy" / "data" / "gridsafe.db").exists()
    code, out, _ = await _run(
        str(ROOT / ".venv" / "bin" / "gridsafe"), "-c", str(config), "roster", "import", "examples/roster.csv", env=env
    )
    assert code == 0 and "未变 200 人" in out  # the first run imported the example roster
