#!/usr/bin/env bash
# Runs a command with what a threaded wasm32 build needs beyond
# .cargo/config.toml: std rebuilt with atomics. It is kept out of the config so
# that host builds (core's native tests) use the prebuilt std.
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
exec "$@"
