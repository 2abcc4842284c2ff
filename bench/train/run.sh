#!/usr/bin/env bash
# Training-step benchmark (issue: MoCoLSK and training). Same machine, same run, same thread count:
#   bench/TorchBench train (C# MoCoLSK-Net x4 on the tensor engine)   vs
#   mocolsk_reference.py (PyTorch 1.13, written from GROKLST.md; checked against ../shared/golden first)
# one step = forward + L1 + backward + AdamW, default width (25.4 M parameters), batch 1, HR 128 px; median of STEPS.
# Usage: bench/train/run.sh [THREADS=1] [STEPS=5]   Results: bench/results/train.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
threads=${1:-1}; steps=${2:-5}
"$root/scripts/setup.sh" --tests
mkdir -p "$root/bench/results"
export OMP_WAIT_POLICY=PASSIVE
[[ -d "$root/../shared/golden" ]] && /usr/bin/python3 "$root/bench/train/mocolsk_reference.py" --check "$root/../shared/golden/mocolsk_x2_small.safetensors" >&2
rows=()
for run in 1 2; do
  rows+=("$(dotnet "$root/artifacts/bin/TorchBench/release/TorchBench.dll" train "$threads" 128 "$steps")")
  rows+=("$(/usr/bin/python3 "$root/bench/train/mocolsk_reference.py" "$threads" 128 "$steps")")
done
printf '%s\n' "${rows[@]}" >&2
/usr/bin/python3 - "${rows[@]}" >"$root/bench/results/train.md" <<'PY'
import json, statistics, sys
rows = [json.loads(a) for a in sys.argv[1:]]
o = statistics.median(r["step_s"] for r in rows if r["tool"] == "lstpipe")
p = statistics.median(r["step_s"] for r in rows if r["tool"] == "pytorch")
params = rows[0]["params"]
print(f"# MoCoLSK x4 training step, default width ({params:,} parameters), batch 1, HR 128, {rows[0]['threads']} thread(s)\n")
print("| tool | step s | ratio |\n|---|---|---|")
print(f"| lstpipe (C#) | {o:.3f} | {o/p:.3f} |\n| PyTorch 1.13 | {p:.3f} | 1 |")
PY
cat "$root/bench/results/train.md"
