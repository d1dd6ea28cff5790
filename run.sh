#!/usr/bin/env bash
# Sets everything up and starts the bot (the sandbox web chat while no token is set): .venv, dependencies, config.toml (first run), database.
# On the first run it also imports the example roster, so the bot can be tried at once.
# Usage: ./run.sh [CONFIG]   (default config.toml)
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
config="${1:-config.toml}"
if [ ! -f "$config" ]; then
  mkdir -p "$(dirname "$config")"
  cp config.example.toml "$config"
  chmod 600 "$config"
  echo "Created $config from config.example.toml; the example roster is imported for a first try."
  .venv/bin/gridsafe -c "$config" migrate
  .venv/bin/gridsafe -c "$config" roster import examples/roster.csv
fi
.venv/bin/gridsafe -c "$config" migrate
# With no bot token configured this starts the sandbox instead: the real bot with a local web chat (gridsafe sandbox).
exec .venv/bin/gridsafe -c "$config" run --sandbox-without-token
