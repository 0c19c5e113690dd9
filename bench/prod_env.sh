# Sourced by bench/run.sh and bench/profile.sh: the production environment the benchmark
# serves with -- every required secret generated, limits high enough that the benchmark
# measures the app rather than the limiter (which stays on). Needs $BIN and $OUT.
export FORECOURT_ENV=production
SECRET_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(64))')"
FIELD_ENCRYPTION_KEYS="k1:$($BIN/python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
FIELD_HASH_KEY="$($BIN/python -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')"
BACKUP_ENCRYPTION_KEY="$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))')"
export SECRET_KEY FIELD_ENCRYPTION_KEYS FIELD_HASH_KEY BACKUP_ENCRYPTION_KEY
# INFO: the access log writes its line for every request, as in production (to the server's
# log file here). BENCH_LOG_LEVEL=WARNING measures without it.
export ALLOWED_HOSTS="127.0.0.1,localhost" DATA_DIR="$OUT/data" LOG_LEVEL="${BENCH_LOG_LEVEL:-INFO}"
export RATE_LIMIT_GLOBAL="100000000/minute" RATE_LIMIT_API="100000000/minute"
export RATE_LIMIT_API_DAILY="1000000000/day"
# Metrics in multiprocess mode, as deployed (docs/monitoring.md): a fresh folder per run.
export PROMETHEUS_MULTIPROC_DIR="$OUT/data/metrics"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
