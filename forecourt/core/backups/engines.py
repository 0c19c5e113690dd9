"""Database-specific halves of backup and restore: PostgreSQL (pg_dump) and SQLite (backup API).

Both produce one consistent file plus the row counts and applied migrations *of that same
snapshot*, so the manifest describes exactly what the dump holds even while the app writes.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import sql


class BackupEngineError(Exception):
    """A database tool failed; the message says which and why."""


@dataclass
class Snapshot:
    """What one consistent copy of the database holds."""

    file: Path
    row_counts: dict[str, int]
    migrations: list[str]  # "app.name", in the order they were applied


@dataclass
class Inspection:
    """What a restored copy holds, and what is wrong with it."""

    row_counts: dict[str, int]
    migrations: list[str]
    problems: list[str] = field(default_factory=list)


class Engine(Protocol):
    dump_suffix: str

    def dump(self, target: Path) -> Snapshot: ...
    def is_empty(self) -> bool: ...
    def wipe(self) -> None: ...
    def restore(self, dump: Path) -> None: ...
    def scratch_inspection(self, dump: Path) -> Inspection: ...


def engine_for(connection: BaseDatabaseWrapper) -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine(connection.settings_dict)
    if connection.vendor == "sqlite":
        return SqliteEngine(connection)
    raise BackupEngineError(f"backups support PostgreSQL and SQLite, not {connection.vendor}")


def _run(command: list[str], env: dict[str, str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupEngineError(f"{command[0]} is not installed (PostgreSQL client tools)")
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments are ours, no shell
        [executable, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupEngineError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


# --- PostgreSQL -------------------------------------------------------------------------------


class PostgresEngine:
    dump_suffix = ".pgdump"

    def __init__(self, settings_dict: dict[str, Any]):
        self.settings = settings_dict
        self.dbname = str(settings_dict["NAME"])

    def _connect_kwargs(self, dbname: str | None = None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"dbname": dbname or self.dbname}
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER")):
            if self.settings.get(setting):
                kwargs[key] = str(self.settings[setting])
        if self.settings.get("PASSWORD"):
            kwargs["password"] = self.settings["PASSWORD"]
        for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            if key in self.settings.get("OPTIONS", {}):
                kwargs[key] = self.settings["OPTIONS"][key]
        return kwargs

    def _tool_env(self, dbname: str | None = None) -> dict[str, str]:
        # libpq reads these, so the password never appears in a process list.
        names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD"}
        names |= {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT"}
        names |= {"sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY", "dbname": "PGDATABASE"}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, value in self._connect_kwargs(dbname).items():
            env[names[key]] = str(value)
        return env

    def connect(self, dbname: str | None = None, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(**self._connect_kwargs(dbname), autocommit=autocommit)

    @staticmethod
    def _tables(pg: psycopg.Connection) -> list[str]:
        rows = pg.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        ).fetchall()
        return [row[0] for row in rows]

    @classmethod
    def _counts_and_migrations(cls, pg: psycopg.Connection) -> tuple[dict[str, int], list[str]]:
        tables = cls._tables(pg)
        counts = {}
        for table in tables:
            row = pg.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = int(row.fetchone()[0])  # type: ignore[index]
        migrations = []
        if "django_migrations" in tables:
            rows = pg.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
            migrations = [f"{app}.{name}" for app, name in rows]
        return counts, migrations

    def dump(self, target: Path) -> Snapshot:
        with self.connect() as pg:
            # One REPEATABLE READ snapshot, exported to pg_dump: the counts and the dump
            # describe the same instant, however busy the database is meanwhile.
            pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            pg.read_only = True
            snapshot_id = pg.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
            counts, migrations = self._counts_and_migrations(pg)
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
                self._tool_env(),
            )
            pg.rollback()
        return Snapshot(file=target, row_counts=counts, migrations=migrations)

    def is_empty(self) -> bool:
        with self.connect() as pg:
            return not self._tables(pg)

    def wipe(self) -> None:
        with self.connect(autocommit=True) as pg:
            schema = pg.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
            pg.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
            pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))

    def restore(self, dump: Path, dbname: str | None = None) -> None:
        target = dbname or self.dbname
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={target}",
                str(dump),
            ],
            self._tool_env(target),
        )

    def inspect(self, dbname: str) -> Inspection:
        with self.connect(dbname) as pg:
            counts, migrations = self._counts_and_migrations(pg)
            # pg_restore re-creates every constraint, which checks the rows; one left
            # NOT VALID would mean rows that break it slipped through.
            invalid = pg.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE NOT convalidated"
            ).fetchall()
        problems = [f"constraint {name} on {table} is not valid" for table, name in invalid]
        return Inspection(row_counts=counts, migrations=migrations, problems=problems)

    @contextlib.contextmanager
    def scratch_database(self) -> Iterator[str]:
        """A new, empty database beside this one, dropped afterwards whatever happens."""
        name = f"{self.dbname}_verify_{secrets.token_hex(4)}"[:63]
        with self.connect(autocommit=True) as pg:
            pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            with self.connect(autocommit=True) as pg:
                pg.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )

    def scratch_inspection(self, dump: Path) -> Inspection:
        with self.scratch_database() as name:
            self.restore(dump, dbname=name)
            return self.inspect(name)


# --- SQLite -----------------------------------------------------------------------------------


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sqlite_counts_and_migrations(db: sqlite3.Connection) -> tuple[dict[str, int], list[str]]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {}
    for table in tables:
        # Table names come from sqlite_master, quoted as identifiers: not user input.
        query = f"SELECT count(*) FROM {_quote(table)}"  # noqa: S608  # nosec B608
        counts[table] = int(db.execute(query).fetchone()[0])
    migrations = []
    if "django_migrations" in tables:
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
        migrations = [f"{app}.{name}" for app, name in rows]
    return counts, migrations


class SqliteEngine:
    dump_suffix = ".sqlite3"

    def __init__(self, connection: BaseDatabaseWrapper):
        self.connection = connection

    def _raw(self) -> sqlite3.Connection:
        self.connection.ensure_connection()
        raw = self.connection.connection
        assert isinstance(raw, sqlite3.Connection)  # noqa: S101 - vendor checked by engine_for
        return raw

    def dump(self, target: Path) -> Snapshot:
        # The online backup API copies a consistent image even while other connections write.
        copy = sqlite3.connect(target)
        try:
            self._raw().backup(copy)
            counts, migrations = _sqlite_counts_and_migrations(copy)
        finally:
            copy.close()
        return Snapshot(file=target, row_counts=counts, migrations=migrations)

    def is_empty(self) -> bool:
        counts, _ = _sqlite_counts_and_migrations(self._raw())
        return not counts

    def wipe(self) -> None:
        raw = self._raw()
        raw.execute("PRAGMA foreign_keys = OFF")
        objects = raw.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for kind, name in objects:
            raw.execute(f"DROP {kind.upper()} IF EXISTS {_quote(name)}")
        raw.commit()
        raw.execute("PRAGMA foreign_keys = ON")

    def restore(self, dump: Path) -> None:
        source = sqlite3.connect(dump)
        try:
            source.backup(self._raw())
        finally:
            source.close()

    def scratch_inspection(self, dump: Path) -> Inspection:
        with tempfile.TemporaryDirectory(prefix="forecourt-verify-") as folder:
            scratch = Path(folder) / "scratch.sqlite3"
            shutil.copyfile(dump, scratch)
            db = sqlite3.connect(scratch)
            try:
                integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                counts, migrations = _sqlite_counts_and_migrations(db)
            finally:
                db.close()
        problems = [] if integrity == ["ok"] else [f"integrity_check: {m}" for m in integrity]
        problems += [f"row {rowid} of {table} breaks a foreign key" for table, rowid, *_ in broken]
        return Inspection(row_counts=counts, migrations=migrations, problems=problems)
