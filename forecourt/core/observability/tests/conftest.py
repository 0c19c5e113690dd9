"""Fixtures for the monitoring tests: tuned settings, captured log lines, a real webhook
receiver (http.server on a local port), a clean shared store."""

from __future__ import annotations

import dataclasses
import http.server
import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from forecourt.core.logging import build_formatter
from forecourt.core.observability import store

RECEIVER_PORTS = range(8121, 8130)


@pytest.fixture(autouse=True)
def _clean_store(request: pytest.FixtureRequest) -> Iterator[None]:
    """Counters and dedup markers from earlier tests must not leak in (Redis persists)."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("db")
        store.clear()
    return


@pytest.fixture
def tune(settings: Any) -> Callable[..., None]:
    """tune(slow_request_ms=0, ...): replace monitoring settings for one test."""

    def apply(**changes: Any) -> None:
        settings.MONITORING = dataclasses.replace(settings.MONITORING, **changes)

    return apply


class LogCapture:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def events(self, event: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("event") == event]


@pytest.fixture
def log_output() -> Iterator[LogCapture]:
    """Every log line, formatted by the production JSON formatter, into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(build_formatter("json"))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield LogCapture(stream)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


@dataclasses.dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """A real HTTP server; answers each POST with the next status in `statuses`."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.server: http.server.ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def respond(self, *statuses: int) -> None:
        self.statuses = list(statuses)


def _handler_for(receiver: Receiver) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            if receiver.delay:
                threading.Event().wait(receiver.delay)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    recv = Receiver()
    for port in RECEIVER_PORTS:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler_for(recv))
            break
        except OSError:
            continue
    else:
        pytest.fail("no free port in 8121-8129 for the webhook receiver")
    server.daemon_threads = True
    recv.server = server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recv
    finally:
        server.shutdown()
        server.server_close()
