#!/usr/bin/env bash
# Faithful MoCoLSK (frozen dynamic MLP, batch-mean kernel) against --train-dynamic-mlp (trained, per-sample kernels):
# the same small x4 network (8 features, 1 RCAB), data, seeds and schedule; test metrics beside bicubic and the
# training time. Data: a 512 px synthetic scene (seed 1) cropped to 64 px tiles, spatial split, trainval / test.
# Usage: bench/train/dynamic_mlp.sh [ITERATIONS=400] [SEEDS="0 1"] [THREADS=2]   Results: bench/results/dynamic-mlp.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-400}; seeds=${2:-"0 1"}; threads=${3:-2}
work="$root/bench/results/dynamic-mlp-work"
report="$root/bench/results/dynamic-mlp.md"
lstpipe="$root/lstpipe"
mkdir -p "$work"
if [[ ! -f "$work/ds/split/test.txt" ]]; then
  "$lstpipe" synth --out "$work/scene" --size 512 --seed 1 --force >/dev/null
  "$lstpipe" crop "$work/scene" --out "$work/ds" --size 64 --force >/dev/null
  "$lstpipe" split 6:1:3 --dataset "$work/ds" --strategy spatial --block 2 >/dev/null
fi
{
  echo "# Faithful vs --train-dynamic-mlp: small MoCoLSK x4, $n iterations, lr 1e-3, 64 px tiles, spatial split (test)"
  echo
  echo "| variant | seed | train s | test RMSE K | MAE K | CC | bicubic RMSE K |"
  echo "|---|---|---|---|---|---|---|"
  for seed in $seeds; do
    for variant in faithful dynamic; do
      flag=(); [[ $variant == dynamic ]] && flag=(--train-dynamic-mlp)
      run="$work/$variant-$seed"
      start=$(date +%s.%N)
      "$lstpipe" train --dataset "$work/ds" --out "$run" --force --scale 4 --num-feats 8 --n-resblocks 1 --reduction 4 \
        --iterations "$n" --periods "$n" --val-every "$n" --lr 1e-3 --seed "$seed" --train-split trainval --val-split test \
        --threads "$threads" "${flag[@]}" >/dev/null
      secs=$(echo "$(date +%s.%N) - $start" | bc)
      "$lstpipe" test --checkpoint "$run/best.safetensors" --dataset "$work/ds" --out "$run/test" >/dev/null
      /usr/bin/python3 - "$run/test/metrics-test.csv" "$variant" "$seed" "$secs" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
m = lambda k: statistics.fmean(float(r[k]) for r in rows)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {float(sys.argv[4]):.0f} | {m('RMSE'):.4f} | {m('MAE'):.4f} | {m('CC'):.4f} | {m('bicubic_RMSE'):.4f} |")
PY
    done
  done
} >"$report"
cat "$report"
