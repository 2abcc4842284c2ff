#!/usr/bin/env bash
# Parquet writers side by side (issue: Parquet on ParquetSharp): lstpipe export through ParquetSharp (this tree)
# against the project's former hand-written writer (git revision REV, built in a worktree), on the same cropped
# synthetic scene, same machine, same run: zstd 3 times interleaved (medians), gzip once each; wall time, MB/s of raw
# float data, peak RSS and bytes on disk.
# Usage: bench/parquet/vs_own.sh [REV=2b3c80b] [SIZE=4096]   Results: bench/results/parquet-vs-own.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rev=${1:-2b3c80b}; size=${2:-4096}
"$root/scripts/setup.sh"
old=/tmp/lstpipe-shim-$rev
if [[ ! -f $old/artifacts/bin/LstPipe.Cli/release/lstpipe.dll ]]; then
  git -C "$root" worktree add -f "$old" "$rev" >/dev/null 2>&1 || true
  "$old/scripts/setup.sh" >&2
fi
work="$root/bench/results/parquet-vs-own"
rm -rf "$work"; mkdir -p "$work"
"$root/lstpipe" synth --out "$work/scene" --size "$size" >/dev/null
"$root/lstpipe" crop "$work/scene" --out "$work/ds" --no-compress >/dev/null
raw=$(du -smc "$work"/ds/*m/ | tail -1 | cut -f1)
declare -A tool=([parquetsharp]="dotnet $root/artifacts/bin/LstPipe.Cli/release/lstpipe.dll" [own]="dotnet $old/artifacts/bin/LstPipe.Cli/release/lstpipe.dll")
rows=()
run() { # writer codec
  /usr/bin/time -f "%e %M" -o "$work/t" ${tool[$1]} export --dataset "$work/ds" --codec "$2" >/dev/null
  rows+=("$1 $2 $(cat "$work/t") $(du -sb "$work/ds/parquet" | cut -f1)")
}
for r in 1 2 3; do run parquetsharp zstd; run own zstd; done
run parquetsharp gzip; run own gzip
printf '%s\n' "${rows[@]}" >&2
/usr/bin/python3 - "$raw" "${rows[@]}" >"$root/bench/results/parquet-vs-own.md" <<'PY'
import statistics, sys
raw = float(sys.argv[1])
data = {}
for row in sys.argv[2:]:
    w, c, s, rss, size = row.split()
    data.setdefault((w, c), []).append((float(s), int(rss) / 1024, int(size) / 1e6))
print(f"# Parquet export: ParquetSharp vs the former own writer, {raw:.0f} MB of raw float32\n")
print("| writer | codec | runs | wall s | MB/s | peak RSS MB | MB on disk |\n|---|---|---|---|---|---|---|")
for (w, c), v in sorted(data.items()):
    s = statistics.median(x[0] for x in v); rss = statistics.median(x[1] for x in v); mb = v[0][2]
    print(f"| {w} | {c} | {len(v)} | {s:.1f} | {raw / s:.0f} | {rss:.0f} | {mb:.1f} |")
PY
cat "$root/bench/results/parquet-vs-own.md"
rm -rf "$work"
