"""Django's PostgreSQL backend with a health check that costs no round trip when the
connection is quiet (settings.DATABASES uses it for every PostgreSQL database).

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request
that reuses a connection: a database round trip per request, to learn what is nearly
always true. A connection the server has closed or is closing -- a restart, a terminated
backend, an idle timeout -- has something to read on its socket (the server's farewell
message, or the end of the stream). So this backend looks at the socket first (a poll
with no wait): nothing to read means the connection is as usable as it was after its last
answer, and only a connection with input waiting gets Django's `SELECT 1`, which reads it
and fails if the server has gone. What neither check sees early is a peer that vanished
without a word (a network partition); the query then fails as it would have anyway.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # no longer a socket
            return False
        return super().is_usable() if waiting else True
