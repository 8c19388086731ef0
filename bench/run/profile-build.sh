#!/usr/bin/env bash
# Makes a copy of a release build whose wasm keeps function names, for bench/run/profile.mjs:
# runs wasm-bindgen again on Cargo's wasm (before wasm-opt, which drops the name section) under the
# same hashed file names, and drops the integrity attributes that no longer match.
# Usage: bench/run/profile-build.sh <release dist> <out dir>   (after trunk build --release)
set -euo pipefail
dist="$1"; out="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
wasm="$root/target/wasm32-unknown-unknown/release/scalelab.wasm"
[ -f "$wasm" ] || { echo "no $wasm: run trunk build --release first" >&2; exit 1; }
stem="$(basename "$(ls "$dist"/scalelab-*_bg.wasm)" _bg.wasm)"
rm -rf "$out"; cp -r "$dist" "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$stem" "$wasm"
sed -i 's/ integrity="[^"]*"//g' "$out/index.html"
echo "profiling build in $out (wasm with names: $(du -k "$out/${stem}_bg.wasm" | cut -f1) KB)"
