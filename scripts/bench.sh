#!/usr/bin/env bash
# The benchmarks: the same workload natively and in headless Chromium (wasm, release build).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-600}"

printf '\n\033[1m==> native (cargo run --profile bench-native --bin bench)\033[0m\n'
cargo run --locked --quiet --profile bench-native --bin bench -- "${BENCH_EVENTS:-1000000}" "${BENCH_ACCOUNTS:-1000}" "${BENCH_SEEKS:-2000}"
printf '\n\033[1m==> wasm in headless Chromium (release build)\033[0m\n'
cargo test --locked --release --target wasm32-unknown-unknown --test browser_bench -- --nocapture 2>&1 \
  | grep -E '^\s*\[wasm|test result'
