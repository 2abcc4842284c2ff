#!/usr/bin/env bash
# Tensor-engine benchmark (issue: tensor engine). Same machine, same run, same thread count:
#   bench/TorchBench (C# over TorchSharp)   vs   peer_torch.py (PyTorch 1.13 under /usr/bin/python3)
# conv2d forward+backward (batch 4, 64->64, 3x3, 128x128; median of 10) and a tiny op's per-call time.
# Each side runs 3 times interleaved; the table keeps the median of the runs.
# Usage: bench/torch/run.sh [THREADS...=1 2]   Results: bench/results/torch.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$root/scripts/setup.sh" --tests
threads=("${@:-1 2}")
[[ $# -eq 0 ]] && threads=(1 2)
mkdir -p "$root/bench/results"
report="$root/bench/results/torch.md"
export OMP_WAIT_POLICY=PASSIVE
{
  echo "# Tensor engine vs PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $(nproc) cores"
  echo
  echo "| threads | conv fwd+bwd ms (lstpipe) | conv ms (PyTorch) | ratio | tiny op us (lstpipe) | tiny op us (PyTorch) | ratio |"
  echo "|---|---|---|---|---|---|---|"
} >"$report"
for t in "${threads[@]}"; do
  ours=(); peer=()
  for run in 1 2 3; do
    ours+=("$(dotnet "$root/artifacts/bin/TorchBench/release/TorchBench.dll" "$t")")
    peer+=("$(/usr/bin/python3 "$root/bench/torch/peer_torch.py" "$t")")
  done
  printf '%s\n' "${ours[@]}" "${peer[@]}" >&2
  /usr/bin/python3 - "$t" "${ours[@]}" "${peer[@]}" >>"$report" <<'PY'
import json, statistics, sys
t = sys.argv[1]
rows = [json.loads(a) for a in sys.argv[2:]]
o = [r for r in rows if r["tool"] == "lstpipe"]
p = [r for r in rows if r["tool"] == "pytorch"]
m = lambda rs, k: statistics.median(r[k] for r in rs)
print(f"| {t} | {m(o,'conv_ms'):.1f} | {m(p,'conv_ms'):.1f} | {m(o,'conv_ms')/m(p,'conv_ms'):.3f} | {m(o,'tiny_us'):.2f} | {m(p,'tiny_us'):.2f} | {m(o,'tiny_us')/m(p,'tiny_us'):.3f} |")
PY
done
cat "$report"
