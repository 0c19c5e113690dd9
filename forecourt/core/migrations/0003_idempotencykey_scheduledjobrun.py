"""Core takes over two tables it always owned in spirit, keeping every row.

`IdempotencyKey` was created by inventory (0001) and `ScheduledJobRun` by backups (0001) while
core had no migration for them. Here core adopts both in Django's state only (the tables and
their rows stay), then renames each table to core's name. The inventory and backups migrations
that follow drop the models from their own state without touching the database.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_append_only"),
        ("inventory", "0004_vehicle_make_status_price_index"),
        ("backups", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.CharField(max_length=255)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField(default=0)),
                        ("response_body", models.BinaryField(default=b"")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "inventory_idempotencykey",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "key"), name="idempotency_key_per_user"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ScheduledJobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("job", models.CharField(max_length=100)),
                        (
                            "slot",
                            models.DateTimeField(
                                help_text="The scheduled instant this run is for."
                            ),
                        ),
                        ("worker", models.CharField(max_length=100)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("running", "Running"),
                                    ("succeeded", "Succeeded"),
                                    ("failed", "Failed"),
                                ],
                                default="running",
                                max_length=12,
                            ),
                        ),
                        ("started_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("error", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "backups_scheduledjobrun",
                        "ordering": ["-slot"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("job", "slot"), name="scheduled_job_run_once_per_slot"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Real renames: the rows, indexes and constraints move with the table.
        migrations.AlterModelTable(name="idempotencykey", table=None),
        migrations.AlterModelTable(name="scheduledjobrun", table=None),
    ]
