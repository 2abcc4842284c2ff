#!/usr/bin/env bash
# The whole test suite: setup (with the test references), formatting check, then every xunit project.
# Ends with one summary line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/setup.sh --tests

echo "== dotnet format --verify-no-changes"
dotnet format GrokLstPipeline.sln --verify-no-changes --no-restore

echo "== dotnet test"
export OMP_NUM_THREADS=1 LSTPIPE_THREADS=1
log=$(mktemp)
set +e
dotnet test GrokLstPipeline.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [[ $status != 0 || ${failed:-0} != 0 || ${passed:-0} == 0 ]]; then
  exit 1
fi
