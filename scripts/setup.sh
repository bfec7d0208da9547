#!/usr/bin/env bash
# Installs what `npm start`, `npm test` and `npm run bench` need on a fresh
# machine; every step is skipped when its result is already there.
#   scripts/setup.sh            toolchain + npm packages
#   scripts/setup.sh --browser  also Debian's chromium (for the browser tests)
#   scripts/setup.sh --packaging  also the packaging fixtures' pinned tools
#                               (bundlers, runtimes: tests/packaging/install.mjs)
#   scripts/setup.sh --vendure  also Vendure 3 (the Vendure tests and examples/vendure)
set -euo pipefail
cd "$(dirname "$0")/.."

# Must match the `wasm-bindgen = "=…"` pin in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" -j2
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

# Vendure 3 (about 170 MB, pinned by tests/vendure/package-lock.json) for the
# Vendure plug-in's tests and examples/vendure, linked into node_modules so that
# pkg/vendure.js finds @vendure/core the way it does in a shop.
if [[ " $* " == *" --vendure "* ]]; then
  # `npm install <package>` at the root prunes what it does not know through
  # the link below, i.e. Vendure's own packages: install again when they are gone.
  if [ ! -d tests/vendure/node_modules/@vendure/core ] || [ tests/vendure/package-lock.json -nt tests/vendure/node_modules/.package-lock.json ]; then
    echo "setup: installing Vendure for the Vendure tests and example (once)"
    npm ci --prefix tests/vendure --no-audit --no-fund --loglevel=error
  fi
  ln -sfn ../tests/vendure/node_modules/@vendure node_modules/@vendure
fi

# Test oracles for the scannable codes (tests/oracles/qr_oracle.py): python
# segno (EPC QR code) and qrbill (Swiss QR-bill), pinned; pure-python wheels.
if ! python3 -c 'import segno, qrbill' >/dev/null 2>&1; then
  echo "setup: installing the python test oracles (segno, qrbill)"
  python3 -m pip install --quiet --disable-pip-version-check segno==1.6.6 qrbill==1.2.0
fi

ARGS=" $* "

if [[ $ARGS == *" --browser "* ]] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  else
    echo "setup: chromium is missing and we are not root: install it with 'apt-get install chromium'" >&2
    exit 1
  fi
fi

if [[ $ARGS == *" --packaging "* ]]; then
  node tests/packaging/install.mjs
fi
