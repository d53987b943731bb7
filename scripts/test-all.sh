#!/usr/bin/env bash
# Installs what the tests need and runs every check: typecheck, lint, format, unit, build, e2e.
# Ends with one line "N passed, N failed" that counts every step: each test of the unit and e2e suites,
# and each of typecheck, lint, format, build and the studio bundle's check (no lab code) as one check.
# A failed build skips e2e (it would test a stale dist/) and counts e2e as failed. Used by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
checks_passed=0
checks_failed=0
# A check that is one pass or one failure in the closing line.
check() {
  step "$1"
  shift
  if "$@"; then
    checks_passed=$((checks_passed + 1))
    return 0
  fi
  echo "!! failed: $*"
  checks_failed=$((checks_failed + 1))
  return 1
}

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM_PATH" ]; then
  step "installing Debian's Chromium (for the e2e tests)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  else
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  fi || { echo "Could not install chromium; install it with: apt-get install chromium"; echo "0 passed, 1 failed"; exit 1; }
fi
export CHROMIUM_PATH

step "npm ci"
npm ci --no-audit --no-fund || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }

reports=$(mktemp -d)
check typecheck npm run -s typecheck
check lint npm run -s lint
check format:check npm run -s format:check
step "unit tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
unit_rc=$?
if check build npm run -s build; then
  check "the studio's bundle holds no lab code" node scripts/studio-bundle.mjs
  step "e2e tests (playwright, chromium, webgpu on SwiftShader)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json
  e2e_rc=$?
else
  echo "!! e2e skipped: the build failed, and dist/ would be stale"
  e2e_rc=skipped
fi

node scripts/count-results.mjs "$reports/unit.json" "$unit_rc" "$reports/e2e.json" "$e2e_rc" \
  "$checks_passed" "$checks_failed"
