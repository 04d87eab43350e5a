#!/usr/bin/env bash
# Every test this machine can run: build, type-check, lint, then each vitest project, then a check that no
# lab namespace or process was left behind. Ends with one line that starts "N passed, N failed" (CI reads
# that) and says how many tests were skipped and why.
#
# No retries, anywhere: a failed file is a failure, even if it would pass a second time (a leak seen once
# is a leak). Failures outside tests count too: a file that did not load, a hook that threw, an unhandled
# error or rejection (tests/run-all-reporter.ts collects them; vitest's JSON report drops them).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output

# The vitest projects, in order (one at a time: the lab's private Tor network has tight timings that a busy
# 2-core machine can miss). To add one, define it in vitest.config.ts and append its name here.
PROJECTS=(unit ui lab)
# The VM suite needs root and qemu (installed by .ci/setup); on CI both are there, so it always runs.
if [ "$(id -u)" = 0 ] && command -v qemu-system-x86_64 >/dev/null; then PROJECTS+=(vm); fi
# Projects whose skipped tests count as failures on CI as root: there a lab test that skips because a
# tool is missing hides a missing check, not a limit of the machine.
STRICT_ON_CI=(lab vm)

passed=0
failed=0
skipped_root=0
skipped_missing=0
skipped_marked=0

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

contains() {
  local want=$1
  shift
  local item
  for item in "$@"; do [ "$item" = "$want" ] && return 0; done
  return 1
}

step build npm run -s build
step typecheck npm run -s typecheck
step lint npm run -s lint

strict=0
if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ]; then strict=1; fi

for project in "${PROJECTS[@]}"; do
  echo "==> vitest: $project"
  summary="test-output/vitest-$project-summary.json"
  rm -f "$summary"
  BURROW_RUN_SUMMARY="$summary" npx vitest run --project "$project" \
    --reporter=default --reporter=./tests/run-all-reporter.ts \
    --reporter=json --outputFile.json="test-output/vitest-$project.json"
  status=$?
  if [ ! -f "$summary" ]; then
    echo "FAILED: vitest $project wrote no summary (exit $status)"
    failed=$((failed + 1))
    continue
  fi
  project_strict=0
  if [ "$strict" = 1 ] && contains "$project" "${STRICT_ON_CI[@]}"; then project_strict=1; fi
  # "passed failed skipped-not-root skipped-missing skipped-marked", and the reasons on stderr.
  read -r vp vf sr sm sk < <(node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const strict = process.argv[2] === "1";
    const project = process.argv[3];
    let failed = s.failed + s.outside.length;
    for (const line of s.outside) console.error(`FAILED (outside a test) [${project}] ${line}`);
    const by = (reason) => s.skipped.filter((t) => t.reason === reason);
    if (strict) {
      // On CI as root nothing in this project may skip for want of root or a tool.
      for (const t of [...by("not-root"), ...by("missing")]) console.error(`FAILED (skipped on CI) [${project}] ${t.name}`);
      failed += by("not-root").length + by("missing").length;
    }
    for (const f of s.failedFiles) console.error(`FAILED FILE [${project}] ${f}`);
    const counts = strict ? [0, 0] : [by("not-root").length, by("missing").length];
    console.log(s.passed, failed, counts[0], counts[1], by("skip").length);
  ' "$summary" "$project_strict" "$project")
  if [ "$status" -ne 0 ] && [ "$vf" -eq 0 ]; then
    echo "FAILED: vitest $project exited $status with no failure counted"
    vf=1
  fi
  echo "==> vitest $project: $vp passed, $vf failed, $((sr + sm + sk)) skipped"
  passed=$((passed + vp))
  failed=$((failed + vf))
  skipped_root=$((skipped_root + sr))
  skipped_missing=$((skipped_missing + sm))
  skipped_marked=$((skipped_marked + sk))
done

if [ "$(id -u)" = 0 ]; then
  step "no lab leftovers" node dist/node/lab-cli.mjs check
fi

line="$passed passed, $failed failed"
skipped=$((skipped_root + skipped_missing + skipped_marked))
if [ "$skipped" -gt 0 ]; then
  reasons=()
  [ "$skipped_root" -gt 0 ] && reasons+=("not root")
  [ "$skipped_missing" -gt 0 ] && reasons+=("a tool or feature missing")
  [ "$skipped_marked" -gt 0 ] && reasons+=("marked skip or todo")
  if [ "${#reasons[@]}" -eq 1 ]; then
    line="$line, $skipped skipped (${reasons[0]})"
  else
    parts=()
    [ "$skipped_root" -gt 0 ] && parts+=("$skipped_root not root")
    [ "$skipped_missing" -gt 0 ] && parts+=("$skipped_missing a tool or feature missing")
    [ "$skipped_marked" -gt 0 ] && parts+=("$skipped_marked marked skip or todo")
    line="$line, $skipped skipped ($(IFS=';'; echo "${parts[*]}" | sed 's/;/, /g'))"
  fi
fi
echo "$line"
[ "$failed" -eq 0 ]
