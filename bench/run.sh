#!/usr/bin/env bash
# make bench: load 1,000,000 vehicles into PostgreSQL, serve the app in production mode with
# `forecourt serve` (granian), drive it with wrk, measure the SQL floor with pgbench, write the results.
# Knobs: BENCH_DB (forecourt_bench) BENCH_PORT (8141) BENCH_VEHICLES (1000000)
#        BENCH_DURATION (seconds per scenario, 15) BENCH_CONNECTIONS (16) REDIS_DB (6)
#        BENCH_SKIP_LOAD=1 (keep the loaded table when it already holds BENCH_VEHICLES rows;
#          the load takes minutes) BENCH_SCENARIOS ("search_page1 detail_id": a subset, for
#          quick A/B runs while developing) BENCH_SERVER (granian | gunicorn)
#        BENCH_THREADS (granian blocking threads per worker, 1)
#        BENCH_RESULTS (bench/results; another folder: a scratch run, docs untouched)
set -euo pipefail
cd "$(dirname "$0")/.."

PG="postgres://postgres@127.0.0.1:5432"
DB="${BENCH_DB:-forecourt_bench}"
PORT="${BENCH_PORT:-8141}"
VEHICLES="${BENCH_VEHICLES:-1000000}"
DURATION="${BENCH_DURATION:-15}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
REDIS_DB="${REDIS_DB:-6}"
BIN=.venv/bin
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
# BENCH_RESULTS=/tmp/x: a scratch run (its results stay out of bench/results and the docs).
RESULTS="${BENCH_RESULTS:-bench/results}"
OUT="$RESULTS/$STAMP"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench is needed (postgresql-client)" >&2; exit 1; }

psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || createdb -h 127.0.0.1 -U postgres "$DB"

# Loading and preparing run as development (seed-demo is refused in production).
export DATABASE_URL="$PG/$DB" REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
start=$(date +%s)
FORECOURT_ENV=development $BIN/forecourt migrate --noinput >/dev/null
loaded=$(psql "$PG/$DB" -tAc "SELECT count(*) FROM inventory_vehicle")
if [[ "${BENCH_SKIP_LOAD:-}" == 1 && "$loaded" -ge "$VEHICLES" ]]; then
  echo "== keeping the $loaded loaded vehicles (BENCH_SKIP_LOAD=1)"
  echo "load: skipped ($loaded rows kept)" > "$OUT/load.txt"
else
  echo "== migrate and load $VEHICLES vehicles"
  FORECOURT_ENV=development $BIN/forecourt seed-demo --quiet-logins --vehicles "$VEHICLES"
  echo "load: $(( $(date +%s) - start ))s" | tee "$OUT/load.txt"
fi

echo "== vacuum analyze and all-visible check"
# INDEX_CLEANUP ON: after earlier runs' price updates, a plain VACUUM may skip index cleanup
# (under 2% of pages touched) and leave those pages not all-visible.
psql "$PG/$DB" -qc "VACUUM (ANALYZE, INDEX_CLEANUP ON) inventory_vehicle"
psql "$PG/$DB" -tAc "SELECT relpages, relallvisible, reltuples::bigint FROM pg_class
  WHERE relname = 'inventory_vehicle'" | tee "$OUT/visibility.txt"
IFS='|' read -r pages visible tuples < "$OUT/visibility.txt"
if (( visible * 100 < pages * 99 )); then
  echo "inventory_vehicle is not all-visible ($visible of $pages pages)" >&2; exit 1
fi
psql "$PG/$DB" -tAc "SELECT indexrelid::regclass, pg_size_pretty(pg_relation_size(indexrelid))
  FROM pg_index WHERE indrelid = 'inventory_vehicle'::regclass" > "$OUT/indexes.txt"

echo "== prepare targets, query counts, SQL and EXPLAIN"
FORECOURT_ENV=development $BIN/python bench/prepare.py "$OUT" | tee "$OUT/query_counts.json"

SERVER="${BENCH_SERVER:-granian}"
echo "== serve with $SERVER (production settings)"
CORES=$(nproc)
source bench/prod_env.sh
$BIN/forecourt check-config >/dev/null || { $BIN/forecourt check-config; exit 1; }
$BIN/forecourt collectstatic --noinput >/dev/null
if [[ "$SERVER" == granian ]]; then
  # The production command (Dockerfile): `forecourt serve` runs granian with one worker per
  # core (WEB_CONCURRENCY), one blocking thread each (sync Django), HTTP/1.1 keep-alive.
  WEB_CONCURRENCY="$CORES" $BIN/forecourt serve --host 127.0.0.1 --port "$PORT" \
    --threads "${BENCH_THREADS:-1}" --pid-file "$OUT/server.pid" > "$OUT/server.log" 2>&1 &
