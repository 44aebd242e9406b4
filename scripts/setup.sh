#!/usr/bin/env bash
# Installs whatever the playground needs that is missing, and nothing that is already there:
# the wasm32 target, trunk, wasm-bindgen-cli (exactly Cargo.lock's version), wasm-opt + terser +
# Playwright + axe-core (npm, into tools/node_modules), and Debian's chromium + chromium-driver.
# Safe to run again: a second run takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "[setup] need root to run: $*" >&2; exit 1; fi
}
apt_install() {
  say "installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { echo "[setup] Rust (cargo) is required: install it with rustup first." >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$WASM_BINDGEN_VERSION" ]; then echo "[setup] no wasm-bindgen in Cargo.lock" >&2; exit 1; fi
if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "[setup] Trunk.toml must pin wasm_bindgen = \"$WASM_BINDGEN_VERSION\" (the version in Cargo.lock)" >&2; exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -d tools/node_modules/playwright-core ] || [ ! -d tools/node_modules/axe-core ] \
   || [ ! -d tools/node_modules/terser ] \
   || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "installing wasm-opt (binaryen), terser, playwright-core and axe-core into tools/node_modules"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi

say "ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | cut -d' ' -f1-3), $(chromium --version 2>/dev/null | cut -d' ' -f1-2)"
