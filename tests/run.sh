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
# The translate extra (argostranslate) needs stanza, which needs torch: installed first, pip keeps this CPU
# build (a local wheel on the CI machines) instead of fetching a CUDA build of several gigabytes.
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e '.[dev,translate]'
command -v chromium >/dev/null || apt_install chromium
command -v redis-server >/dev/null || apt_install redis-server

.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
