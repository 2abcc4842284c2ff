#!/usr/bin/env bash
# Crop benchmark (issue: dataset construction). Same synthetic scene, same machine, same run:
#   lstpipe crop        (C#, matio, all cores)
#   peer_crop.py        (GDAL Python + numpy + scipy.io.savemat under /usr/bin/python3, one process)
# for zlib-compressed and uncompressed MAT output, plus dd's sequential write speed of the same disk.
# Usage: bench/crop/run.sh [SIZE=8192]   Results: bench/results/crop-SIZE.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${1:-8192}
work="$root/bench/results/crop-work"
report="$root/bench/results/crop-$size.md"
mkdir -p "$work"
"$root/scripts/setup.sh" --tests
lstpipe="$root/lstpipe"
scene="$work/scene-$size"
[[ -f "$scene/scene.json" ]] || "$lstpipe" synth --out "$scene" --size "$size" --force >/dev/null

measure() { # name, command... -> "wall_s peak_rss_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1
  cat "$work/$name.time"
}

dd_mbps=$(dd if=/dev/zero of="$work/dd.tmp" bs=1M count=2048 oflag=direct conv=fdatasync 2>&1 | awk '/copied/ { print $(NF-1) * ($NF == "GB/s" ? 1000 : 1) }')
rm -f "$work/dd.tmp"

{
  echo "# Crop benchmark, ${size} x ${size} synthetic scene, 512 px tiles at 0.5 overlap, scales 1,2,4,8"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; disk sequential write (dd, 2 GiB, direct): ${dd_mbps} MB/s"
  echo
  echo "| output | tool | wall s | tiles/s | MB written | MB/s | peak RSS MB | speed-up vs peer |"
  echo "|---|---|---|---|---|---|---|---|"
} >"$report"

for mode in zlib none; do
  flag=(); compress=1
  [[ $mode == none ]] && flag=(--no-compress) && compress=0
  rm -rf "$work/ours" "$work/peer"
  read -r ours_s ours_kb < <(measure "ours-$mode" "$lstpipe" crop "$scene" --out "$work/ours" "${flag[@]}")
  tiles=$(ls "$work/ours/30m/lst" | wc -l)
  ours_mb=$(du -sm "$work/ours" | cut -f1)
  read -r peer_s peer_kb < <(measure "peer-$mode" /usr/bin/python3 "$root/bench/crop/peer_crop.py" "$scene" "$work/peer" 512 0.5 "$compress")
  peer_tiles=$(ls "$work/peer/30m/lst" | wc -l)
  peer_mb=$(du -sm "$work/peer" | cut -f1)
  [[ $tiles == "$peer_tiles" ]] || { echo "tile counts differ: $tiles vs $peer_tiles" >&2; exit 1; }
  awk -v m="$mode" -v t="$tiles" -v os="$ours_s" -v okb="$ours_kb" -v omb="$ours_mb" -v ps="$peer_s" -v pkb="$peer_kb" -v pmb="$peer_mb" 'BEGIN {
    printf "| %s | lstpipe | %.1f | %.2f | %d | %.1f | %d | %.2fx |\n", m, os, t / os, omb, omb / os, okb / 1024, ps / os
    printf "| %s | python peer | %.1f | %.2f | %d | %.1f | %d | 1x |\n", m, ps, t / ps, pmb, pmb / ps, pkb / 1024
  }' >>"$report"
done
rm -rf "$work/ours" "$work/peer"
cat "$report"
