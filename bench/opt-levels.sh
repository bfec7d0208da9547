#!/usr/bin/env bash
# Builds the module at opt-level "z", "s" and 3 (each through wasm-bindgen and
# wasm-opt -Oz, as shipped) and prints raw and gzip sizes: the measurement
# behind the profile choice in Cargo.toml. Slow (three full release builds).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
for level in z s 3; do
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$level cargo build -q -j2 --release --target wasm32-unknown-unknown --lib --target-dir "$out/target-$level"
  wasm-bindgen --target web --no-typescript --out-dir "$out/$level" --out-name billpay "$out/target-$level/wasm32-unknown-unknown/release/billpay.wasm"
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers --strip-target-features "$out/$level/billpay_bg.wasm" -o "$out/$level/billpay_bg.wasm"
  echo "opt-level $level: $(stat -c %s "$out/$level/billpay_bg.wasm") bytes raw, $(gzip -9c "$out/$level/billpay_bg.wasm" | wc -c) bytes gzip"
  if [ "${1:-}" = "--speed" ]; then
    BILLPAY_WASM="$out/$level/billpay_bg.wasm" node bench/run.mjs --quick --only-speed | grep -E 'renderPaymentBlock html|checkIban'
  fi
done
rm -rf "$out"
