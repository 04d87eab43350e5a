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

count() {
  # "passed failed" from a vitest JSON report; a file that failed to load counts as a failure.
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);
  ' "$1"
}

failed_files() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const f of r.testResults) if (f.status !== "passed") console.log(f.name);
  ' "$1"
}

# One project at a time: the lab's private Tor network has tight timings that a busy 2-core machine can miss.
for project in unit ui lab; do
  echo "==> vitest: $project"
  report="test-output/vitest-$project.json"
  rm -f "$report"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$report"
  status=$?
  if [ ! -f "$report" ]; then
    echo "FAILED: vitest $project wrote no report"
    failed=$((failed + 1))
    continue
  fi
  read -r vp vf < <(count "$report")
  if [ "$project" = lab ] && [ "$vf" -gt 0 ]; then
    # Lab files build a whole small internet and race real timers (a Tor consensus lives ~20 s); on a
    # loaded 2-core machine one can miss. A failed file gets one more run in a fresh lab. Both runs are
    # printed, and the flake is named so it gets fixed, not forgotten.
    mapfile -t flaky < <(failed_files "$report")
    echo "==> vitest: lab, retrying ${#flaky[@]} failed file(s) once in a fresh lab: ${flaky[*]}"
    retry="test-output/vitest-lab-retry.json"
    rm -f "$retry"
    npx vitest run --project lab --reporter=default --reporter=json --outputFile.json="$retry" "${flaky[@]}"
    status=$?
    if [ -f "$retry" ]; then
      read -r rp rf < <(count "$retry")
      # The first run's passes in the files that did not need a retry, plus everything the retry says.
      read -r kept < <(node -e '
        const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        let n = 0;
        for (const f of r.testResults) if (f.status === "passed") n += f.assertionResults.filter((a) => a.status === "passed").length;
        console.log(n);
      ' "$report")
      echo "FLAKY (failed once, retried): ${flaky[*]}"
      vp=$((kept + rp))
      vf=$rf
    fi
  fi
  passed=$((passed + vp))
  failed=$((failed + vf))
  if [ "$status" -ne 0 ] && [ "$vf" -eq 0 ]; then failed=$((failed + 1)); fi
done

if [ "$(id -u)" = 0 ]; then
  step "no lab leftovers" node dist/node/lab-cli.mjs check
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
