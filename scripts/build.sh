#!/usr/bin/env bash
# Builds the two wasm modules into pkg/generated/:
#   storefront/billpay_storefront.wasm
#                payment block, references, IBAN/BIC, codes (what shop pages
#                load): plain exports, no wasm-bindgen (src/wasm/raw.rs)
#   full/billpay_full.js + billpay_full_bg.wasm
#                everything, incl. order rules and the client (--features
#                admin): the client class goes through wasm-bindgen
#   node/billpay_node.js + billpay_node_bg.wasm
#                the full module built for speed (profile release-speed,
#                opt-level 3, wasm-opt -O3) for the Node entry: servers
#                render in batches and never download it
# The file names differ so that a shop can copy both next to its bundle, and
# package.json exports them for bundlers' asset loaders.
# cargo (release, wasm32) → [wasm-bindgen --target web] → wasm-opt -Oz.
set -euo pipefail
cd "$(dirname "$0")/.."

# Panic locations in the dependencies' code name their files by where cargo
# unpacked them on the build machine (its home directory and the registry's
# host). The package ships relative paths instead. Only the wasm target gets
# these flags, so native builds and tests keep their own artifacts.
remap=()
for source in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  remap+=("--remap-path-prefix=$source=")
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${remap[*]}"

cargo_build() {
  # One target dir for both: the dependencies are shared, only this crate is
  # rebuilt for the other feature set.
  cargo build -j2 --release --target wasm32-unknown-unknown --lib "$@"
}

optimise() { # in, out [wasm-opt level, -Oz by default]
  # wasm-opt reads the enabled features from the target_features section
  # (kept because the profile does not strip), then strips it with the rest.
  # --converge repeats -Oz until the module stops shrinking. Its result is
  # kept per input hash (target/wasm-opt/), so a rebuild without changes
  # (`npm pack` runs this as prepack) takes seconds.
  local cached level=${3:--Oz}
  cached=target/wasm-opt/$(sha256sum "$1" | cut -c1-32)$level.wasm
  if [ ! -f "$cached" ]; then
    mkdir -p target/wasm-opt
    node_modules/.bin/wasm-opt "$level" --converge --strip-debug --strip-producers --strip-target-features "$1" -o "$cached.tmp"
    mv "$cached.tmp" "$cached"
  fi
  cp "$cached" "$2"
}

storefront() { # output dir, cargo feature args...
  local dir=$1
  shift
  cargo_build "$@"
  rm -rf "$dir"
  mkdir -p "$dir"
  optimise target/wasm32-unknown-unknown/release/billpay.wasm "$dir/billpay_storefront.wasm"
}

if [ "${1:-}" = --storefront-without-qr ]; then
  # For the bench only: what the scannable codes add to the storefront module
  # (outside pkg/, so it never reaches the package).
  storefront target/storefront-without-qr --no-default-features
  exit
fi
storefront pkg/generated/storefront
cargo_build --features admin
rm -rf pkg/generated/full
wasm-bindgen --target web --no-typescript --out-dir pkg/generated/full --out-name billpay_full \
  target/wasm32-unknown-unknown/release/billpay.wasm
optimise pkg/generated/full/billpay_full_bg.wasm pkg/generated/full/billpay_full_bg.wasm

# The Node entry's module: the same code, built for speed. Its own
# wasm-bindgen glue, since the closure shims differ between the builds.
cargo build -j2 --profile release-speed --target wasm32-unknown-unknown --lib --features admin
rm -rf pkg/generated/node
wasm-bindgen --target web --no-typescript --out-dir pkg/generated/node --out-name billpay_node \
  target/wasm32-unknown-unknown/release-speed/billpay.wasm
optimise pkg/generated/node/billpay_node_bg.wasm pkg/generated/node/billpay_node_bg.wasm -O3
