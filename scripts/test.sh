#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Debian's Chromium and Firefox ESR, coturn, nginx,
# PostgreSQL and Redis: the tests start their own servers on free ports and stop them),
# builds the pages, checks types and style, runs unit and integration tests in parallel, then browser tests
# one at a time inside a private network namespace (the calls' traffic never leaves it).
# Usage: scripts/test.sh [all|unit|e2e]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $1 needs root (run as root, or install it yourself: $2)" >&2
    exit 1
  fi
}

ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v nft >/dev/null || missing+=(nftables)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v turnserver >/dev/null || missing+=(coturn)
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v openssl >/dev/null || missing+=(openssl)
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    need_root "installing ${missing[*]}" "apt-get install -y ${missing[*]}"
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v chromium >/dev/null || { echo "error: chromium is still missing" >&2; exit 1; }
}

[ -d node_modules ] || { echo "error: run 'npm ci' first" >&2; exit 1; }

summary_file="${WWB_SUMMARY_FILE:-$(mktemp)}"
[ -n "${WWB_SUMMARY_FILE:-}" ] || trap 'rm -f "$summary_file"' EXIT

# Runs node's test runner on the given files and records its pass/fail counts. A run never hangs: a test
# over 3 minutes fails, a file whose test left a connection open still ends (force exit), and the whole run
# is stopped after `limit` seconds (exit 124).
run_tests() {
  local label=$1 limit=$2
  shift 2
  local log
  log=$(mktemp)
  set +e
  timeout --kill-after=30 "$limit" node --import tsx --test --test-reporter=spec --test-force-exit \
    --test-timeout=180000 "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  [ "$status" -ne 124 ] || echo "error: the $label tests ran past ${limit} s and were stopped" >&2
  set -e
  echo "$label $(grep -E '^ℹ pass ' "$log" | awk '{print $3}') $(grep -E '^ℹ fail ' "$log" | awk '{print $3}')" >>"$summary_file"
  rm -f "$log"
  return "$status"
}

if [ "$what" = e2e-in-namespace ]; then
  # A private namespace: loopback, plus a veth pair with a default route because Firefox gathers no ICE
  # candidates on loopback alone. One browser call at a time: a call takes about half a core and 0.5 GB.
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip addr add 10.99.0.1/24 dev v0
  ip addr add 10.99.0.2/24 dev v1
  ip link set v0 up
  ip link set v1 up
  ip route add default dev v0
  mapfile -t files < <(find test/e2e -name '*.test.ts' | sort)
  run_tests e2e 2400 --test-concurrency=1 "${files[@]}"
  exit $?
fi

npm run --silent build:web
npm run --silent check
npm run --silent lint

status=0
ensure_debian_packages
if [ "$what" = all ] || [ "$what" = unit ]; then
  mapfile -t files < <(find src test/integration test/web -name '*.test.ts' 2>/dev/null | sort)
  run_tests unit 1500 "${files[@]}" || status=1
fi
if [ "$what" = all ] || [ "$what" = e2e ]; then
  need_root "the browser tests' private network namespace" "unshare -n"
  WWB_SUMMARY_FILE="$summary_file" unshare -n scripts/test.sh e2e-in-namespace ||
    status=1
fi

passed=$(awk '{s+=$2} END {print s+0}' "$summary_file")
failed=$(awk '{s+=$3} END {print s+0}' "$summary_file")
echo
echo "tests: $passed passed, $failed failed"
exit $status