else
  $BIN/gunicorn forecourt.wsgi:application --bind "127.0.0.1:$PORT" --workers "$CORES" \
    --worker-class sync --log-level warning --pid "$OUT/server.pid" \
    > "$OUT/server.log" 2>&1 &
fi
echo "$SERVER" > "$OUT/server.txt"
trap 'kill "$(cat "$OUT/server.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/live" && break; sleep 0.2; done

TOKEN=$(sed -n 's/^token = "\(.*\)"$/\1/p' "$OUT/targets.lua")
check() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H "X-Forwarded-Proto: https" -H "Host: 127.0.0.1" "http://127.0.0.1:$PORT$1")
  [[ "$code" == 200 ]] || { echo "GET $1 answered $code, expected 200" >&2; exit 1; }
}
check "/api/v1/vehicles?status=available&limit=1"

SCENARIOS="${BENCH_SCENARIOS:-search_page1 search_page2_5 search_deep detail_id detail_vin stock_prefix vin_tail update_price mix}"
run_wrk() {  # name connections threads
  $BIN/python bench/cpu_share.py snapshot "$OUT/cpu_before.json"
  WRK_JSON="$OUT/wrk_$1_c$2.json" wrk -t "$3" -c "$2" -d "${DURATION}s" --timeout 5s \
    -s bench/mix.lua "http://127.0.0.1:$PORT" -- "$1" "$OUT/targets.lua" >/dev/null
  $BIN/python bench/cpu_share.py report "$OUT/cpu_before.json" "$(cat "$OUT/server.pid")" \
    "$OUT/wrk_$1_c$2.json" > "$OUT/cpu_$1_c$2.json"
  echo "wrk $1 c=$2: $(cat "$OUT/wrk_$1_c$2.json") $(cat "$OUT/cpu_$1_c$2.json")"
}
echo "== wrk (warm-up, then each scenario at $CONNECTIONS connections)"
uptime > "$OUT/load_average.txt"  # the machine may be shared: record how busy it was
WRK_JSON=/dev/null wrk -t 2 -c 8 -d 5s -s bench/mix.lua "http://127.0.0.1:$PORT" -- search_page1 "$OUT/targets.lua" >/dev/null
for name in $SCENARIOS; do run_wrk "$name" "$CONNECTIONS" 2; done
for name in search_page1 detail_id; do
  [[ " $SCENARIOS " == *" $name "* ]] && run_wrk "$name" 1 1
done
kill "$(cat "$OUT/server.pid")" && trap - EXIT
sleep 1  # the workers finish and close their database connections

if [[ " $SCENARIOS " == *" search_page1 "* ]]; then
  echo "== the bare-view floor: page 1's SQL in one Django view, nothing else (bench/bare_view.py)"
  PYTHONPATH=bench BENCH_BARE_SQL="$OUT/pgbench_search_page1.sql" $BIN/granian --interface wsgi \
    --host 127.0.0.1 --port "$PORT" --workers "$CORES" --blocking-threads 1 --http 1 --no-ws \
    --no-access-log --log-level warning --pid-file "$OUT/server.pid" \
    bare_view:application > "$OUT/bare_server.log" 2>&1 &
  trap 'kill "$(cat "$OUT/server.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
  WRK_JSON=/dev/null wrk -t 2 -c 8 -d 3s -s bench/mix.lua "http://127.0.0.1:$PORT" -- bare_view \
    "$OUT/targets.lua" >/dev/null
  run_wrk bare_view "$CONNECTIONS" 2
  kill "$(cat "$OUT/server.pid")" && trap - EXIT
  sleep 1
fi
uptime >> "$OUT/load_average.txt"

echo "== pgbench: the same SQL, no app"
for name in $SCENARIOS; do
  [[ -f "$OUT/pgbench_$name.sql" ]] || continue
  for c in "$CONNECTIONS" 1; do
    [[ "$c" == 1 && "$name" != search_page1 && "$name" != detail_id ]] && continue
    mkdir -p "$OUT/pgbench_log_${name}_c$c"
    (cd "$OUT/pgbench_log_${name}_c$c" && pgbench -h 127.0.0.1 -U postgres -n -c "$c" \
      -j "$(( c < 2 ? 1 : 2 ))" -T "$DURATION" -l -f "../pgbench_$name.sql" "$DB" \
      > ../pgbench_${name}_c$c.txt 2>&1) || true
    echo "pgbench $name c=$c: $(grep -E '^tps' "$OUT/pgbench_${name}_c$c.txt" | head -1)"
  done
done

if [[ "$RESULTS" == bench/results ]]; then
  $BIN/python bench/report.py "$OUT" "$CONNECTIONS"
else
  $BIN/python bench/report.py "$OUT" "$CONNECTIONS" --no-docs
fi
# Per-transaction logs are large (summarised above); targets.lua holds the bench API token.
rm -rf "$OUT"/pgbench_log_* "$OUT/data" "$OUT/targets.lua"
echo "Results: $OUT (and docs/performance.md)"
