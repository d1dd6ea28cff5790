#!/usr/bin/env bash
# Creates .venv and installs GridSafe into it (with the dev tools when given "dev").
# Skips the install when pyproject.toml has not changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "GridSafe needs Python 3.11 or newer (found: $("$python" --version 2>&1 || echo none))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=".venv/.gridsafe-installed${extras:+-$extras}"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
installed() { [ -f "$1" ] && [ "$(cat "$1")" = "$want" ]; }
# A dev install is a superset of the plain one.
if ! installed "$stamp" && ! { [ -z "$extras" ] && installed .venv/.gridsafe-installed-dev; }; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
  echo "$want" > "$stamp"
fi

# The monthly ranking chart has Chinese labels, so it needs a font with Chinese glyphs, which matplotlib does not
# ship. Found once (bot/chart.py looks for Noto Sans CJK, WenQuanYi and others) and remembered; when there is none
# and apt-get is usable (root, or sudo without a password), fonts-wqy-zenhei is installed. Another install may hold
# the package lock (a fresh machine often runs unattended-upgrades): apt-get waits for it up to APT_LOCK_WAIT
# seconds, and the install is tried once more if it still fails, with apt's own error shown. Without a font the bot
# works and sends the ranking as text only, and says so.
FONT_PACKAGE="fonts-wqy-zenhei"
APT_LOCK_WAIT=120
font_stamp=".venv/.gridsafe-chinese-font"
find_font() { .venv/bin/python -c 'from bot.chart import find_chinese_font; print(find_chinese_font() or "")' 2>/dev/null || true; }
install_font() {
  local log attempt
  log="$(mktemp)"
  for attempt in 1 2; do
    # Only the install must succeed: a failed index update (no network) may still leave a usable cached package.
    $as_root apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" -q update >"$log" 2>&1 || true
    if DEBIAN_FRONTEND=noninteractive $as_root apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" -q -y \
      install --no-install-recommends "$FONT_PACKAGE" >>"$log" 2>&1; then
      echo "Installed $FONT_PACKAGE."
      rm -f "$log"
      return 0
    fi
    if [ "$attempt" = 1 ]; then
      echo "apt-get could not install $FONT_PACKAGE ($(grep -E '^(E|W):' "$log" | tail -n 1 || true)); trying once more..." >&2
    fi
  done
  echo "apt-get failed twice to install $FONT_PACKAGE; its last messages:" >&2
  { grep -E '^(E|W):|held by process' "$log" || tail -n 5 "$log"; } | sed 's/^Waiting for cache lock: //' | uniq \
    | tail -n 5 | sed 's/^/  /' >&2
  rm -f "$log"
  return 1
}
if [ ! -s "$font_stamp" ] || [ ! -f "$(cat "$font_stamp")" ]; then
  font="$(find_font)"
  if [ -z "$font" ] && command -v apt-get >/dev/null 2>&1; then
    as_root=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root="sudo -n"
    fi
    if [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; then
      echo "Installing a Chinese font for the ranking chart ($FONT_PACKAGE; waiting up to ${APT_LOCK_WAIT} s if" \
        "another install holds the package lock)..."
      install_font || true
      font="$(find_font)"
    else
      echo "No Chinese font, and apt-get needs root (or sudo without a password) to install $FONT_PACKAGE." >&2
    fi
  fi
  if [ -n "$font" ]; then
    echo "$font" > "$font_stamp"
  else
    echo "No font with Chinese glyphs found: the ranking chart is skipped (the ranking is still sent as text)." >&2
    echo "Install one, e.g. 'apt-get install fonts-wqy-zenhei' or 'fonts-noto-cjk', or set ranking.chart_font." >&2
  fi
fi
