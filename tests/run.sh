#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with
# Python 3.11, then runs ruff and the whole suite. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

[ -x .venv/bin/python ] || python3 -m venv .venv 2>/dev/null || { apt_install python3-venv && python3 -m venv .venv; }
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
command -v chromium >/dev/null || apt_install chromium
command -v redis-server >/dev/null || apt_install redis-server

.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
