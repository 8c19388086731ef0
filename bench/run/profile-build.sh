#!/usr/bin/env bash
# Makes a copy of a release build whose main wasm keeps function names, for bench/run/profile.mjs.
#
# The build is split (scripts/build-wasm.mjs): dist/wasm/ holds the main module
# (scalelab_bg-<hash>.wasm: router, home, runtime), one piece per lab (split_lab_<slug>-<hash>.wasm)
# and chunks of code several labs share (chunk_N-<hash>.wasm). Only the main module can get its
# names back:
#   - the main module: wasm-split-cli's output before wasm-bindgen, target/split/pieces/split/
#     scalelab.wasm, still has the name section; this binds it again with build-wasm.mjs's flags
#     and puts the result (no wasm-opt) under the shipped name. wasm-opt changes neither its imports
#     nor its exports, nor the shared table's slots or the memory layout the pieces rely on, so the
#     shipped glue and the shipped pieces work with it (checked: every lab loads and plays);
#   - the lab pieces and chunks: wasm-split-cli writes them without a name section, and
#     build-wasm.mjs runs wasm-opt on them in place, so no named copy exists; they stay as shipped
#     and their functions show as wasm-function[N] in a profile. (Names there would need
#     build-wasm.mjs to keep a named copy, and wasm-split-cli to write the names.)
# The names are the linker's mangled symbols (`_ZN8scalelab...`): the glue binds with --no-demangle
# (demangling renames the exports the pieces import), so this must too.
# Usage: bench/run/profile-build.sh <release dist> <out dir>
#   after the `trunk build --release` that made <release dist>, in the same checkout: the files in
#   target/split/pieces/ are the last build's, and this refuses when they are not <release dist>'s.
set -euo pipefail
dist="$1"; out="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
pieces="$root/target/split/pieces"
fail() { echo "profile-build.sh: $*" >&2; exit 1; }
again="rebuild with \`trunk build --release --dist $dist\` in $root, then run this again"
[ -f "$dist/wasm/routes.json" ] || fail "$dist is not a split build (no wasm/routes.json): $again"
[ -f "$pieces/split/scalelab.wasm" ] || fail "no $pieces/split/scalelab.wasm (scripts/build-wasm.mjs leaves it): $again"

# The same build? Every shipped piece's name carries the hash of its bytes, which build-wasm.mjs
# took from target/split/pieces/ (after wasm-opt in place); and the glue bound again below must be
# the shipped glue (up to the split loader's hashed name).
for file in "$dist"/wasm/*.wasm; do
    name="$(basename "$file" .wasm)"
    stem="${name%-*}"
    if [ "$stem" = scalelab_bg ]; then src="$pieces/bind/scalelab_bg.wasm"; else src="$pieces/split/$stem.wasm"; fi
    [ -f "$src" ] && [ "$(sha256sum "$src" | cut -c1-16)" = "${name##*-}" ] \
        || fail "$pieces is not from the build in $dist ($stem differs): $again"
done
bind="$(mktemp -d)"
trap 'rm -rf "$bind"' EXIT
wasm-bindgen --target web --keep-lld-exports --no-demangle --out-dir "$bind" --out-name scalelab \
    "$pieces/split/scalelab.wasm"
canon() { sed -E "s#from ['\"]\./__wasm_split(-[0-9a-f]+)?\.js['\"]#from SPLIT#g" "$1"; }
cmp -s <(canon "$(ls "$dist"/wasm/scalelab-*.js)") <(canon "$bind/scalelab.js") \
    || fail "the main module bound again does not match $dist's JS glue (another wasm-bindgen, or other flags than scripts/build-wasm.mjs's?)"

rm -rf "$out"; cp -r "$dist" "$out"
main="$(ls "$out"/wasm/scalelab_bg-*.wasm)"
cp "$bind/scalelab_bg.wasm" "$main"
# The server sends a precompressed copy when there is one: drop the stale ones.
rm -f "$main.br" "$main.gz"
sed -i 's/ integrity="[^"]*"//g' "$out/index.html"
rm -f "$out/index.html.br" "$out/index.html.gz"
echo "profiling build in $out: main wasm with names $(du -k "$main" | cut -f1) KB; the lab pieces and chunks as shipped (no names)"
