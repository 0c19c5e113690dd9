"""`python -m forecourt.core.healthcheck`: the container's HEALTHCHECK (no curl in the image).

Asks this container's own server for /health/live with a Host header from ALLOWED_HOSTS, so
host validation passes in production too. Exit status 0 = healthy.
"""

from __future__ import annotations

import os
import sys
import urllib.request


def check(url: str, host: str | None = None, timeout: float = 3.0) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310  # nosec B310
    try:
        # The URL is built here from a fixed scheme and host, never from input.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


def main() -> int:
    port = os.environ.get("PORT", "8000")
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    return check(f"http://127.0.0.1:{port}/health/live", host=hosts[0] if hosts else None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
