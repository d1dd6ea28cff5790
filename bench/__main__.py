"""`python -m bench [scenario …] [--size tiny|small|full]`: run scenarios, one JSON object per scenario on stdout.

Each scenario runs in a fresh process of its own, so its memory figures and its timings owe nothing to another.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bots import PROFILE_ENV
from bench.scenarios import SCENARIOS, SIZES, run_scenario


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "scenarios", nargs="*", default=["all"], help=f"all (default), or any of {', '.join(SCENARIOS)}"
    )
    parser.add_argument("--size", choices=SIZES, default="full", help="tiny (smoke test), small (< 1 min), full")
    parser.add_argument("--keep", action="store_true", help="keep each scenario's folder (database, bot logs)")
    parser.add_argument("--profile", action="store_true", help="sample each bot with py-spy (implies --keep)")
    parser.add_argument("--inline", action="store_true", help=argparse.SUPPRESS)  # run here, not in a child
    return parser


def main() -> int:
    """Run the scenarios asked for; exit 1 if any misses a target."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args()
    names = list(SCENARIOS) if "all" in args.scenarios else args.scenarios
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    if args.profile:
        os.environ[PROFILE_ENV] = "1"
        args.keep = True
    if args.inline:
        for name in names:
            folder = Path(tempfile.mkdtemp(prefix=f"gridsafe-bench-{name}-"))
            result = asyncio.run(run_scenario(name, args.size, folder, keep=args.keep))
            print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    passed = True
    for name in names:
        command = [sys.executable, "-m", "bench", name, "--size", args.size, "--inline"]
        child = subprocess.run([*command, *(["--keep"] if args.keep else [])], stdout=subprocess.PIPE, text=True)
        for line in child.stdout.splitlines():
            print(line, flush=True)
            passed = passed and bool(json.loads(line).get("pass"))
        passed = passed and child.returncode == 0
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
