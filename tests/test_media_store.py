"""The content-addressed media store: whole files under their hash, and no leftovers of a killed process."""

from __future__ import annotations

import hashlib
import os

from tests.rig import Rig, png


async def test_start_up_removes_what_a_killed_process_was_writing(rig: Rig) -> None:
    media = rig.services.media
    sha = media.put(png(1), "png")
    kept = media.path(sha, "png")
    folder = kept.parent
    stale = folder / f"{'0' * 64}.999999.part"  # a photo half-written by a process that was killed
    stale.write_bytes(b"\x89PNG half")
    writing = folder / f"{'1' * 64}.{os.getpid()}.part"  # one this process is writing right now
    writing.write_bytes(b"\x89PNG in progress")

    await rig.restart()

    assert not stale.exists()
    assert writing.exists()
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == sha
