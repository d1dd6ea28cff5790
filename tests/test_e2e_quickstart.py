"""The README's promises, as a county IT person meets them: run.sh, gridsafe run, gridsafe invite."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
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
    assert "绑定成功" in welcome.body and "全市 · 管理员" in welcome.body


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _started_line(process: asyncio.subprocess.Process) -> str:
    """The line the sandbox prints once it serves its page."""
    assert process.stdout is not None
    while line := (await asyncio.wait_for(process.stdout.readline(), timeout=120)).decode():
        if "沙盒已启动" in line:
            return line
    raise AssertionError("the sandbox stopped without printing its address")


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "gridsafe").exists(), reason="needs the project's .venv (./test.sh)")
@pytest.mark.timeout(300)
async def test_run_script_without_token_serves_the_sandbox_apart_from_the_real_database(tmp_path: Path) -> None:
    config = tmp_path / "deploy" / "config.toml"
    port = _free_port()
    env = _env(None, GRIDSAFE_SANDBOX__PORT=str(port))
    async with _bot_process("./run.sh", str(config), env=env) as sandbox:
        line = await _started_line(sandbox)
        url = f"http://127.0.0.1:{port}"
        assert url in line and "不连接 Telegram" in line
        assert (
            str(tmp_path / "deploy" / "data" / "sandbox") in line
            and str(tmp_path / "deploy" / "data" / "gridsafe.db") in line
        )
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as response:
                assert response.status == 200 and "网格安全通" in await response.text()
            async with http.get(f"{url}/api/roster") as response:
                officer = (await response.json())["towns"][0]["villages"][0]["people"][0]
            async with http.post(f"{url}/api/people/{officer['id']}/open") as response:
                assert response.status == 200
    assert (tmp_path / "deploy" / "data" / "sandbox" / "gridsafe.db").exists()
    real = sqlite3.connect(tmp_path / "deploy" / "data" / "gridsafe.db")
    sandboxed = sqlite3.connect(tmp_path / "deploy" / "data" / "sandbox" / "gridsafe.db")
    try:
        assert real.execute("SELECT COUNT(*) FROM invites").fetchone() == (0,)
        assert sandboxed.execute("SELECT COUNT(*) FROM invites").fetchone() == (1,)
    finally:
        real.close()
        sandboxed.close()


async def test_sandbox_on_another_address_warns_that_anyone_can_act_as_anyone(tmp_path: Path) -> None:
    config = _write_config(tmp_path)
    args = ("-c", str(config), "sandbox", "--port", "0", "--host", "0.0.0.0")
    async with _bot_process(*GRIDSAFE, *args, env=_env(None)) as sandbox:
        line = await _started_line(sandbox)
        assert "http://0.0.0.0:" in line
    assert sandbox.stderr is not None
    assert "任何能访问这个地址的人都可以冒充名册中的任何人" in (await sandbox.stderr.read()).decode()
