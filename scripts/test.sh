#!/usr/bin/env bash
# Quick start 2: install what is missing and run every test — formatting and lints, the
# domain unit and property tests (native and a wasm32 build), the integration tests on
# SQLite and PostgreSQL, and the end-to-end tests in headless Chromium. Exits non-zero if
# anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_tools
ensure_browser
ensure_schemathesis

# PostgreSQL: under CI it must be there, so its half of the integration suite can never be
# skipped silently. Locally it is used when reachable.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  sleep 2
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL no responde en 127.0.0.1:5432: bajo CI las pruebas de PostgreSQL son obligatorias." >&2
    exit 1
  fi
  echo "Aviso: PostgreSQL no responde; las pruebas de integración correrán solo sobre SQLite." >&2
  unset TEST_DATABASE_URL
fi

echo "== Formato, forma de los módulos y lints"
cargo fmt --all -- --check
# One folder per capability, no module cycle across folders, platform below them all.
python3 scripts/module-graph.py
# The hydrate (browser) and ssr (server) builds of the app are separate worlds: linting or
# testing them in one cargo invocation would unify their features into a build that is
# neither. The server side is checked natively, the frontend for wasm32.
cargo clippy --workspace --exclude ventanilla-frontend --all-targets -- -D warnings
cargo clippy -p ventanilla-frontend --target wasm32-unknown-unknown -- -D warnings

echo "== El dominio compila para el navegador (wasm32)"
cargo build -p ventanilla --target wasm32-unknown-unknown

# Each PostgreSQL test creates its own database; drop those left by earlier runs.
if [ -n "${TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null; then
  psql "$TEST_DATABASE_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'vt_test_%'" \
    | while read -r db; do psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null; done
fi

echo "== Pruebas unitarias, de propiedades y de integración"
cargo test --workspace --exclude ventanilla-frontend

echo "== Pruebas de punta a punta en Chromium"
cargo leptos build

echo "== API REST: prueba de propiedades con schemathesis"
bash scripts/api-fuzz.sh 3109
(cd end2end && npx playwright test)
