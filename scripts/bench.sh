#!/usr/bin/env bash
# The benchmark command: measures ScaleLab and writes bench/report/report.md and report.json, then
# prints the Markdown. Installs the missing toolchain pieces first (as scripts/test.sh does).
#
#   1. native throughput of the simulation hot paths (criterion, bench/native)
#   2. the same workloads compiled to wasm, timed in headless Chromium, next to the npm peers
#      lru-cache and hashring on the same inputs (bench/wasm, bench/page)
#   3. the app's release build (split: a main wasm and a piece per lab, scripts/build-wasm.mjs):
#      the first load of every route (each piece, raw/gzip/brotli), start-up of home and of a deep
#      link to every lab (localhost and an emulated slow connection), smoothness and memory of
#      every lab page
#
# Usage: scripts/bench.sh
# Env: BENCH_QUICK=1 (short measurements), BENCH_PORT (default 4201), BENCH_DIST (release build
#      dir, default bench/target/dist), BENCH_SKIP=native,wasm,app,size (skip parts), and the runners'
#      own knobs (see bench/run/app.mjs: BENCH_STARTUP_RUNS, BENCH_SLOW_RUNS, BENCH_SMOOTH_S, ...).
#      The app part builds the release into BENCH_DIST with `trunk build --release`, except when
#      BENCH_DIST is given and already holds a split release build (BENCH_DIST/wasm/routes.json):
#      then it measures that build as it is (BENCH_REBUILD=1 rebuilds it anyway). The default
#      dir, bench/target/dist, is always rebuilt.
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
ensure_test_tools
cd "$ROOT"

PORT="${BENCH_PORT:-4201}"
TARGET="$ROOT/bench/target"
WORK="$TARGET/work"
DIST="${BENCH_DIST:-$TARGET/dist}"
PAGE="$TARGET/page"
SKIP="${BENCH_SKIP:-}"
mkdir -p "$WORK"
cp /proc/loadavg "$WORK/load-start.txt" 2>/dev/null || echo "n/a" >"$WORK/load-start.txt"

timed() {
    local name="$1"; shift
    local start=$SECONDS
    step "$name"
    "$@"
    note "($name took $((SECONDS - start)) s)"
}
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }

# The npm peers and esbuild are devDependencies; an older node_modules may predate them.
if [ ! -d node_modules/lru-cache ] || [ ! -d node_modules/hashring ] || [ ! -x node_modules/.bin/esbuild ] \
    || [ ! -d node_modules/js-md5 ]; then
    step "Installing node packages (npm ci: lru-cache, hashring, js-md5, esbuild)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

native() {
    rm -rf "$TARGET/criterion"
    CARGO_TARGET_DIR="$TARGET" cargo bench --manifest-path bench/Cargo.toml -p scalelab-bench-native \
        --bench throughput -- --noplot
    cp "$TARGET/bench-native-workloads.json" "$WORK/native-workloads.json"
}

wasm_page() {
    mkdir -p "$PAGE/pkg"
    local profile
    for profile in release speed; do
        CARGO_TARGET_DIR="$TARGET" cargo build --manifest-path bench/Cargo.toml -p scalelab-bench-wasm \
            --target wasm32-unknown-unknown --profile "$profile" --quiet
    done
    wasm-bindgen --target web --out-dir "$PAGE/pkg" --out-name bench_size \
        "$TARGET/wasm32-unknown-unknown/release/scalelab_bench_wasm.wasm"
    wasm-bindgen --target web --out-dir "$PAGE/pkg" --out-name bench_speed \
        "$TARGET/wasm32-unknown-unknown/speed/scalelab_bench_wasm.wasm"
    # The same wasm-opt pass the app gets (scripts/build-wasm.mjs: -Oz on every piece, with these
    # features); the speed build gets -O3.
    local features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue"
    # shellcheck disable=SC2086
    wasm-opt -Oz $features -o "$PAGE/pkg/bench_size_bg.wasm" "$PAGE/pkg/bench_size_bg.wasm"
    # shellcheck disable=SC2086
    wasm-opt -O3 $features -o "$PAGE/pkg/bench_speed_bg.wasm" "$PAGE/pkg/bench_speed_bg.wasm"
    esbuild bench/page/peers-entry.js --bundle --format=esm --platform=browser --log-level=warning \
        --alias:crypto=./bench/page/crypto-shim.js --external:buffer --outfile="$PAGE/peers.js"
    cp bench/page/index.html bench/page/bench.js "$PAGE/"
}

