#!/usr/bin/env bash
# Installs Debian's Chromium (for the browser journeys), CJK fonts (so Chinese renders in
# screenshots) and Node's npm, then axe-core at the version pinned in package-lock.json
# (injected by tests/e2e/test_accessibility.py). Playwright cannot download its own
# browsers here.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! { command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" && command -v npm >/dev/null; }; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-browser: run as root (apt-get install chromium fonts-noto-cjk npm)" >&2
    exit 1
  fi
  # npm only where Node has none of its own (Debian's npm conflicts with NodeSource's nodejs).
  packages="chromium fonts-noto-cjk"
  command -v npm >/dev/null || packages="$packages npm"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
fi
bash scripts/install-axe.sh
