#!/usr/bin/env bash
# Size and speed of four QR encoders doing the plug-in's job (see Cargo.toml).
# Prints the .wasm size (gzip -9) without an encoder and with each, the native
# speed, and the wasm speed in Node. Takes a few minutes (four builds, -j1).
set -euo pipefail
cd "$(dirname "$0")"
opt=../../node_modules/.bin/wasm-opt
for f in none use_qrcodegen use_qrcode use_fastqr use_billpay; do
  args=()
  [ "$f" != none ] && args=(--features "$f")
  cargo build -q -j1 --release --target wasm32-unknown-unknown --lib "${args[@]}"
  out="target/out-$f"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name m target/wasm32-unknown-unknown/release/qrcmp.wasm
  "$opt" -Oz --strip-debug --strip-producers --strip-target-features "$out/m_bg.wasm" -o "$out/m_bg.wasm"
  echo "$f: wasm $(gzip -9 -c "$out/m_bg.wasm" | wc -c) bytes gzip"
  [ "$f" != none ] && echo "  native: $(cargo run -q -j1 --release --example speed "${args[@]}")"
done
node speed.mjs
