#!/usr/bin/env bash
# predict throughput of the two engines (issue 29), one run, same machine, interleaved forward by forward in one process
# (TorchBench onnx): MoCoLSK x4 through TorchSharp (fp32, bf16) and through ONNX Runtime 1.32 on the graph
# `lstpipe convert` writes (fp32, and its convolutions dynamically quantized to int8), the same weights and inputs;
# default width and small (8 features, 1 RCAB), BATCH 1 and 4 windows of HR px; HR Mpx/s and each output's RMSE
# against TorchSharp fp32's.
# Usage: bench/onnx/run.sh [HR=128] [STEPS=3] [THREADS=all cores]   Results: bench/results/onnx.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
hr=${1:-128}; steps=${2:-3}; threads=${3:-$(nproc)}
"$root/scripts/setup.sh" --tests >&2
mkdir -p "$root/bench/results"
rows=()
for width in default small; do
  for batch in 1 4; do
    while IFS= read -r row; do
      rows+=("$row"); echo "$row" >&2
    done < <(dotnet "$root/artifacts/bin/TorchBench/release/TorchBench.dll" onnx "$threads" "$hr" "$steps" "$width" "$batch")
  done
done
/usr/bin/python3 "$root/bench/onnx/table.py" "${rows[@]}" >"$root/bench/results/onnx.md"
cat "$root/bench/results/onnx.md"
