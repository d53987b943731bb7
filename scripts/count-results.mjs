// The closing line of scripts/test-all.sh: "N passed, N failed" over every step. Exits 1 when any failed.
// Arguments: unit report, unit exit code, e2e report, e2e exit code (or "skipped"), checks passed, checks failed.
// A suite whose report is missing or that exited non-zero without a failed test (a crash, a config error)
// counts as one failure, so nothing that went wrong can print "0 failed".
import { readFileSync } from 'node:fs';

const [unitPath, unitRc, e2ePath, e2eRc, checksPassed, checksFailed] = process.argv.slice(2);
const read = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return null;
  }
};

function suite(name, report, rc, count) {
  if (rc === 'skipped') return { name, passed: 0, failed: 1, line: 'skipped (build failed)' };
  if (!report) return { name, passed: 0, failed: 1, line: 'no report' };
  const { passed, failed } = count(report);
  const crashed = Number(rc) !== 0 && failed === 0 ? 1 : 0;
  const note = crashed ? ` (exited ${rc} with no failed test: counted as 1 failure)` : '';
  return { name, passed, failed: failed + crashed, line: `${passed} passed, ${failed} failed${note}` };
}

const suites = [
  suite('unit', read(unitPath), unitRc, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests })),
  suite('e2e', read(e2ePath), e2eRc, (r) => ({
    passed: r.stats.expected,
    failed: r.stats.unexpected + r.stats.flaky,
  })),
];
let passed = Number(checksPassed);
let failed = Number(checksFailed);
console.log('');
console.log(`checks (typecheck, lint, format, build): ${checksPassed} passed, ${checksFailed} failed`);
for (const s of suites) {
  console.log(`${s.name}: ${s.line}`);
  passed += s.passed;
  failed += s.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
