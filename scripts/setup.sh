#!/usr/bin/env bash
# Idempotent setup for lstpipe: installs the Debian packages that are missing, builds the native parts and the
# .NET solution in Release. Prints nothing when everything is already in place.
#
#   scripts/setup.sh            runtime packages + build
#   scripts/setup.sh --tests    also the packages the test suite uses as independent references
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
with_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "setup: unknown option '$arg' (use --tests)" >&2; exit 2 ;;
  esac
done

# Runtime: GDAL, matio and libdeflate are called by P/Invoke (versioned sonames, no -dev needed); Parquet (with its
# codecs) comes with ParquetSharp and libtorch with TorchSharp from NuGet; where the system libstdc++ is older than GCC 13's
# (Debian 12), patchelf and gcc patch TorchSharp's native library after every build (docs/TENSORS.md). Figures are drawn
# by ScottPlot/SkiaSharp (NuGet) in DejaVu Sans, loaded from fonts-dejavu-core's files so they look the same everywhere.
packages=(libgdal32 libmatio11 libdeflate0 fonts-dejavu-core)
torch_patch=0
if bash "$root/scripts/torchsharp/patch.sh" --needed; then
  torch_patch=1
  packages+=(patchelf gcc)
fi
# Tests: gdalinfo, numpy and scipy (scipy.io.loadmat, the GrokLST loader) as independent readers; python3-torch
# (PyTorch 1.13) for the golden tensors, the interoperability tests and the peer benchmarks, never for the product;
# python3-onnx (ONNX 1.12) for ONNX's own checker on the models 'lstpipe convert' writes.
if [[ $with_tests == 1 ]]; then
  # slurmctld, slurmd, slurm-client and munge: a real one-node Slurm for the scale-out test (started by the test);
  # chromium: the dataset report is rendered headless and read back as a person's browser shows it
  packages+=(gdal-bin python3-gdal python3-numpy python3-scipy python3-torch python3-onnx slurmctld slurmd slurm-client munge chromium)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]} (Debian packages, about a minute)" >&2
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: apt-get failed; see the log above" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi

# .NET solution, rebuilt only when a source, project or props file is newer than the last build.
stamp="$root/artifacts/.build-stamp"
if [[ ! -f "$stamp" ]] || [[ -n $(find "$root/src" "$root/tests" "$root/bench" "$root"/*.props "$root/GrokLstPipeline.sln" \
      \( -name bin -o -name obj \) -prune -o -newer "$stamp" -type f -print -quit 2>/dev/null) ]]; then
  log=$(mktemp)
  if ! dotnet build "$root/GrokLstPipeline.sln" -c Release -nologo -v quiet >"$log" 2>&1; then
    grep -E "error|warning" "$log" | sort -u >&2 || cat "$log" >&2
    rm -f "$log"
    echo "setup: dotnet build failed" >&2
    exit 1
  fi
  rm -f "$log"
  mkdir -p "$(dirname "$stamp")"
  touch "$stamp"
  if [[ $torch_patch == 1 ]]; then
    echo "setup: TorchSharp's native library was patched to load on this libstdc++ (no GLIBCXX_3.4.32; docs/TENSORS.md)" >&2
  fi
fi
