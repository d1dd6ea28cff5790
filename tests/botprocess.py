"""GridSafe in a process of its own, started the way production starts it (`gridsafe run`), for tests that kill it.

The process is `python -m bot.cli -c CONFIG run`, its settings given as GRIDSAFE_ environment variables and pointed at
a loopback Bot API server running in the test's event loop. `kill()` is kill -9: no shutdown code runs. Every start
logs to a file of its own; `logs()` gives them all, for showing on failure.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.settings import Settings, load_settings
from sandbox.botapi import BotApiServer

READY_TIMEOUT = 45.0  # a cold interpreter on a busy 2-core machine can take a while to import PTB and start
PR_SET_PDEATHSIG = 1
# Looked up here, not in the forked child, where loading anything could deadlock on a lock another thread held.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL when the test process dies, so no bot outlives its test run."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


class BotProcess:
    """One bot deployment (a database and a media folder) that can be started, killed and started again."""

    def __init__(self, server: BotApiServer, folder: Path, **env: str) -> None:
        self.server = server
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "config.toml"
        self.config.write_text("# every setting comes from GRIDSAFE_ environment variables\n", encoding="utf-8")
        self.env = {
            "GRIDSAFE_TELEGRAM__TOKEN": server.token,
            "GRIDSAFE_TELEGRAM__BASE_URL": server.base_url,
            "GRIDSAFE_TELEGRAM__BASE_FILE_URL": server.base_file_url,
            "GRIDSAFE_STORAGE__DATABASE": str(folder / "data" / "gridsafe.db"),
            "GRIDSAFE_STORAGE__MEDIA_DIR": str(folder / "data" / "media"),
        }
        self.env.update({f"GRIDSAFE_{key.upper()}": value for key, value in env.items()})
        self.starts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._logs: list[Path] = []

    @property
    def settings(self) -> Settings:
        """The settings the bot process runs with (to open its database from the test)."""
        return load_settings(self.config, self.env)

    @property
    def pid(self) -> int:
        """The running process's id."""
        assert self._process is not None
        return self._process.pid

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    async def start(self) -> None:
        """Spawn the bot and wait until it polls for updates (start-up work, post_init included, is done)."""
        assert not self.running, "the bot is already running"
        self.starts += 1
        log = self.folder / f"bot-{self.starts}.log"
        self._logs.append(log)
        environ = {name: value for name, value in os.environ.items() if not name.startswith("GRIDSAFE_")}
        environ.update(self.env)
        polls_before = len(self.server.poll_arrivals)
        command = [sys.executable, "-m", "bot.cli", "-c", str(self.config), "run"]
        with log.open("wb") as handle:
            self._process = subprocess.Popen(
                command,
                env=environ,
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + READY_TIMEOUT
        while len(self.server.poll_arrivals) == polls_before:
            if self._process.poll() is not None:
                raise AssertionError(f"the bot exited with {self._process.returncode} at start:\n{self.logs()}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the bot did not poll within {READY_TIMEOUT} s:\n{self.logs()}")
            await asyncio.sleep(0.02)

    async def exited(self, timeout: float = READY_TIMEOUT) -> int:
        """Wait for the process to end by itself; its exit status."""
        process = self._process
        assert process is not None, "the bot is not running"
        deadline = time.monotonic() + timeout
        while process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not stop within {timeout} s:\n{self.logs()}")
            await asyncio.sleep(0.02)
        self._process = None
        return process.returncode

    def kill(self) -> None:
        """kill -9: the process stops at once, wherever it is; nothing of its shutdown runs."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        self._process = None

    def logs(self) -> str:
        """Everything every start of the bot printed, each start under a heading."""
        parts = []
        for log in self._logs:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            parts.append(f"===== {log.name} =====\n{text}")
        return "\n".join(parts)

    def errors(self) -> list[str]:
        """Log lines at ERROR or above, and tracebacks, of every start."""
        return [line for line in self.logs().splitlines() if " ERROR " in line or "Traceback" in line]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.kill()
