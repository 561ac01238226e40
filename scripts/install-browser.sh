#!/usr/bin/env bash
# Installs Debian's Chromium (for the browser journeys) and CJK fonts (so Chinese
# renders in screenshots). Playwright cannot download its own browsers here.
set -euo pipefail
if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-browser: run as root (apt-get install chromium fonts-noto-cjk)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
