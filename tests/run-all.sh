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

# One project at a time: the lab's private Tor network has tight timings that a busy 2-core machine can miss.
for project in unit ui lab; do
  echo "==> vitest: $project"
  report="test-output/vitest-$project.json"
  rm -f "$report"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$report"
  status=$?
  if [ -f "$report" ]; then
    read -r vp vf < <(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      // A file that failed to load counts as a failure even though no test in it ran.
      const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
      console.log(r.numPassedTests, r.numFailedTests + broken);
    ' "$report")
    passed=$((passed + vp))
    failed=$((failed + vf))
    if [ "$status" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
  else
    echo "FAILED: vitest $project wrote no report"
    failed=$((failed + 1))
  fi
done

if [ "$(id -u)" = 0 ]; then
  step "no lab leftovers" node dist/node/lab-cli.mjs check
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
