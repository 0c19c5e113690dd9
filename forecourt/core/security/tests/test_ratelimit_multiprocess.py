"""Proof: 4 gunicorn worker processes share one exact limit, counted in Redis or PostgreSQL.

The app runs as it does in production (gunicorn, several processes) against this test's
PostgreSQL database; concurrent requests from many threads hit one limited page. Exactly
the limit is accepted, the rest are 429, whichever worker served them.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from forecourt.core.security.tests.test_ratelimit import _redis_reachable

PORT = int(os.environ.get("FORECOURT_RATELIMIT_TEST_PORT", "8111"))
WORKERS = 4
LIMIT = 25
REQUESTS = 80
THREADS = 16
START_TIMEOUT_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 20
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL) that the server processes can reach",
)


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def _get(path: str, forwarded_for: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}", headers={"X-Forwarded-For": forwarded_for}
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.fixture
def gunicorn_app(db, request):
    """Start gunicorn with WORKERS processes on PORT; yield once it answers; always stop it.

    The server processes use the migrated test database through connections of their own;
    they need nothing this test creates, and the counters they commit are visible here.
    (No transactional flush: it would also empty the role groups later tests rely on.)
    """
    store = request.param
    env = {
        **os.environ,
        "FORECOURT_ENV": "test",
        "DATABASE_URL": _database_url(),
        "RATE_LIMIT_ENABLED": "true",
        # A window of two days: no boundary falls inside the few seconds the test takes.
        "RATE_LIMIT_GLOBAL": f"{LIMIT}/2days",
        "TRUSTED_PROXY_HOPS": "1",
        "LOG_LEVEL": "WARNING",
    }
    if store == "database":
        env.pop("REDIS_URL", None)
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(GUNICORN),
            "forecourt.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if _get("/health/live", "127.0.0.1") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer in time")
            time.sleep(0.2)
        yield store
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.mark.parametrize(
    "gunicorn_app",
    [
        "database",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(not _redis_reachable(), reason="REDIS_URL not set or down"),
        ),
    ],
    indirect=True,
)
def test_exactly_the_limit_is_accepted_across_worker_processes(gunicorn_app):
    # A client address of its own (via the trusted proxy hop), so earlier runs never count.
    client = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda _: _get("/accounts/login/", client), range(REQUESTS)))
    assert results.count(200) == LIMIT, results
    assert results.count(429) == REQUESTS - LIMIT, results
    if gunicorn_app == "database":
        from forecourt.core.security.models import RateLimitCounter

        counter = RateLimitCounter.objects.get(key__contains=f"ip:{client}:")
        assert counter.count == REQUESTS
