#!/usr/bin/env bash
# Predict benchmark (issue: MoCoLSK and training): whole-scene downscaling throughput of `lstpipe predict` on a
# synthetic SIZE x SIZE scene (x4: LR at 120 m from the 30 m LST by GDAL's average), 256 px windows, 32 px overlap,
# for the small MoCoLSK of the demo (num-feats 8, 1 RCAB), FDSR and SRCNN, and for the default-width MoCoLSK on a
# 1024 x 1024 cut of the scene (it would take hours on the whole scene on CPU). Weights come from a short training
# run (throughput does not depend on them). Megapixels are output (HR) pixels. Each model runs with
# --consistency none and radiance (CONSISTENCY="none radiance"), interleaved, to price the residual correction.
# Usage: [MODELS="mocolsk-small fdsr srcnn"] [CONSISTENCY="none radiance"] [DEFAULT=1] bench/predict/run.sh [SIZE=8192] [THREADS=2]
# (DEFAULT=0 skips the default-width cut)   Results: bench/results/predict-SIZE.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${1:-8192}; threads=${2:-2}; models=${MODELS:-mocolsk-small fdsr srcnn}
work="$root/bench/results/predict-work"
report="$root/bench/results/predict-$size.md"
mkdir -p "$work"
"$root/scripts/setup.sh" --tests
lstpipe="$root/lstpipe"
scene="$root/bench/results/crop-work/scene-$size"
[[ -f "$scene/scene.json" ]] || "$lstpipe" synth --out "$scene" --size "$size" --force >/dev/null
lst=$(ls "$scene"/lst*.tif | head -1); gui=$(ls "$scene"/guidance*.tif | head -1)
[[ -f "$work/lr-$size.tif" ]] || gdalwarp -q -overwrite -r average -tr 120 120 "$lst" "$work/lr-$size.tif"
gdal_translate -q -srcwin 0 0 1024 1024 "$gui" "$work/cut-gui.tif"
gdal_translate -q -srcwin 0 0 256 256 "$work/lr-$size.tif" "$work/cut-lr.tif"

if [[ ! -f "$work/ds/split/train.txt" ]]; then
  "$lstpipe" synth --out "$work/small" --size 512 --seed 9 --force >/dev/null
  "$lstpipe" crop "$work/small" --out "$work/ds" --size 64 --force >/dev/null
  "$lstpipe" split 6:1:3 --dataset "$work/ds" --strategy spatial >/dev/null
fi
train() { # name, iterations, model options...
  local name=$1 n=$2; shift 2
  [[ -f "$work/$name/best.safetensors" ]] || "$lstpipe" train --dataset "$work/ds" --out "$work/$name" --force --scale 4 \
    --iterations "$n" --val-every "$n" --threads "$threads" "$@" >/dev/null
}
train mocolsk-small 20 --model mocolsk --num-feats 8 --n-resblocks 1 --reduction 4
train fdsr 20 --model fdsr
train srcnn 20 --model srcnn
train mocolsk-default 1 --model mocolsk

measure() { # checkpoint, lr, guidance, pixels, consistency -> "seconds mpx_per_s peak_rss_mb"
  /usr/bin/time -f "%e %M" -o "$work/time" "$lstpipe" predict --checkpoint "$work/$1/best.safetensors" --lst "$2" --guidance "$3" \
    --out "$work/out.tif" --threads "$threads" --consistency "$5" >"$work/predict.log" 2>&1
  read -r s kb <"$work/time"
  awk -v s="$s" -v kb="$kb" -v px="$4" 'BEGIN { printf "%.1f %.3f %.0f\n", s, px / 1e6 / s, kb / 1024 }'
}

{
  echo "# Predict benchmark, x4, 256 px windows with 32 px overlap, $threads threads"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, TorchSharp (libtorch-cpu) $(grep -o '"TorchSharp" Version="[^"]*' "$root/Directory.Packages.props" | sed 's/.*="//')"
  echo
  echo "| model | weights (elements) | scene | consistency | wall s | HR Mpx/s | peak RSS MB | consistency error K |"
  echo "|---|---|---|---|---|---|---|---|"
  for m in $models; do
    params=$(/usr/bin/python3 -c "import json,struct,sys,math; b=open(sys.argv[1],'rb'); n=struct.unpack('<Q',b.read(8))[0]; h=json.loads(b.read(n)); print(sum(math.prod(v['shape']) for k,v in h.items() if k!='__metadata__'))" "$work/$m/best.safetensors")
    for c in ${CONSISTENCY:-none radiance}; do
      read -r s mpx rss < <(measure "$m" "$work/lr-$size.tif" "$gui" $((size * size)) "$c")
      err=$(sed -n 's/.*, \([0-9.]*\) K written.*/\1/p' "$work/predict.log")
      echo "| $m | $params | $size x $size | $c | $s | $mpx | $rss | $err |"
    done
  done
  if [[ ${DEFAULT:-1} == 1 ]]; then
    for c in ${CONSISTENCY:-none radiance}; do
      read -r s mpx rss < <(measure mocolsk-default "$work/cut-lr.tif" "$work/cut-gui.tif" $((1024 * 1024)) "$c")
      err=$(sed -n 's/.*, \([0-9.]*\) K written.*/\1/p' "$work/predict.log")
      echo "| mocolsk (default width) | 25430841 | 1024 x 1024 | $c | $s | $mpx | $rss | $err |"
    done
  fi
} >"$report"
cat "$report"
