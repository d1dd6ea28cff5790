#!/usr/bin/env bash
# Runs the whole suite N times in a row (default 3) while a second copy of the suite loads the machine, and prints
# each run's outcome and time: the way to show that no test depends on how busy the machine is.
# Usage: scripts/suite-under-load.sh [N]   (after ./test.sh has set up .venv once)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
log="$(mktemp -d)"
load() {  # the load: the suite again, over and over, until the measured runs are done
  while :; do .venv/bin/python -m pytest -q -p no:cacheprovider -x >>"$log/load.txt" 2>&1 || true; done
}
load &
loader=$!
trap 'kill "$loader" 2>/dev/null; pkill -P "$loader" 2>/dev/null' EXIT
failed=0
for n in $(seq 1 "$runs"); do
  started=$(date +%s)
  .venv/bin/python -m pytest -q -p no:cacheprovider >"$log/run-$n.txt" 2>&1
  code=$?
  echo "run $n: exit $code in $(( $(date +%s) - started )) s, load average $(cut -d' ' -f1-3 /proc/loadavg): $(tail -n 1 "$log/run-$n.txt")"
  [ "$code" = 0 ] || failed=1
done
echo "logs: $log"
exit "$failed"
