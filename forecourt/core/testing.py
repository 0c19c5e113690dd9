"""Helpers for the test suites of every app (fixtures live in forecourt/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
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


def restore_roles() -> None:
    """A transactional test flushes every table, the role groups included: put them back."""
    from django.contrib.auth.models import Group, Permission

    from forecourt.accounts.roles import sync_roles

    sync_roles(Group, Permission)
