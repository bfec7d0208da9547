#!/usr/bin/env bash
# `npm test`: everything, from a fresh clone. Order: cheap checks first, then the
# native Rust tests, then the wasm build and the tests of the built package in
# Node and in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step setup
bash scripts/setup.sh --browser --vendure --packaging

step "rustfmt and clippy"
cargo fmt --all --check
cargo clippy -q -j2 --workspace --all-targets -- -D warnings
cargo clippy -q -j2 --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy -q -j2 --lib --target wasm32-unknown-unknown --features admin -- -D warnings

step "core tests (cargo test)"
# --workspace: also crates/qr-symbol, whose tests compare its symbols with
# qrcodegen's, crates/iban and crates/alloc (its free lists under random
# allocations, frees and reallocs).
cargo test -q -j2 --workspace

if [ -f sandbox/Cargo.toml ]; then
  step "sandbox tests"
  cargo fmt --manifest-path sandbox/Cargo.toml --check
  cargo clippy -q -j2 --manifest-path sandbox/Cargo.toml --all-targets -- -D warnings
  cargo test -q -j2 --manifest-path sandbox/Cargo.toml
fi

step "wasm build"
bash scripts/build.sh

step "type declarations (tsc --noEmit)"
node_modules/.bin/tsc -p tsconfig.json
node_modules/.bin/tsc -p tests/types/tsconfig.vendure.json
node_modules/.bin/tsc -p tests/types/tsconfig.node-only.json

step "package tests (node:test: Node entry, web entry, Chromium)"
node --test --test-concurrency=1 tests/js/ tests/browser/

step "Vendure plug-in (@vendure/testing, SQL.js, the sandbox)"
node --test --test-concurrency=1 tests/vendure/*.test.mjs

step "packaging (npm pack; the tarball in a project per bundler and runtime: tests/packaging/)"
node --test --test-concurrency=1 tests/packaging/
