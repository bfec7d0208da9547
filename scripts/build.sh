#!/usr/bin/env bash
# Builds the two wasm modules into pkg/generated/:
#   storefront/  payment block, references, IBAN/BIC (what shop pages load)
#   full/        everything, incl. order rules and the client (--features admin)
# Each: cargo (release, wasm32) → wasm-bindgen (--target web; the Node entry
# instantiates the same files) → wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."

build() { # name, cargo feature args...
  local name=$1
  shift
  # One target dir for both: the dependencies are shared, only this crate is
  # rebuilt for the other feature set.
  cargo build -j2 --release --target wasm32-unknown-unknown --lib "$@"
  mkdir -p "pkg/generated/$name"
  wasm-bindgen --target web --no-typescript --out-dir "pkg/generated/$name" --out-name billpay \
    target/wasm32-unknown-unknown/release/billpay.wasm
  # wasm-opt reads the enabled features from the target_features section
  # (kept because the profile does not strip), then strips it with the rest.
  # --converge repeats -Oz until the module stops shrinking (-1.1 KB gzip).
  node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
    "pkg/generated/$name/billpay_bg.wasm" -o "pkg/generated/$name/billpay_bg.wasm"
}

if [ "${1:-}" = --storefront-without-qr ]; then
  # For the bench only: what the scannable codes add to the storefront module.
  build storefront-without-qr --no-default-features
  exit
fi
build storefront
# The full module serves admin pages and back-ends, where codes are rare: its
# QR encoder stays at the profile's "z" (1.4 KB smaller; see Cargo.toml).
build full --features admin --config 'profile.release.package.qrcodegen.opt-level="z"'
