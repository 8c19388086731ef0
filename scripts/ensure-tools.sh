#!/usr/bin/env bash
# Installs whatever the build and the tests need that is missing, and says what it is doing.
# Sourced by scripts/serve.sh and scripts/test.sh. Every step is skipped when already satisfied.
# Nothing is fetched from anywhere but crates.io, the npm registry and Debian's archive.
#
# Usage: source scripts/ensure-tools.sh; ensure_build_tools; ensure_test_tools (which includes
# ensure_chromium and ensure_cross_browsers)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The splitter that cuts the wasm into per-lab pieces (scripts/build-wasm.mjs runs it).
WASM_SPLIT_VERSION="0.2.4"
# The WebDriver server for Firefox (e2e-cross/), built from crates.io.
GECKODRIVER_VERSION="0.37.1"

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version the lockfile pins; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_target() {
    command -v cargo >/dev/null || die "cargo is not installed (this machine should have rustup's toolchain)"
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        step "Adding the wasm32-unknown-unknown target (rustup)"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_trunk() {
    if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
        step "Installing Trunk $TRUNK_VERSION from crates.io (takes ~8 minutes once)"
        cargo install --locked trunk --version "$TRUNK_VERSION"
    fi
}

ensure_wasm_bindgen() {
    local want
    want="$(wasm_bindgen_version)"
    [ -n "$want" ] || die "could not read the wasm-bindgen version from Cargo.lock"
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$\| $want "; then
        step "Installing wasm-bindgen-cli $want from crates.io (matches Cargo.lock; ~2 minutes once)"
        # Not --locked: the registry lacks one of its locked dependency versions (see TOOLCHAIN.md).
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
}

ensure_wasm_split() {
    # (It has no --version: cargo's list of installed crates says which one is there.)
    if ! command -v wasm-split-cli >/dev/null \
        || ! grep -qs "wasm_split_cli_support $WASM_SPLIT_VERSION" "${CARGO_HOME:-$HOME/.cargo}/.crates.toml"; then
        step "Installing wasm-split-cli $WASM_SPLIT_VERSION from crates.io (splits the wasm per lab; ~7 minutes once)"
        cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
    fi
}

# Node packages: wasm-opt (binaryen 132), Playwright (no browser download), axe-core and
# selenium-webdriver (drives Firefox and WebKit; given the drivers' paths, it downloads nothing).
ensure_node_packages() {
    command -v npm >/dev/null || die "npm is not installed (this machine should have Node.js and npm)"
    if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/@playwright/test" ] \
        || [ ! -d "$ROOT/node_modules/selenium-webdriver" ] \
        || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
        step "Installing node packages (npm ci: binaryen's wasm-opt, Playwright, axe-core, selenium-webdriver)"
        (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    fi
    export PATH="$ROOT/node_modules/.bin:$PATH"
}

ensure_chromium() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        step "Installing Chromium and ChromeDriver (Debian packages)"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
}

# Firefox and WebKit for e2e-cross/ (TOOLCHAIN.md, "Firefox and WebKit"): Firefox ESR, WebKitGTK's
# WebKitWebDriver (with MiniBrowser), Xvfb and xauth from Debian, geckodriver built from crates.io (the npm
# geckodriver package downloads from GitHub, so it is not used). selenium-webdriver is a node package.
ensure_cross_browsers() {
    local missing=()
    [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
    [ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
    command -v xvfb-run >/dev/null || missing+=(xvfb)
    command -v xauth >/dev/null || missing+=(xauth) # xvfb-run needs it (only a Recommends of xvfb)
    if [ ${#missing[@]} -gt 0 ]; then
        step "Installing ${missing[*]} (Debian packages: Firefox and WebKit for the cross-browser check; ~3 minutes once)"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ! geckodriver --version 2>/dev/null | grep -q "^geckodriver $GECKODRIVER_VERSION"; then
        step "Installing geckodriver $GECKODRIVER_VERSION from crates.io (drives Firefox; ~4 minutes once)"
        # --locked when the registry has every locked version, else without (TOOLCHAIN.md).
        cargo install --locked geckodriver --version "$GECKODRIVER_VERSION" \
            || cargo install geckodriver --version "$GECKODRIVER_VERSION"
    fi
}

ensure_build_tools() {
    ensure_rust_target
    ensure_node_packages
    ensure_wasm_bindgen
    ensure_wasm_split
    ensure_trunk
    export TRUNK_OFFLINE=true
}

ensure_test_tools() {
    ensure_build_tools
    ensure_chromium
    ensure_cross_browsers
}
