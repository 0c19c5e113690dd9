#!/usr/bin/env bash
# Smoke: a fresh SQLite install migrates, seeds, serves, and answers health and login.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d)
port=${SMOKE_PORT:-8765}
export DATA_DIR="$data_dir" FORECOURT_ENV=development
unset DATABASE_URL REDIS_URL
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$data_dir"' EXIT

.venv/bin/forecourt migrate --noinput >/dev/null
.venv/bin/forecourt seed-demo --quiet-logins
.venv/bin/forecourt seed-demo --quiet-logins | grep -q "0 rooftop(s) and 0 user(s) added"
.venv/bin/forecourt check-config >/dev/null
.venv/bin/forecourt runserver "127.0.0.1:$port" --noreload >"$data_dir/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/health/live" >/dev/null && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/health/ready" | grep -q '"status": "ok"'
curl -fs "http://127.0.0.1:$port/accounts/login/" | grep -q "Sign in"
curl -fs "http://127.0.0.1:$port/api/v1/openapi.json" | grep -q '"openapi": "3.1'
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/me")" = 401
echo "smoke: 5 passed, 0 failed"
