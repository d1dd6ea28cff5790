"""Scenario 5, the ledger export: an admin's /export of a month with 100,000 hazards, as an .xlsx in chat."""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile
from pathlib import Path

from bench.dbgen import Spec, prepared, province
from bench.measure import Outcome, spread
from bench.stage import stage
from bench.world import NOW

MONTH = "2026-10"  # the history's last month: a tenth of the hazards
SPECS = {
    "tiny": Spec(villages=100, hazards=1_000, bound={"admin": 3, "supervisor": 4}),
    "small": Spec(villages=2_000, hazards=20_000, bound={"admin": 3, "supervisor": 20}),
    "full": province(),
}
EXPORT_TIMEOUT = 600.0
PROBE_EVERY = 0.5  # meanwhile a supervisor asks /open this often: does the bot still answer others?


def _rows(xlsx: bytes, sheet: int) -> int:
    """Rows of one worksheet, counted in its XML (opening 100,000 rows with openpyxl would take longer than writing)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        data = archive.read(f"xl/worksheets/sheet{sheet}.xml")
    return len(re.findall(rb"<row[ >]", data))


async def run(size: str, folder: Path) -> Outcome:
    """Ask for the month's ledger as an admin; time it to the document's arrival and read the bot's peak memory."""
    spec = SPECS[size]
    generated = await prepared(spec)
    outcome = Outcome("export", size)
    async with stage(generated, folder) as scene:
        admin = next(p.user for p in scene.people if p.role == "admin")
        supervisor = next(p.user for p in scene.people if p.role == "supervisor")
        expected = scene.query(
            "SELECT COUNT(*) FROM hazards WHERE reported_at >= ? AND reported_at < ?",
            ("2026-09-30T16:00:00.000000Z", "2026-10-31T16:00:00.000000Z"),
        )[0][0]
        async with scene.bot(start=NOW) as bot:
            await asyncio.sleep(0.5)
            before = bot.memory()
            await admin.send(f"/export {MONTH}")
            asked = time.monotonic()
            probes: list[tuple[int, float]] = []
            done = asyncio.Event()

            async def probe() -> None:
                while not done.is_set():
                    await supervisor.send("/open")
                    probes.append((supervisor.chat_id, time.monotonic()))
                    await supervisor.next_message(EXPORT_TIMEOUT)
                    await asyncio.sleep(PROBE_EVERY)

            prober = asyncio.create_task(probe())
            await admin.wait_until(lambda: any(m.document for m in admin.inbox), EXPORT_TIMEOUT, "the ledger")
            document = next(m for m in admin.inbox if m.document)
            done.set()
            await prober
            after = bot.memory()
            errors = bot.errors()
        sent = next(call for call in scene.server.calls if call.method == "sendDocument")
        seconds = sent.at - asked
        xlsx = document.document.data if document.document else b""
        others = [s for s in scene.reaction_seconds(probes, {}, frozenset({"sendMessage"})) if s == s]
        outcome.figures = {
            "hazards_in_month": expected,
            "month": MONTH,
            "rows_written": _rows(xlsx, 1) - 1,
            "export_seconds": round(seconds, 2),
            "xlsx_mb": round(len(xlsx) / 1e6, 1),
            "bot_memory_mb": {"before": before, "after": after},
            "others_answered_during_export": {
                **spread(others),
                "note": f"a supervisor's /open every {PROBE_EVERY} s while the ledger was being written",
            },
            "errors": len(errors),
            "database": {"generated_seconds": round(generated.seconds, 1), "cached": generated.cached},
        }
    outcome.at_least("rows_written", outcome.figures["rows_written"], expected)
    outcome.at_most("export_seconds", round(seconds, 2), 60, "s")
    outcome.at_most("peak_rss_mb", after["peak_rss_mb"], 300, "MB")
    outcome.at_most("errors", len(errors), 0)
    return outcome