# Where the wasm's bytes go: the release build again, unsplit, with v0 symbol mangling (names carry
# their generic arguments, so framework code instantiated for a lab is counted as that lab's) and
# the name section kept through the same wasm-opt pass as scripts/build-wasm.mjs's; twiggy lists
# every item, size.mjs sums them and sets them against the shipped wasm: every piece of the split
# build (dist/wasm/*.wasm: the main module, the lab pieces and the shared chunks).
size_profile() {
    if ! command -v twiggy >/dev/null; then
        step "Installing twiggy from crates.io (wasm size profiler; ~1 minute once)"
        cargo install --locked twiggy --version 0.8.0
    fi
    local out="$TARGET/size"
    mkdir -p "$out"
    CARGO_TARGET_DIR="$out/target" RUSTFLAGS="--cfg erase_components -Csymbol-mangling-version=v0" \
        cargo build --release --target wasm32-unknown-unknown --bin scalelab --quiet
    wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$out" \
        "$out/target/wasm32-unknown-unknown/release/scalelab.wasm"
    local features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue"
    # shellcheck disable=SC2086
    wasm-opt -Oz -g $features -o "$out/named.wasm" "$out/scalelab_bg.wasm"
    twiggy top -n 1000000 --format csv "$out/named.wasm" >"$out/twiggy.csv"
    local shipped=("$DIST"/wasm/*.wasm)
    [ -f "${shipped[0]}" ] || { echo "no wasm pieces in $DIST/wasm (not a split release build?)" >&2; return 1; }
    node bench/run/size.mjs "$out/twiggy.csv" "${shipped[@]}" "$WORK/size.json"
}

if ! skipped native; then
    timed "Native throughput (criterion; ${BENCH_QUICK:+quick, }about 2 minutes)" native
fi
if ! skipped wasm; then
    timed "Building the wasm workloads (app profile and opt-level 3) and the JavaScript peers" wasm_page
    query=""
    [ "${BENCH_QUICK:-0}" = 1 ] && query="min_ms=300&min_reps=3"
    timed "Wasm workloads and npm peers in headless Chromium" \
        node bench/run/browser.mjs "$PAGE" "$PORT" "$WORK/browser.json" "$query"
fi
if ! skipped app; then
    if [ -n "${BENCH_DIST:-}" ] && [ -f "$DIST/wasm/routes.json" ] && [ "${BENCH_REBUILD:-0}" != 1 ]; then
        note "(measuring the build already in $DIST; BENCH_REBUILD=1 rebuilds it)"
    else
        timed "Release build of the app (trunk build --release: scripts/build-wasm.mjs builds, splits, optimises)" \
            trunk build --release --offline --dist "$DIST"
    fi
    step "Bundle sizes (scripts/bundle-size.mjs)"
    node scripts/bundle-size.mjs "$DIST" --json "$WORK/bundle.json" || note "(over the bundle guard: see the report)"
    if ! skipped size; then
        timed "Wasm size by part of the project (a second release build with symbol names; ~3 minutes)" \
            size_profile
    fi
    timed "Start-up of every route (localhost and slow connection), smoothness and memory of every lab (headless Chromium)" \
        node bench/run/app.mjs "$DIST" "$((PORT + 1))" "$WORK/app.json"
fi

step "Report: bench/report/report.md and report.json"
node bench/run/report.mjs "$WORK" "$ROOT/bench/report"
