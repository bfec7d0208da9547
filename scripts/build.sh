#!/usr/bin/env bash
# Builds the wasm module into pkg/generated/: cargo (release, wasm32) →
# wasm-bindgen (--target web; the Node entry instantiates the same file) →
# wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -j2 --release --target wasm32-unknown-unknown --lib
mkdir -p pkg/generated
wasm-bindgen --target web --no-typescript --out-dir pkg/generated --out-name billpay \
  target/wasm32-unknown-unknown/release/billpay.wasm
# wasm-opt reads the enabled features from the target_features section
# (kept because the profile does not strip), then strips it with the rest.
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers --strip-target-features \
  pkg/generated/billpay_bg.wasm -o pkg/generated/billpay_bg.wasm
