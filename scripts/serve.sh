#!/usr/bin/env bash
# Builds ScaleLab and serves it at http://127.0.0.1:8080/ (rebuilding on change).
# Installs the missing toolchain pieces first. Usage: scripts/serve.sh [--release]
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
ensure_build_tools
cd "$ROOT"
step "Building and serving ScaleLab: open http://127.0.0.1:8080/ (Ctrl-C stops)"
exec trunk serve --offline --address 127.0.0.1 --port 8080 "$@"
