"""Helpers for the test suites of every app (fixtures live in forecourt/conftest.py)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only credential


def bearer(raw_token: str) -> dict[str, str]:
    """Django test-client headers that authenticate with an API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}


def run_at_once(work: Callable[[int], Any], workers: int) -> list[tuple[str, Any]]:
    """Call work(0..workers-1) in threads released together, each with its own database
    connection, as separate app processes would; returns ("ok", result) / ("error", exc)."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(workers)
    outcomes: list[tuple[str, Any]] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(("ok", work(n)))
        except Exception as error:
            outcomes.append(("error", error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@contextmanager
def _no_connection_recycling() -> Iterator[None]:
    # As Django's test client does: the test's transaction must survive the request.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_environ(
    path: str,
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes = b"",
    host: str = "testserver",
) -> dict[str, Any]:
    """The WSGI environ a server makes for `method path` with these headers and JSON body
    (tests and bench/profile_request.py call the application with it directly)."""
    raw_path, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": raw_path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def wsgi_call(path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Any:
    """One request through the production WSGI application (forecourt.wsgi: the lane
    dispatcher), as a server would make it; returns {"status", "headers", "body"}."""
    environ = wsgi_environ(path, headers=headers, method=method)
    answer: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc: Any = None
    ) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = {k.lower(): v for k, v in response_headers}

    from forecourt import wsgi

    with _no_connection_recycling():
        chunks = wsgi.application(environ, start_response)
        try:
            answer["body"] = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    return answer


def watch_console(page: Any) -> list[str]:
    """Collect a Playwright page's console errors (CSP violations among them) and uncaught
    script errors; every browser test fails on them through the `page` fixture."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


# axe-core, vendored for the browser tests only (docs/dependencies.md names its version).
AXE_SCRIPT = Path(__file__).parent / "tests" / "vendor" / "axe" / "axe.min.js"
AXE_BLOCKING_IMPACTS = ("serious", "critical")
_AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


def axe_violations(page: Any) -> list[str]:
    """The page's serious and critical accessibility violations, as axe-core reports them.
    The script goes in through the DevTools protocol (page.evaluate), which the page's CSP
    does not govern: the pages themselves never load it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in page.evaluate(_AXE_RUN)
        if v["impact"] in AXE_BLOCKING_IMPACTS
    ]
