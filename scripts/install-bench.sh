#!/usr/bin/env bash
# Installs wrk (Debian's package), the HTTP load generator `make benchmark` drives.
set -euo pipefail
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-bench: run as root (apt-get install wrk)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
