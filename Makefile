# The two commands of the README, plus the benchmarks.
.PHONY: serve test bench setup screenshot

PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)
export PATH

setup:
	@scripts/setup.sh

## Install what is missing, then build and serve the app on http://127.0.0.1:8080
serve: setup
	trunk serve --release

## Install what is missing, then run every check (what CI runs)
test: setup
	@scripts/test.sh

## Install what is missing, then run the benchmarks natively and in headless Chromium
bench: setup
	@scripts/bench.sh

## Rebuild dist/ and retake the README screenshots (docs/screenshot*.png)
screenshot: setup
	trunk build --release
	node tests/e2e/e2e.mjs dist --screenshot docs/screenshot.png
