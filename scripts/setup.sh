#!/usr/bin/env bash
# Installs everything Overlap needs to build and serve it; with --test, also
# what its tests need (browsers and their drivers). Idempotent: a tool already
# present at the pinned version is not rebuilt. Stops with one clear sentence
# when something cannot be installed.
#
#   scripts/setup.sh          # toolchain, Trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test   # the above, plus wasm-pack, Chromium, Firefox and drivers
set -euo pipefail

cd "$(dirname "$0")/.."

NIGHTLY=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

WANT_TEST=0
[[ "${1:-}" == "--test" ]] && WANT_TEST=1

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

die() {
  echo "overlap setup: $*" >&2
  exit 1
}
say() { echo "overlap setup: $*"; }

for tool in rustup cargo node npm; do
  command -v "$tool" >/dev/null ||
    die "'$tool' is missing; install rustup/cargo and Node.js with npm first (Debian: apt-get install nodejs npm; Rust: rustup)."
done

# The pinned nightly, with the sources that -Z build-std rebuilds std from.
if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
  say "installing Rust $NIGHTLY (rust-src, clippy, rustfmt, wasm32 target)"
  rustup toolchain install "$NIGHTLY" --profile minimal \
    --component rust-src,clippy,rustfmt --target wasm32-unknown-unknown ||
    die "could not install the Rust toolchain $NIGHTLY with rustup."
fi

# cargo install runs outside the repo so that rust-toolchain.toml's nightly
# does not apply to the tools: they build with the machine's default toolchain.
# The tools share one target directory, so that a crate two of them use at
# the same version and features is built once: wasm-pack and
# wasm-bindgen-cli have about a hundred in common.
TOOLS_TARGET=${XDG_CACHE_HOME:-$HOME/.cache}/overlap/tools-target
cargo_tool() { # binary version crate [extra cargo install flags]
  local bin=$1 version=$2 crate=$3
  shift 3
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q " $version\b"; then
    return
  fi
  say "building $crate $version (a few minutes, once per machine)"
  (cd /tmp && CARGO_TARGET_DIR="$TOOLS_TARGET" cargo install "$crate" --version "$version" "$@") \
    >"/tmp/overlap-install-$crate.log" 2>&1 ||
    die "could not build $crate $version with cargo install; see /tmp/overlap-install-$crate.log."
}
# Trunk needs its lockfile; wasm-bindgen-cli's lockfile wants a crate version
# the registry lacks, so it resolves afresh. Trunk's own release profile asks
# for fat LTO in one codegen unit, which made its build the longest step of
# a new machine's set-up; it only drives cargo, wasm-bindgen and wasm-opt,
# so it is built without LTO, in parallel codegen units.
CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  cargo_tool trunk "$TRUNK_VERSION" trunk --locked
cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli

# wasm-opt from npm's binaryen (Debian's is too old for threaded modules),
# with the browser driver and static server the tests use.
stamp=node_modules/.overlap-lock-sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$lock_sha" ]]; then
  say "installing node packages (binaryen, playwright-core, serve-handler, axe-core)"
  npm ci --no-audit --no-fund >/tmp/overlap-npm.log 2>&1 ||
    die "npm ci failed; see /tmp/overlap-npm.log."
  echo "$lock_sha" >"$stamp"
fi

if [[ $WANT_TEST == 1 ]]; then
  cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack
  cargo_tool geckodriver "$GECKODRIVER_VERSION" geckodriver
  missing=()
  # python3 runs the Python twins, which the native tests hold to core.
  for pair in chromium:chromium chromedriver:chromium-driver firefox-esr:firefox-esr python3:python3; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
      die "missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
    fi
    say "installing ${missing[*]} with apt"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; } \
      >/tmp/overlap-apt.log 2>&1 ||
      die "apt-get could not install ${missing[*]}; see /tmp/overlap-apt.log."
  fi
fi
say "ready"
