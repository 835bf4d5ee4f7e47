#!/usr/bin/env bash
# Runs a command with what a wasm32 build needs beyond .cargo/config.toml.
#
#   scripts/wasm-env.sh CMD...             the threaded build: std rebuilt with
#                                          atomics. Kept out of the config so
#                                          that host builds (core's native
#                                          tests) use the prebuilt std.
#   scripts/wasm-env.sh --page CMD...      the page's release build (Trunk):
#                                          the threaded build, and a panic
#                                          aborts at once, without formatting
#                                          a message (13.6 KB gzip less), in
#                                          the fallback built by its hook too.
#                                          No panic is reachable from input,
#                                          and a worker's trap is reported all
#                                          the same; tests keep their messages.
#                                          std is rebuilt with its
#                                          optimize_for_size feature (smaller
#                                          sorts and formatting: 13 KB gzip
#                                          less, which the page's two
#                                          catalogues' code needed under the
#                                          350 KB budget); the kernels' loops
#                                          are their own code, not std's.
#   scripts/wasm-env.sh --fallback CMD...  the single-thread fallback: no
#                                          atomics, so no shared memory; the
#                                          config's flags are replaced
#                                          (RUSTFLAGS wins over them), the
#                                          1 GiB ceiling is kept, std is
#                                          rebuilt too (with these flags it is
#                                          11 KB gzip less than the prebuilt
#                                          one), and the build has a target
#                                          directory of its own.
# Added to the config's flags (cargo joins the two lists).
IMMEDIATE_ABORT="-Zunstable-options -Cpanic=immediate-abort"
if [[ ${1:-} == --page ]]; then
  shift
  export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$IMMEDIATE_ABORT"
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  # Read below by the fallback's build, which Trunk's hook runs from here
  # (it inherits the std features above).
  export OVERLAP_PAGE_BUILD=1
elif [[ ${1:-} == --fallback ]]; then
  shift
  export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
  export RUSTFLAGS="-C target-feature=+bulk-memory,+mutable-globals -C link-arg=--max-memory=1073741824 -Zlocation-detail=none -Zfmt-debug=none"
  # Tests cannot be built this way (rustc refuses panic=abort tests), so
  # only the page's build of the fallback aborts at once.
  if [[ ${OVERLAP_PAGE_BUILD:-} == 1 ]]; then RUSTFLAGS+=" $IMMEDIATE_ABORT"; fi
  export CARGO_TARGET_DIR="$(cd "$(dirname "$0")/.." && pwd)/target/fallback"
else
  export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
fi
exec "$@"
