"""The PostgreSQL backend's health check (forecourt/core/db/postgresql/base.py): a quiet
connection passes without a round trip, one the server has closed is caught before a
request's query fails on it."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_connection() -> Iterator[Any]:
    """A second connection to the test database, outside the test's transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("the health check belongs to the PostgreSQL backend")
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _round_trips(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = PostgreSQLDatabaseWrapper.is_usable

    def counted(self: Any) -> bool:
        calls.append(1)
        return original(self)

    monkeypatch.setattr(PostgreSQLDatabaseWrapper, "is_usable", counted)
    return calls


def test_settings_use_the_backend():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no health check")
    assert type(connections["default"]).__module__ == "forecourt.core.db.postgresql.base"


def test_a_quiet_connection_is_usable_without_a_query(own_connection, monkeypatch):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    round_trips = _round_trips(monkeypatch)
    assert own_connection.is_usable()
    assert round_trips == []


def test_a_connection_the_server_closed_is_not_usable(own_connection, monkeypatch):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:  # as a restart or an idle timeout would
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    socket = own_connection.connection.fileno()
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.05)[0] and time.monotonic() < deadline:
        pass
    round_trips = _round_trips(monkeypatch)
    assert not own_connection.is_usable()
    assert round_trips == [1]  # the waiting input was read by Django's own check


def test_a_request_after_the_server_closed_the_connection_gets_a_new_one(own_connection):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    own_connection.health_check_done = False  # what close_old_connections does per request
    own_connection.close_if_health_check_failed()
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
