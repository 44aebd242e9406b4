#!/usr/bin/env bash
# The benchmarks: the same workload natively and in headless Chromium (wasm, release build).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-600}"

# Each workload runs in a process (and a page) of its own, so that memory one frees does not hide
# what the next needs.
printf '\n\033[1m==> native (cargo run --profile bench-native --bin bench)\033[0m\n'
for workload in bank mixed sagas schemas transfer restore share; do
  cargo run --locked --quiet --profile bench-native --bin bench -- "$workload" \
    "${BENCH_EVENTS:-1000000}" "${BENCH_ACCOUNTS:-1000}" "${BENCH_SEEKS:-2000}"
done
printf '\n\033[1m==> wasm in headless Chromium (release build)\033[0m\n'
for test in bench_view_updates_with_a_million_events bench_bank_append_seek_and_memory bench_mixed_workload bench_schema_versions bench_decrypting_the_visible_rows bench_cloudevents_export_and_import bench_browser_storage_save_and_restore bench_share_link_of_a_million_events \
  bench_sagas_orchestration bench_sagas_choreography bench_sagas_view_and_causation_graph; do
  cargo test --locked --release --target wasm32-unknown-unknown --test browser_bench -- --nocapture --exact "$test" 2>&1 \
    | grep -E '^\s*\[wasm|test result'
done

printf '\n\033[1m==> bundle (trunk build --release, every file of dist/ gzipped -9)\033[0m\n'
trunk build --release >/dev/null 2>&1 || trunk build --release
total=0
for file in dist/*; do
  size=$(gzip -9c "$file" | wc -c)
  total=$((total + size))
  printf '[bundle] %-48s %7d bytes gzipped\n' "$(basename "$file")" "$size"
done
awk -v t="$total" 'BEGIN { printf "[bundle] whole app: %d bytes gzipped = %.1f KB (budget 250 KB = 250,000 bytes)\n", t, t / 1000 }'
