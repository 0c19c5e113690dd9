"""Core adopting IdempotencyKey (from inventory) and ScheduledJobRun (from backups) keeps rows.

A database populated at the migrations before the move is migrated forward with Django's own
MigrationExecutor; the rows are then found through core's models.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forecourt.core.models import IdempotencyKey, ScheduledJobRun

BEFORE_THE_MOVE = [
    ("core", "0002_audit_append_only"),
    ("inventory", "0004_vehicle_make_status_price_index"),
    ("backups", "0001_initial"),
]
SLOT = datetime(2027, 3, 1, 2, tzinfo=UTC)


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_keeps_idempotency_keys_and_job_runs():
    try:
        old_apps = migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE).apps
        tables = connection.introspection.table_names()
        assert "inventory_idempotencykey" in tables
        assert "backups_scheduledjobrun" in tables
        user = old_apps.get_model("accounts", "User").objects.create(
            email="keeper@example.com", password="!"
        )
        old_apps.get_model("inventory", "IdempotencyKey").objects.create(
            user_id=user.pk,
            key="retry-1",
            request_hash="a" * 64,
            response_status=201,
            response_body=b'{"body": {"id": 7}, "headers": {}}',
        )
        old_apps.get_model("backups", "ScheduledJobRun").objects.create(
            job="backups.daily", slot=SLOT, worker="host-1", status="succeeded"
        )

        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())

        tables = connection.introspection.table_names()
        assert "inventory_idempotencykey" not in tables
        assert "backups_scheduledjobrun" not in tables
        kept_key = IdempotencyKey.objects.get()
        assert (kept_key.user_id, kept_key.key, kept_key.response_status) == (
            user.pk,
            "retry-1",
            201,
        )
        assert bytes(kept_key.response_body) == b'{"body": {"id": 7}, "headers": {}}'
        kept_run = ScheduledJobRun.objects.get()
        assert (kept_run.job, kept_run.slot, kept_run.worker, kept_run.status) == (
            "backups.daily",
            SLOT,
            "host-1",
            ScheduledJobRun.Status.SUCCEEDED,
        )
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
