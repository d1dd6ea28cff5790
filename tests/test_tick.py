"""`gridsafe tick`: one scheduler pass as of a given local moment, or a preview of it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\ndatabase = "g.db"\nmedia_dir = "media"\n', encoding="utf-8")
    assert main(["-c", str(path), "roster", "import", str(ROOT / "examples" / "roster.csv")]) == 0
    return path


def _outbox(config: Path) -> int:
    with sqlite3.connect(config.parent / "g.db") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])


def test_dry_run_lists_what_would_be_sent_and_sends_nothing(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["-c", str(config), "tick", "--at", "2026-11-30T09:00", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    # Monday 09:00: every one of the 179 villages' officers is nudged; the 20 supervisors get last week's misses.
    assert out[0] == "本次排程将发送 199 条消息（预览，未发送）："
    assert sum("【每周排查】" in line for line in out) == 179
    assert sum("【上周排查未完成】" in line for line in out) == 20
    assert _outbox(config) == 0


def test_tick_queues_once(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["-c", str(config), "tick", "--at", "2026-11-30T09:00"]) == 0
    assert capsys.readouterr().out.startswith("本次排程已加入发送队列 199 条消息")
    assert main(["-c", str(config), "tick", "--at", "2026-11-30T09:00"]) == 0
    assert capsys.readouterr().out.startswith("本次排程已加入发送队列 0 条消息")  # dedupe: nothing twice
    assert _outbox(config) == 199
    assert main(["-c", str(config), "tick", "--at", "2026-12-03T09:00", "--dry-run"]) == 0
    assert "【排查提醒】" in capsys.readouterr().out  # Thursday's reminder, for villages still not checked


def test_a_real_tick_at_a_future_moment_is_refused_and_points_to_dry_run(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ahead = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT09:00")
    capsys.readouterr()
    assert main(["-c", str(config), "tick", "--at", ahead]) == 1
    err = capsys.readouterr().err
    assert "不能按未来时刻" in err and "--dry-run" in err
    assert _outbox(config) == 0
    with sqlite3.connect(config.parent / "g.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM scheduler_state").fetchone()[0] == 0  # no mark moved
    assert main(["-c", str(config), "tick", "--at", ahead, "--dry-run"]) == 0  # a preview may look ahead
    assert _outbox(config) == 0
