# Overlap's commands. `make serve` and `make test` install what they need first
# (scripts/setup.sh), so both work on a fresh machine.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
PORT ?= 8080

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup setup-test build serve test baseline fmt

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

## Release build of the page into dist/.
build: setup
	@scripts/wasm-env.sh trunk build --release --offline

## Build, then serve dist/ on 127.0.0.1:$(PORT) with COOP/COEP headers.
serve: build
	@node tests/e2e/server.mjs --dist dist --port $(PORT)

## Everything CI checks: formatting, lints, native, browser and end-to-end tests.
test: setup-test
	@scripts/test.sh

## Native baseline of core's kernels (single thread and rayon on all cores).
baseline: setup
	@cargo run --release -p overlap-core --example baseline

fmt:
	@cargo fmt --all
