"""Bots in their own processes, long-polling the benchmark's loopback Bot API, as separate from it as Telegram is.

`BotProcess` spawns `python -m bench.botproc gridsafe|echo`, notes when the bot's first getUpdates arrives, reads the
process's memory and stops it with SIGINT, as systemd or Ctrl-C would.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from bench.botproc import START_ENV
from bench.measure import process_cpu_seconds, process_memory_mb
from sandbox.botapi import BotApiServer

READY_TIMEOUT = 60.0
PROFILE_ENV = "BENCH_PROFILE"  # set (python -m bench --profile): sample every bot process with py-spy

__all__ = ["START_ENV", "BotProcess"]


class BotProcess:
    """One bot process against a running loopback server."""

    def __init__(self, kind: str, server: BotApiServer, env: dict[str, str], log: Path) -> None:
        self.kind = kind
        self.server = server
        self.env = env
        self.log = log
        self.spawned_at = 0.0
        self.first_poll_at = 0.0
        self._process: asyncio.subprocess.Process | None = None
        self._spy: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id."""
        assert self._process is not None
        return self._process.pid

    @property
    def startup_seconds(self) -> float:
        """From spawning the process (interpreter start and imports included) to its first getUpdates."""
        return self.first_poll_at - self.spawned_at

    async def start(self) -> None:
        """Spawn the bot and wait until it polls for updates."""
        env = {**os.environ, "PTB_TIMEDELTA": "1", **self.env}
        env["GRIDSAFE_TELEGRAM__TOKEN"] = self.server.token
        env["GRIDSAFE_TELEGRAM__BASE_URL"] = self.server.base_url
        env["GRIDSAFE_TELEGRAM__BASE_FILE_URL"] = self.server.base_file_url
        polls_before = len(self.server.poll_arrivals)
        with self.log.open("ab") as log:
            self.spawned_at = time.monotonic()
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.botproc", self.kind, env=env, stdout=log, stderr=log
            )
        deadline = self.spawned_at + READY_TIMEOUT
        while len(self.server.poll_arrivals) == polls_before:
            if self._process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.kind} bot did not start; see {self.log}:\n{self.log_text()[-3000:]}")
            await asyncio.sleep(0.002)
        self.first_poll_at = self.server.poll_arrivals[polls_before]
        if os.environ.get(PROFILE_ENV):
            self._profile()

    def _profile(self) -> None:
        """Sample the bot with py-spy until it exits (collapsed stacks next to its log), to find where time goes."""
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        out = self.log.with_suffix(".pyspy.txt")
        command = [spy, "record", "--pid", str(self.pid), "--format", "raw", "--rate", "200", "--output", str(out)]
        self._spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def cpu_seconds(self) -> float:
        """CPU time the bot has used so far."""
        return process_cpu_seconds(self.pid)

    def memory(self) -> dict[str, float]:
        """Peak and current resident memory of the running bot, in MB."""
        return process_memory_mb(self.pid)

    async def stop(self) -> None:
        """SIGINT (a graceful stop, as on Ctrl-C), then SIGKILL if it hangs."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()
        if self._spy is not None:
            await asyncio.to_thread(self._spy.wait, 30)

    def log_text(self) -> str:
        """Everything the bot logged."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def errors(self) -> list[str]:
        """Lines the bot logged at ERROR or above, and tracebacks."""
        return [
            line
            for line in self.log_text().splitlines()
            if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
        ]

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()
