#!/usr/bin/env bash
# TorchSharp (this tree) against the project's former libtorch shim (a git revision before the move, built in a
# worktree) and PyTorch 1.13 under /usr/bin/python3: conv2d forward+backward and one MoCoLSK x4 training step
# (default width, batch 1, HR 128), same machine, same run, same threads, interleaved, medians.
# Usage: bench/torch/vs_shim.sh [REV=2b3c80b] [THREADS=1] [ROUNDS=3] [STEPS=3]   Results: bench/results/vs_shim.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rev=${1:-2b3c80b}; threads=${2:-1}; rounds=${3:-3}; steps=${4:-3}
"$root/scripts/setup.sh" --tests
old=/tmp/lstpipe-shim-$rev
if [[ ! -f $old/artifacts/bin/TorchBench/release/TorchBench.dll ]]; then
  git -C "$root" worktree add -f "$old" "$rev" >/dev/null 2>&1 || true
  "$old/scripts/setup.sh" --tests >&2
fi
export OMP_WAIT_POLICY=PASSIVE
new="$root/artifacts/bin/TorchBench/release/TorchBench.dll"
shim="$old/artifacts/bin/TorchBench/release/TorchBench.dll"
rows=()
for r in $(seq "$rounds"); do
  rows+=("torchsharp conv $(dotnet "$new" "$threads")")
  rows+=("shim conv $(dotnet "$shim" "$threads")")
  rows+=("pytorch conv $(/usr/bin/python3 "$root/bench/torch/peer_torch.py" "$threads")")
  rows+=("torchsharp train $(dotnet "$new" train "$threads" 128 "$steps")")
  rows+=("shim train $(dotnet "$shim" train "$threads" 128 "$steps")")
  rows+=("pytorch train $(/usr/bin/python3 "$root/bench/train/mocolsk_reference.py" "$threads" 128 "$steps")")
done
printf '%s\n' "${rows[@]}" >&2
mkdir -p "$root/bench/results"
/usr/bin/python3 - "$threads" "${rows[@]}" >"$root/bench/results/vs_shim.md" <<'PY'
import json, statistics, sys
threads = sys.argv[1]
data = {}
for row in sys.argv[2:]:
    tool, kind, js = row.split(" ", 2)
    r = json.loads(js)
    data.setdefault((tool, kind), []).append(r["conv_ms"] if kind == "conv" else r["step_s"])
m = {k: statistics.median(v) for k, v in data.items()}
print(f"# TorchSharp (libtorch 2.10) vs the former shim (libtorch 1.13) vs PyTorch 1.13, {threads} thread(s), medians of {len(data[('pytorch', 'conv')])} interleaved rounds\n")
print("| measure | TorchSharp | shim | PyTorch | TorchSharp / PyTorch | TorchSharp / shim |\n|---|---|---|---|---|---|")
for kind, label in (("conv", "conv2d fwd+bwd ms (4x64x128x128, 3x3)"), ("train", "MoCoLSK x4 step s (default width, HR 128)")):
    t, s, p = m[("torchsharp", kind)], m[("shim", kind)], m[("pytorch", kind)]
    print(f"| {label} | {t:.3f} | {s:.3f} | {p:.3f} | {t / p:.3f} | {t / s:.3f} |")
PY
cat "$root/bench/results/vs_shim.md"
