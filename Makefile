# Overlap's commands. `make serve` and `make test` install what they need first
# (scripts/setup.sh), so both work on a fresh machine.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
PORT ?= 8080

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup setup-test build serve test bench soak fuzz baseline fmt

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

## Soak: 200 fresh loads of the page (the pool ready on each), then 200 runs
## of the heaviest presets in one page within bounds (memory, workers, DOM
## nodes); the runs' samples go to target/soak/runs.json. `make test` runs
## 30 loads and 24 runs. Not part of `make test`.
soak: setup-test build
	@OVERLAP_FRESH_LOADS=$${OVERLAP_FRESH_LOADS:-200} OVERLAP_SOAK_RUNS=$${OVERLAP_SOAK_RUNS:-200} \
	  OVERLAP_SOAK_OUT=target/soak/runs.json \
	  node --test --test-name-pattern='fresh loads|heaviest presets' tests/e2e/page.test.mjs tests/e2e/soak.test.mjs

## Fuzz what the page takes from outside (core's URL codec, validation and
## trace import): 1,000,000 generated inputs per target (FUZZ_CASES), with
## properties checked; prints executions and failures. `make test` runs
## 20,000. Not part of `make test`.
FUZZ_CASES ?= 1000000
fuzz: setup
	@cargo run --release -q -p overlap-core --example fuzz -- $(FUZZ_CASES)

## Native baseline of core's kernels (single thread and rayon on all cores).
baseline: setup
	@cargo run --release -p overlap-core --example baseline

fmt:
	@cargo fmt --all
