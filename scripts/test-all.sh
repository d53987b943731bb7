#!/usr/bin/env bash
# Installs what the tests need and runs every check: typecheck, lint, format, unit, build, e2e.
# Ends with one line "N passed, N failed" summing the unit and e2e suites. Used by .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }
fail=0
run() {
  step "$1"
  shift
  if ! "$@"; then
    echo "!! failed: $*"
    fail=1
  fi
}

CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM_PATH" ]; then
  step "installing Debian's Chromium (for the e2e tests)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  else
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  fi || { echo "Could not install chromium; install it with: apt-get install chromium"; exit 1; }
fi
export CHROMIUM_PATH

step "npm ci"
npm ci --no-audit --no-fund || { echo "npm ci failed"; exit 1; }

reports=$(mktemp -d)
run typecheck npm run -s typecheck
run lint npm run -s lint
run format:check npm run -s format:check
run "unit tests (vitest)" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
run build npm run -s build
run "e2e tests (playwright, chromium, webgpu on SwiftShader)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json

node -e '
const fs = require("fs");
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } };
const unit = read(process.argv[1]);
const e2e = read(process.argv[2]);
let passed = 0, failed = 0;
if (unit) { passed += unit.numPassedTests; failed += unit.numFailedTests; } else failed += 1;
if (e2e) { passed += e2e.stats.expected; failed += e2e.stats.unexpected + e2e.stats.flaky; } else failed += 1;
console.log(`\nunit: ${unit ? unit.numPassedTests + " passed, " + unit.numFailedTests + " failed" : "no report"}`);
console.log(`e2e: ${e2e ? e2e.stats.expected + " passed, " + e2e.stats.unexpected + " failed" : "no report"}`);
console.log(`${passed} passed, ${failed} failed`);
' "$reports/unit.json" "$reports/e2e.json"
exit $fail
