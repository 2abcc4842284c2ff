#!/usr/bin/env bash
# Parquet export benchmark (issue: Parquet shards). Crops the synthetic scene of bench/crop (uncompressed .mat, so
# reading the tiles back costs little), then exports it with each codec and float encoding and reports write
# throughput (MB of float data per second) and bytes on disk beside the .mat output, zlib and raw.
# Usage: bench/parquet/run.sh [SIZE=8192]   Results: bench/results/parquet-SIZE.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${1:-8192}
work="$root/bench/results/parquet-work"
report="$root/bench/results/parquet-$size.md"
mkdir -p "$work"
"$root/scripts/setup.sh"
lstpipe="$root/lstpipe"
scene="$root/bench/results/crop-work/scene-$size"
[[ -f "$scene/scene.json" ]] || "$lstpipe" synth --out "$scene" --size "$size" --force >/dev/null
rm -rf "$work/ds"
"$lstpipe" crop "$scene" --out "$work/ds" --no-compress >/dev/null
mat_raw=$(du -sm --exclude=parquet "$work/ds" | cut -f1)
raw_floats_mb=$(du -smc "$work"/ds/*m/ | tail -1 | cut -f1)
{
  echo "# Parquet export, ${size} x ${size} synthetic scene ($(ls "$work/ds/30m/lst" | wc -l) tiles x 4 scales), $(nproc) cores"
  echo
  echo "MAT output for comparison: raw ${mat_raw} MB; zlib: see bench/results/crop-${size}.md"
  echo
  echo "| codec | floats | wall s | MB/s (raw floats) | MB on disk | vs raw .mat |"
  echo "|---|---|---|---|---|---|"
} >"$report"
for codec in zstd gzip none; do
  for enc in byte-stream-split plain; do
    /usr/bin/time -f "%e" -o "$work/t" "$lstpipe" export --dataset "$work/ds" --codec "$codec" --encoding "$enc" >/dev/null
    secs=$(cat "$work/t")
    mb=$(du -sm "$work/ds/parquet" | cut -f1)
    awk -v c="$codec" -v e="$enc" -v s="$secs" -v r="$raw_floats_mb" -v m="$mb" -v mr="$mat_raw" \
      'BEGIN { printf "| %s | %s | %.1f | %.0f | %d | %.2f |\n", c, e, s, r / s, m, m / mr }' >>"$report"
  done
done
rm -rf "$work/ds"
cat "$report"
