#!/usr/bin/env bash
# Every test this machine can run: build, type-check, lint, then the unit, UI and lab tests (vitest),
# then a check that no lab namespace or process was left behind. Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output
passed=0
failed=0

step() {
  local name=$1
  shift
  echo "==> $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

step build npm run -s build
step typecheck npm run -s typecheck
step lint npm run -s lint

echo "==> vitest (unit, ui, lab)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json
vitest_status=$?
if [ -f test-output/vitest.json ]; then
  read -r vp vf < <(node -e '
    const r = JSON.parse(require("fs").readFileSync("test-output/vitest.json", "utf8"));
    // Suites that failed to load count as failures even when no test inside them ran.
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);
  ')
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$vitest_status" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
else
  echo "FAILED: vitest wrote no report"
  failed=$((failed + 1))
fi

if [ "$(id -u)" = 0 ]; then
  step "no lab leftovers" node dist/node/lab-cli.mjs check
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
