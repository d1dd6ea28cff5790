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
# and apt-get is usable (root, or sudo without a password), fonts-wqy-zenhei is installed. Otherwise the bot works
# and sends the ranking as text only, and says so.
font_stamp=".venv/.gridsafe-chinese-font"
find_font() { .venv/bin/python -c 'from bot.chart import find_chinese_font; print(find_chinese_font() or "")' 2>/dev/null || true; }
if [ ! -s "$font_stamp" ] || [ ! -f "$(cat "$font_stamp")" ]; then
  font="$(find_font)"
  if [ -z "$font" ] && command -v apt-get >/dev/null 2>&1; then
    as_root=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root="sudo -n"
    fi
    if [ "$(id -u)" = 0 ] || [ -n "$as_root" ]; then
      echo "Installing a Chinese font for the ranking chart (fonts-wqy-zenhei)..."
      $as_root apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei \
        >/dev/null 2>&1 || true
      font="$(find_font)"
    fi
  fi
  if [ -n "$font" ]; then
    echo "$font" > "$font_stamp"
  else
    echo "No font with Chinese glyphs found: the ranking chart is skipped (the ranking is still sent as text)." >&2
    echo "Install one, e.g. 'apt-get install fonts-wqy-zenhei' or 'fonts-noto-cjk', or set ranking.chart_font." >&2
  fi
fi
