#!/usr/bin/env bash
# Pipeline sharding benchmark (issue #8): one recipe of REGIONS synthetic SIZE x SIZE regions (64 px tiles at 0.5
# overlap, x4, Parquet export, a small MoCoLSK trained briefly and tested) built twice, wave by wave as the Slurm
# executor orders them: by one unsharded `lstpipe run` per wave pinned to one core, and by SHARDS shard processes per
# wave, each pinned to its own core (`taskset`), with the unsharded gathering runs between waves. Reports each wave's wall time and checks that the
# two builds have the same SHA-256 for every file of the dataset and of the test results.
# Usage: bench/pipeline/shards.sh [REGIONS=4] [SIZE=1024] [SHARDS=2]   Results: bench/results/pipeline-shards.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
regions=${1:-4}; size=${2:-1024}; shards=${3:-2}
work="$root/bench/results/pipeline-work"
report="$root/bench/results/pipeline-shards.md"
cores=$(nproc)
rm -rf "$work"; mkdir -p "$work"
"$root/scripts/setup.sh" >/dev/null
lstpipe="$root/lstpipe"

recipe() { # name -> path of its recipe
  mkdir -p "$work/$1"
  {
    printf 'name: bench\noutput: out\ncatalog: catalog\nregions:\n'
    for r in $(seq 1 "$regions"); do
      printf '  region-%d:\n    synthetic: { size: %d, seed: %d, epsg: 32719, origin: [%d, 6100000] }\n' "$r" "$size" "$r" $((250000 + r * size * 30))
    done
    printf 'crop: { size: 64, overlap: 0.5, scales: [1, 2, 4, 8] }\nsplit: { ratio: "6:1:3", strategy: spatial }\n'
    printf 'export: { formats: [parquet], codec: zstd, shard_size_mb: 64 }\n'
    printf 'train: { model: mocolsk, scale: 4, iterations: 20, val_every: 20, num_feats: 8, n_resblocks: 1, reduction: 4, val_split: test }\n'
  } > "$work/$1/p.yaml"
  echo "$work/$1/p.yaml"
}
seconds() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }

declare -A one=() many=()
labels=()
wave() { # recipe, label, stages (empty: all), shards (1: one process)
  local t0 args=(run "$1") n=$4; t0=$(date +%s.%N)
  [[ -n $3 ]] && args+=(--stages "$3")
  if ((n > 1)); then
    for i in $(seq 0 $((n - 1))); do
      taskset -c $((i % cores)) "$lstpipe" "${args[@]}" --shard "$i/$n" >>"$work/$(basename "$(dirname "$1")").log" 2>&1 &
    done
    wait
  else
    taskset -c 0 "$lstpipe" "${args[@]}" >>"$work/$(basename "$(dirname "$1")").log" 2>&1
  fi
  seconds "$t0"
}
build() { # recipe, array to fill (one or many), shards
  local -n into=$2; local n=$3
  into[regions]=$(wave "$1" regions ingest,crop "$n")
  into[assembly]=$( ((n > 1)) && wave "$1" assembly crop "$n" || echo 0)
  into[assembly-gather]=$(wave "$1" assembly crop 1)
  into[split-export]=$( ((n > 1)) && wave "$1" export split,export "$n" || echo 0)
  into[export-gather]=$(wave "$1" export split,export 1)
  into[train]=$(wave "$1" train train 1)
  into[test]=$( ((n > 1)) && wave "$1" test test "$n" || echo 0)
  into[test-gather]=$(wave "$1" final "" 1)
}
labels=(regions assembly assembly-gather split-export export-gather train test test-gather)
build "$(recipe whole)" one 1
build "$(recipe sharded)" many "$shards"
sum() { local -n a=$1; local t=0; for k in "${labels[@]}"; do t=$(awk -v a="$t" -v b="${a[$k]}" 'BEGIN { printf "%.1f", a + b }'); done; echo "$t"; }
whole_s=$(sum one); total=$(sum many)
rows=()
for k in "${labels[@]}"; do rows+=("| $k | ${one[$k]} | ${many[$k]} |"); done

same=yes
for d in dataset runs/mocolsk-x4/test; do
  (cd "$work/whole/out/$d" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$work/a.sha"
  (cd "$work/sharded/out/$d" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$work/b.sha"
  cmp -s "$work/a.sha" "$work/b.sha" || same=no
done
tiles=$(grep -o '"tileCount": *[0-9]*' "$work/whole/out/dataset/dataset.json" | grep -o '[0-9]*$')
parts=$(ls "$work/whole/out/dataset/parquet" | wc -l)
{
  echo "# Pipeline shards: $regions regions of $size x $size px, $tiles tiles, $parts Parquet parts"
  echo
  echo "\`bench/pipeline/shards.sh $regions $size $shards\` on $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p'))."
  echo
  echo "One process on one core, the same waves unsharded: **$whole_s s**. $shards shard processes per wave, one core each,"
  echo "with the unsharded gathering runs between waves: **$total s** (speed-up $(awk -v a="$whole_s" -v b="$total" 'BEGIN { printf "%.2f", a / b }')x;"
  echo "without the training run, one unit of work either way: $(awk -v a="$whole_s" -v b="$total" -v t1="${one[train]}" -v t2="${many[train]}" 'BEGIN { printf "%.2f", (a - t1) / (b - t2) }')x)."
  echo "Every file of the dataset and of the test results identical between the two builds: **$same**."
  echo
  echo "| wave | one process, s | $shards shards, s |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$report"
cat "$report"
