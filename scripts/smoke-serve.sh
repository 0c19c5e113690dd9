#!/usr/bin/env bash
# Smoke: a fresh SQLite install migrates, seeds, serves, and answers health and login.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d)
port=${SMOKE_PORT:-8765}
export DATA_DIR="$data_dir" FORECOURT_ENV=development
unset DATABASE_URL REDIS_URL
server_pid=""
# Only ever the server we started: `kill 0` would end the whole process group (make, CI).
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$data_dir"' EXIT

.venv/bin/forecourt migrate --noinput >/dev/null
.venv/bin/forecourt seed-demo --quiet-logins
# Captured first: `grep -q` would close the pipe early and break the writer.
second_seed=$(.venv/bin/forecourt seed-demo --quiet-logins)
grep -q "0 rooftop(s) and 0 user(s) added" <<<"$second_seed"
grep -q "Demo inventory: 0 vehicle(s) added" <<<"$second_seed"
.venv/bin/forecourt check-config >/dev/null
.venv/bin/forecourt runserver "127.0.0.1:$port" --noreload >"$data_dir/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break
  sleep 0.2
done
page() { curl -fsS "http://127.0.0.1:$port$1"; }
grep -q '"status": "ok"' <<<"$(page /health/ready)"
grep -q "Sign in" <<<"$(page /accounts/login/)"
grep -q '"openapi": "3.1' <<<"$(page /api/v1/openapi.json)"
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/me")" = 401
echo "smoke: 5 passed, 0 failed"
