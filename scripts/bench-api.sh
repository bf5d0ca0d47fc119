#!/usr/bin/env bash
# Load benchmark of request creation through the REST API (REST API requirement), on loopback, with the
# settings used for competitor baselines: seed 10,000 requests through the API at 8 concurrent
# connections for 1,000 distinct customers, then `wrk -t2 -c8 -d20s` on creation. Prints
# throughput, latency percentiles and the server's CPU time per request. Run by hand (bounded:
# about a minute), not in the test suite. Needs `wrk` (apt-get install wrk) and a release
# build (cargo build --release -p ventanilla-server).
# Usage: scripts/bench-api.sh [PORT] [BINARY]   (defaults 3111, target/release/ventanilla)
# For experiments (BENCHMARKS.md says which runs used them): BENCH_OUTBOX=/dev/shm/x puts the
# demo file mailer's e-mails on tmpfs, as a stand-in for handing them to an SMTP relay;
# BENCH_WORK=/dev/shm/y puts everything, the database too, on tmpfs (no disk at all).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3111}"
bin="${2:-target/release/ventanilla}"
work="${BENCH_WORK:-target/bench-api}"
# The previous run's files are deleted and written back first: the kernel doing that during
# the measurement is noise from another run.
rm -rf "$work" && mkdir -p "$work" && sync
export DATABASE_URL="sqlite://$work/bench.db" VENTANILLA_ATTACHMENTS_DIR="$work/attachments" \
  VENTANILLA_OUTBOX_DIR="${BENCH_OUTBOX:-$work/outbox}" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn
"$bin" migrate
BENCH_KEY="$("$bin" apikey create --name bench \
  --scopes requests:read,requests:write,customers:write --rate-limit 1000000 2>/dev/null)"
export BENCH_KEY
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
cpu() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
tick=$(getconf CLK_TCK)

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) núcleos, carga: $(cut -d' ' -f1-3 /proc/loadavg), binario: $bin"
echo "== Siembra: 10.000 solicitudes, 8 conexiones, 1.000 clientes"
python3 scripts/bench-seed.py "$port" 10000 8
echo "solicitudes en la base: $(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM requests' 2>/dev/null || echo '?')"

echo "== Medición: wrk -t2 -c8 -d20s sobre la creación"
before=$(cpu)
count_before=$(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM requests' 2>/dev/null || echo 0)
wrk -t2 -c8 -d20s --latency -s scripts/bench-api.lua "http://127.0.0.1:$port"
after=$(cpu)
count_after=$(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM requests' 2>/dev/null || echo 0)
created=$((count_after - count_before))
echo "carga al terminar: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "creadas: $created; CPU del servidor: $(( (after - before) * 1000 / tick )) ms;" \
  "CPU por solicitud: $(awk -v c="$((after - before))" -v t="$tick" -v n="$created" 'BEGIN { if (n > 0) printf "%.3f ms", c * 1000 / t / n; else print "?" }')"
