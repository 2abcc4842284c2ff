#!/usr/bin/env bash
# When does the radiance consistency correction help? (#24) Predicts the same scene from an aligned coarse LST (block
# means on the model's LR grid) and from the same coarse LST reprojected to WGS 84 (another CRS and pixel size, as a
# MODIS or ECOSTRESS product comes), each with --consistency none and radiance, and prints the RMSE against the truth.
#  - synthetic: a small x4 MoCoLSK (8 features, 300 iterations) trained on a 1024 px scene (seed 1), predicting a
#    512 px scene it never saw (seed 7); 30 m truth, 120 m coarse LST.
#  - landsat8: the Landsat 8 sample of tests/data, truth at TIRS's native resolution (crop --truth native: 120 m), a
#    small x2 MoCoLSK trained 300 iterations on its tiles; 240 m coarse LST; guidance averaged to 120 m.
# Usage: bench/predict/consistency.sh [ITERATIONS=300]   Results: bench/results/consistency.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
iterations=${1:-300}
work="$root/bench/results/consistency-work"; report="$root/bench/results/consistency.md"
rm -rf "$work"; mkdir -p "$work"
"$root/scripts/setup.sh" --tests
lstpipe="$root/lstpipe"; py=/usr/bin/python3
small=(--num-feats 8 --n-resblocks 1 --reduction 4 --lr 1e-3 --iterations "$iterations" --val-every "$iterations")
warp() { "$py" -c "from osgeo import gdal; gdal.UseExceptions(); gdal.Warp('$2', '$1', dstSRS='EPSG:4326', xRes=$3, yRes=$3, resampleAlg='average', dstNodata=-9999)"; }
rmse() { "$lstpipe" predict --checkpoint "$1" --lst "$2" --guidance "$3" --truth "$4" --out "$work/p.tif" --consistency "$5" \
  | sed -n 's/^RMSE against .*: \([0-9.]*\) K$/\1/p'; }

"$lstpipe" synth --out "$work/train" --size 1024 --seed 1 >/dev/null
"$lstpipe" crop "$work/train" --out "$work/ds" --size 64 >/dev/null
"$lstpipe" split 6:1:3 --dataset "$work/ds" --strategy spatial >/dev/null
"$lstpipe" train --dataset "$work/ds" --out "$work/run" --scale 4 "${small[@]}" >/dev/null
"$lstpipe" synth --out "$work/scene" --size 512 --seed 7 >/dev/null
"$lstpipe" degrade "$work/scene" --scale 4 --out "$work/lr-aligned.tif" >/dev/null
warp "$work/lr-aligned.tif" "$work/lr-wgs84.tif" 0.0013

"$lstpipe" ingest --recipe "$root/pipelines/landsat-l1.yaml" --input "$root/tests/data/landsat8-l1-gulfcoast" --out "$work/l8" >/dev/null 2>&1
"$lstpipe" crop "$work/l8" --out "$work/l8ds" --size 32 --max-nodata 0.3 --truth native >/dev/null
"$lstpipe" split 6:1:3 --dataset "$work/l8ds" >/dev/null
"$lstpipe" train --dataset "$work/l8ds" --out "$work/l8run" --scale 2 "${small[@]}" >/dev/null
"$py" -c "from osgeo import gdal; gdal.UseExceptions()
for n in ('guidance', 'lst'): gdal.Warp('$work/l8-%s-120.tif' % n, '$work/l8/%s.tif' % n, xRes=120, yRes=120, resampleAlg='average')"
"$lstpipe" degrade "$work/l8" --scale 8 --out "$work/l8-lr-aligned.tif" >/dev/null
warp "$work/l8-lr-aligned.tif" "$work/l8-lr-wgs84.tif" 0.0025

{
  echo "| scene | coarse LST | none: RMSE K | radiance: RMSE K |"
  echo "|---|---|---|---|"
  for kind in aligned wgs84; do
    echo "| synthetic 512 px (seed 7), x4 | $kind | $(rmse "$work/run/best.safetensors" "$work/lr-$kind.tif" "$work/scene/guidance.tif" "$work/scene/lst.tif" none) | $(rmse "$work/run/best.safetensors" "$work/lr-$kind.tif" "$work/scene/guidance.tif" "$work/scene/lst.tif" radiance) |"
  done
  for kind in aligned wgs84; do
    echo "| Landsat 8 (120 m truth), x2 | $kind | $(rmse "$work/l8run/best.safetensors" "$work/l8-lr-$kind.tif" "$work/l8-guidance-120.tif" "$work/l8-lst-120.tif" none) | $(rmse "$work/l8run/best.safetensors" "$work/l8-lr-$kind.tif" "$work/l8-guidance-120.tif" "$work/l8-lst-120.tif" radiance) |"
  done
} | tee "$report"
