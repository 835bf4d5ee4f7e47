# Overlap's commands. `make serve` and `make test` install what they need first
# (scripts/setup.sh), so both work on a fresh machine.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
PORT ?= 8080

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup setup-test build serve test bench baseline fmt

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

## Release build of the page into dist/.
build: setup
	@scripts/wasm-env.sh --page trunk build --release --offline

## Build, then serve dist/ on 127.0.0.1:$(PORT) with COOP/COEP headers.
serve: build
	@node tests/e2e/server.mjs --dist dist --port $(PORT)

## Everything CI checks: formatting, lints, native, browser and end-to-end tests.
test: setup-test
	@scripts/test.sh

## Benchmark: release page in headless Chromium against the native baseline;
## writes target/bench/report.json and prints a table. Not part of `make test`.
bench: setup-test build
	@cargo build --release -q -p overlap-core --example bench_native
	@node tests/bench/bench.mjs

## Native baseline of core's kernels (single thread and rayon on all cores).
baseline: setup
	@cargo run --release -p overlap-core --example baseline

fmt:
	@cargo fmt --all
