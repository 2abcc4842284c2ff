#!/usr/bin/env bash
# Training and inference runtime (issue 27), one run, same machine, side by side:
#   predict: MoCoLSK x4 forwards as `lstpipe predict` runs them (TorchBench predict), default width and small
#            (8 features, 1 RCAB), fp32 and bf16, BATCH 1 and 4 windows of HR px per forward; HR Mpx/s
#   train:   one MoCoLSK x4 training step, default width, batch 1 and 4, against PyTorch 1.13 running the same
#            network (bench/train/mocolsk_reference.py)
#   threads: the small model's batch-4 forward on 1 thread and on all cores, alone and beside a busy loop on one
#            core, with OpenMP waiting passively (lstpipe's default) and actively (libgomp's default)
# Usage: bench/runtime/run.sh [HR=128] [STEPS=3] [TRAIN_HR=64]   Results: bench/results/runtime.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
hr=${1:-128}; steps=${2:-3}; train_hr=${3:-64}
cores=$(nproc)
"$root/scripts/setup.sh" --tests >&2
mkdir -p "$root/bench/results"
bench() { dotnet "$root/artifacts/bin/TorchBench/release/TorchBench.dll" "$@"; }
rows=()
for width in default small; do
  for precision in fp32 bf16; do
    for batch in 1 4; do
      rows+=("$(bench predict "$cores" "$hr" "$steps" "$width" "$precision" "$batch")"); echo "${rows[-1]}" >&2
    done
  done
done
for batch in 1 4; do
  rows+=("$(bench train "$cores" "$train_hr" "$steps" cpu "$batch")"); echo "${rows[-1]}" >&2
  rows+=("$(/usr/bin/python3 "$root/bench/train/mocolsk_reference.py" "$cores" "$train_hr" "$steps" cpu "$batch")")
  echo "${rows[-1]}" >&2
done
for load in 0 1; do
  [[ $load == 1 ]] && { (while :; do :; done) & busy=$!; }
  for wait in PASSIVE ACTIVE; do
    for threads in 1 "$cores"; do
      row=$(OMP_WAIT_POLICY=$wait bench predict "$threads" "$hr" "$steps" small fp32 4)
      rows+=("${row%\}}, \"busy_loop\": $load}"); echo "${rows[-1]}" >&2
    done
  done
  [[ $load == 1 ]] && kill "$busy"
done
TRAIN_HR=$train_hr /usr/bin/python3 "$root/bench/runtime/table.py" "${rows[@]}" >"$root/bench/results/runtime.md"
cat "$root/bench/results/runtime.md"
