#!/usr/bin/env bash
# Installs whatever the build needs and is missing, from the Rust and Debian registries only
# (no step downloads a binary from anywhere else). Sourced by run.sh and test.sh.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_build_tools() {
  rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' \
    || rustup target add wasm32-unknown-unknown
  # cargo-leptos 0.3.11 needs a newer rustc than 1.95; `no_downloads` makes it take
  # wasm-bindgen (and wasm-opt for release builds) from PATH instead of fetching binaries.
  if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
    cargo install cargo-leptos@0.3.10 --locked --features no_downloads
  fi
  local wbg
  wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    # Not --locked: one dependency pinned in its lockfile is gone from the registry.
    cargo install wasm-bindgen-cli@"$wbg"
  fi
}

ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    as_root apt-get update
    as_root apt-get install -y chromium
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    (cd end2end && npm ci --no-audit --no-fund)
  fi
}

# Schemathesis (PyPI) for the property-based test of the REST API, in a venv under target/.
ensure_schemathesis() {
  local venv=target/schemathesis-venv
  if [ -x "$venv/bin/schemathesis" ]; then
    return
  fi
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    as_root apt-get update
    as_root apt-get install -y python3-venv
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'schemathesis>=4,<5'
}
