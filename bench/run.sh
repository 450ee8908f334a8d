#!/usr/bin/env bash
# npm run bench: builds the service and the pages, then runs every benchmark inside a private network namespace
# (loopback only: the calls' traffic and every load stay on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "error: chromium is missing (apt-get install -y chromium)" >&2; exit 1; }
npm run --silent build
if [ "$(id -u)" -eq 0 ]; then
  exec unshare -n bash -c 'ip link set lo up && exec node --import tsx bench/run.ts'
fi
echo "warning: not root, so no private network namespace: Chromium may also use this machine's other addresses" >&2
exec node --import tsx bench/run.ts
