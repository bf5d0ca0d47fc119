#!/usr/bin/env bash
# Property-based test of the REST API with schemathesis (REST API requirement): the real binary on a fresh
# SQLite with demo data and a key made by the CLI; schemathesis generates requests from the
# OpenAPI document the server publishes and checks every answer: no 5xx, and status, content
# type and body as the document says. Bounded (max examples per operation) so it takes a few
# minutes on 2 cores. Usage: scripts/api-fuzz.sh [PORT]   (default 3110)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3110}"
st="target/schemathesis-venv/bin/schemathesis"
if [ ! -x "$st" ]; then
  echo "schemathesis no está instalado: ejecute scripts/setup.sh (ensure_schemathesis)" >&2
  exit 1
fi
work="target/api-fuzz"
rm -rf "$work" && mkdir -p "$work"
export DATABASE_URL="sqlite://$work/fuzz.db" VENTANILLA_ATTACHMENTS_DIR="$work/attachments" \
  VENTANILLA_OUTBOX_DIR="$work/outbox" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
bin=target/debug/ventanilla
"$bin" demo >/dev/null
key="$("$bin" apikey create --name "schemathesis" \
  --scopes requests:read,requests:write,customers:read,customers:write,surveys:import,reports:read,calls:write --rate-limit 1000000 \
  --responsable supervisor@demo.ventanilla.co 2>/dev/null)"
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
"$st" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${API_FUZZ_EXAMPLES:-30}" \
  --seed 7 \
  --workers 2 \
  --suppress-health-check all
