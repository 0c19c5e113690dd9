#!/usr/bin/env bash
# CPU per request, in process, with the production settings bench/run.sh serves with.
#   bench/profile.sh TARGETS_DIR SCENARIO [profile_request.py options]
# TARGETS_DIR holds targets.lua from bench/prepare.py. See bench/profile_request.py.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT="$1"; shift
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${BENCH_DB:-forecourt_bench}}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/${REDIS_DB:-6}}"
source bench/prod_env.sh
exec $BIN/python bench/profile_request.py "$OUT/targets.lua" "$@"
