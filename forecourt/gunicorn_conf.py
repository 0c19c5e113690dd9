"""gunicorn settings, from the same typed configuration as everything else.

The container runs `forecourt serve` (granian); this is for running gunicorn instead:
    gunicorn -c python:forecourt.gunicorn_conf forecourt.wsgi
"""

from forecourt.core.config import get_config

_config = get_config()  # an invalid environment stops the server before it forks

bind = "0.0.0.0:8000"
workers = _config.web_concurrency
worker_class = "sync"
# Longer than the slowest legitimate request (exports, PDFs); the load balancer times out first.
timeout = 60
# On SIGTERM, requests in flight get this long to finish before workers are killed.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Every request is logged once, with its request id, by our own middleware.
accesslog = None
errorlog = "-"
# The reverse proxy sets X-Forwarded-Proto; trust it from anywhere inside the private network.
forwarded_allow_ips = "*"


def on_starting(server: object) -> None:
    """Start metrics from empty files: a previous run's worker files would add up."""
    from forecourt.core.observability.metrics import wipe_multiproc_dir

    wipe_multiproc_dir()


def child_exit(server: object, worker: object) -> None:
    """Drop a dead worker's live gauges from the multiprocess metrics."""
    from forecourt.core.observability.metrics import mark_process_dead

    mark_process_dead(worker.pid)  # type: ignore[attr-defined]
