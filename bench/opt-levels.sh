#!/usr/bin/env bash
# Builds the storefront module at opt-level "z", "s" and 3 (each through
# wasm-opt -Oz, as shipped) and prints raw and gzip sizes: the measurement
# behind the profile choice in Cargo.toml (speed: run `npm run bench` after
# setting the level there). Slow: three release builds in their own target
# directories.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
for level in z s 3; do
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$level cargo build -q -j2 --release --target wasm32-unknown-unknown --lib --target-dir "$out/target-$level"
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers --strip-target-features \
    "$out/target-$level/wasm32-unknown-unknown/release/billpay.wasm" -o "$out/storefront-$level.wasm"
  echo "opt-level $level: $(stat -c %s "$out/storefront-$level.wasm") bytes raw, $(gzip -9c "$out/storefront-$level.wasm" | wc -c) bytes gzip"
done
rm -rf "$out"
