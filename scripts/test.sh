#!/usr/bin/env bash
# Runs every ScaleLab test: native (core and app), wasm in headless Chromium, end-to-end in
# headless Chromium against a release build, and home and every lab in Firefox and WebKit against
# Chromium's numbers (e2e-cross/). Installs the missing toolchain pieces first.
# Usage: scripts/test.sh
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
ensure_test_tools
cd "$ROOT"

timed() {
    local name="$1"; shift
    local start=$SECONDS
    step "$name"
    "$@"
    note "($name took $((SECONDS - start)) s)"
}

timed "Formatting (cargo fmt --check)" cargo fmt --all -- --check
timed "Native tests (simulation core and app logic)" cargo test --workspace --quiet
# The benchmark's workloads call the core's public API: keep them compiling (seconds; the
# criterion and wasm runners themselves are only built by scripts/bench.sh).
timed "Benchmark workloads compile (cargo check, bench/)" env CARGO_TARGET_DIR="$ROOT/bench/target" \
    cargo check --manifest-path bench/Cargo.toml -p scalelab-bench-workloads --all-targets --quiet

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
timed "Browser tests (wasm-bindgen-test in headless Chromium)" \
    cargo test --target wasm32-unknown-unknown --test browser

timed "Release build (trunk build --release)" trunk build --release --offline
timed "Bundle budget" node scripts/bundle-size.mjs dist

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
timed "End-to-end tests (Playwright, headless Chromium)" npx playwright test
timed "Cross-browser check (home and every lab in Firefox and WebKit against Chromium's numbers)" \
    node e2e-cross/run.mjs
# The same app built for a sub-path (only the post-build steps run again: cargo is up to date).
timed "Release build under a sub-path (trunk build --public-url /scalelab/)" \
    trunk build --release --offline --public-url /scalelab/ --dist target/dist-subpath
timed "End-to-end test of the sub-path build" \
    env E2E_DIST=target/dist-subpath E2E_BASE=/scalelab/ E2E_PORT=4174 npx playwright test
