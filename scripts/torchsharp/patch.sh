#!/usr/bin/env bash
# Makes TorchSharp's native library (libLibTorchSharp.so, built with GCC 13) load on a libstdc++ older than GCC 13's,
# such as Debian 12's (which stops at GLIBCXX_3.4.30). The library needs GLIBCXX_3.4.32 for one symbol only,
# std::ios_base_library_init(), which older libstdc++ does not need to be called. On a copy in the build output
# (never in the NuGet cache): drop that symbol's version, make the version requirement weak, and add a one-function
# stub library that defines the symbol. Idempotent; does nothing where libstdc++ has GLIBCXX_3.4.32.
#   scripts/torchsharp/patch.sh DIR    (DIR holds libLibTorchSharp.so; run after every build by Directory.Build.targets)
#   scripts/torchsharp/patch.sh --needed   exit 0 when this machine needs the patch, 1 when not
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

libstdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')
libstdcxx=${libstdcxx:-/usr/lib/x86_64-linux-gnu/libstdc++.so.6}
needed() { [[ -f $libstdcxx ]] && ! grep -q GLIBCXX_3.4.32 "$libstdcxx"; }
if [[ ${1:-} == --needed ]]; then
  needed
  exit
fi

lib="${1:?usage: patch.sh DIR}/libLibTorchSharp.so"
[[ -f $lib ]] || exit 0
needed || exit 0
stub=liblstpipe-iosinit.so
if command -v patchelf >/dev/null && patchelf --print-needed "$lib" | grep -qx "$stub"; then
  exit 0
fi
command -v patchelf >/dev/null || { echo "lstpipe: $lib needs patchelf to load on this libstdc++ (no GLIBCXX_3.4.32); run scripts/setup.sh" >&2; exit 0; }

tools="$root/artifacts/torchsharp-patch"
if [[ ! -x $tools/weak-version || ! -f $tools/$stub || $here/weak-version.c -nt $tools/weak-version ]]; then
  mkdir -p "$tools"
  gcc -O2 -o "$tools/weak-version" "$here/weak-version.c"
  gcc -O2 -shared -fPIC -o "$tools/$stub" "$here/iosinit.c"
fi

dir=$(dirname "$lib")
cp "$tools/$stub" "$dir/$stub"
tmp=$(mktemp "$dir/.libLibTorchSharp.XXXXXX")
cp "$lib" "$tmp"   # a copy: the output may be a hard link into the NuGet cache
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "$tmp"
patchelf --add-needed "$stub" "$tmp"
patchelf --set-rpath '$ORIGIN' "$tmp"
"$tools/weak-version" "$tmp" GLIBCXX_3.4.32
chmod 755 "$tmp"
mv -f "$tmp" "$lib"
