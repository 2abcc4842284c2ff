#!/usr/bin/env bash
# The whole test suite: setup (with the test references), formatting check, then every xunit project.
# Ends with one summary line: "tests: N passed, N failed, N skipped".
#   ./test.sh          everything (what CI runs)
#   ./test.sh --fast   the inner loop: the library projects (Core, Raster, Synthetic, Dataset, Ingest, Models), no
#                      formatting check; about a minute on 2 cores
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

fast=0
for arg in "$@"; do
  case "$arg" in
    --fast) fast=1 ;;
    *) echo "test.sh: unknown option '$arg' (use --fast)" >&2; exit 2 ;;
  esac
done

scripts/setup.sh --tests

targets=(GrokLstPipeline.sln)
if [[ $fast == 1 ]]; then
  targets=()
  for p in Core Raster Synthetic Dataset Ingest Models; do
    targets+=("artifacts/bin/LstPipe.$p.Tests/release/LstPipe.$p.Tests.dll")
  done
else
  echo "== dotnet format --verify-no-changes"
  dotnet format GrokLstPipeline.sln --verify-no-changes --no-restore
fi

echo "== dotnet test"
export OMP_NUM_THREADS=1 LSTPIPE_THREADS=1
log=$(mktemp)
set +e
if [[ $fast == 1 ]]; then
  dotnet test "${targets[@]}" --nologo 2>&1 | tee "$log"
else
  dotnet test GrokLstPipeline.sln -c Release --no-build --nologo 2>&1 | tee "$log"
fi
status=${PIPESTATUS[0]}
set -e

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
rm -f "$log"
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [[ $status != 0 || ${failed:-0} != 0 || ${passed:-0} == 0 ]]; then
  exit 1
fi
