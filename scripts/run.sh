#!/usr/bin/env bash
# Quick start 1: install what is missing, build, load demo data into the embedded SQLite
# database if it is empty, and serve at http://127.0.0.1:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
cargo leptos build
export LEPTOS_SITE_ROOT=target/site
exec target/debug/ventanilla serve --demo
