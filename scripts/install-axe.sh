#!/usr/bin/env bash
# axe-core for the accessibility crawl, exactly as package-lock.json pins it, into
# node_modules/ (git-ignored). Safe to run twice: nothing is fetched when it is there.
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=$(python3 -c 'import json; print(json.load(open("package-lock.json"))["packages"]["node_modules/axe-core"]["version"])')
have=$(python3 -c 'import json; print(json.load(open("node_modules/axe-core/package.json"))["version"])' 2>/dev/null || true)
if [ "$have" = "$wanted" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-axe: npm not found (scripts/install-browser.sh installs it)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
