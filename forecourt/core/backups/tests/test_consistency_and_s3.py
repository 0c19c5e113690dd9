"""A backup taken while the app writes is consistent; backups travel to and from S3."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections, transaction

from forecourt.accounts.models import Rooftop
from forecourt.core.backups.service import (
    apply_retention,
    create_backup,
    restore_backup,
    verify_backup,
)
from forecourt.core.backups.storage import ARCHIVE_SUFFIX, MANIFEST_SUFFIX, LocalStore, S3Store

from .conftest import all_rows, bucket_keys

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    "postgresql" not in connection.settings_dict["ENGINE"], reason="pg_dump under concurrent writes"
)
def test_backup_taken_while_the_app_writes_restores_consistently(backup_options):
    written = threading.Event()
    stop = threading.Event()
    counts = {"rooftops": 0}

    def writer() -> None:
        try:
            for n in range(100_000):  # bounded; stops as soon as the backup is done
                if stop.is_set():
                    break
                with transaction.atomic():  # a rooftop and its audit entry: both or neither
                    rooftop = Rooftop.objects.create(
                        code=f"w{n}", name=f"Written {n}", country="US", currency="USD"
                    )
                    from forecourt.core import audit

                    audit.record(None, "rooftop.created", rooftop)
                counts["rooftops"] = n + 1
                if n == 20:
                    written.set()
        finally:
            written.set()
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    written.wait()
    try:
        record = create_backup(backup_options)
    finally:
        stop.set()
        thread.join()

    report = verify_backup(record.name, backup_options)

    assert report.ok, report.problems
    in_backup = report.row_counts["accounts_rooftop"]
    assert 21 <= in_backup <= counts["rooftops"]
    # Each rooftop was written with its audit entry in one transaction: a consistent
    # snapshot holds exactly as many of one as of the other.
    assert report.row_counts["core_auditentry"] == in_backup


def test_backup_goes_to_the_bucket_and_restores_from_it(rooftop, backup_options, s3_options):
    options = dataclasses.replace(backup_options, s3=s3_options)
    rows = all_rows()

    record = create_backup(options)

    assert bucket_keys(s3_options) == [
        f"site-a/{record.name}{ARCHIVE_SUFFIX}",
        f"site-a/{record.name}{MANIFEST_SUFFIX}",
    ]
    assert record.remote_key == f"site-a/{record.name}{ARCHIVE_SUFFIX}"
    # The server lost its disk: only the bucket has the backup.
    LocalStore(options.backup_dir).delete(record.name)
    from forecourt.core.backups.engines import engine_for

    engine_for(connection).wipe()

    restore_backup("latest", options)

    assert all_rows() == rows
    assert verify_backup("latest", options).ok


def _fake_backup(local: LocalStore, moment: datetime) -> str:
    name = f"forecourt-{moment:%Y%m%dT%H%M%SZ}-abcd"
    local.folder.mkdir(parents=True, exist_ok=True)
    local.archive(name).write_bytes(b"archive")
    local.manifest(name).write_text("{}")
    return name


def test_retention_applies_locally_and_in_the_bucket(backup_options, s3_options, settings):
    settings.TIME_ZONE = "UTC"
    options = dataclasses.replace(
        backup_options, s3=s3_options, keep_daily=3, keep_weekly=2, keep_monthly=2
    )
    local, remote = LocalStore(options.backup_dir), S3Store(s3_options)
    # One backup a day at 02:00 from Saturday 1 Jan to Tuesday 29 Feb 2028.
    for day in range(60):
        name = _fake_backup(local, datetime(2028, 1, 1, 2, tzinfo=UTC) + timedelta(days=day))
        remote.upload(local.archive(name), local.manifest(name))

    deleted = apply_retention(options)

    kept = {
        "forecourt-20280229T020000Z-abcd",  # daily; newest of its week and of February
        "forecourt-20280228T020000Z-abcd",  # daily (Monday: same ISO week as the 29th)
        "forecourt-20280227T020000Z-abcd",  # daily; and newest of the week before (Sunday)
        "forecourt-20280131T020000Z-abcd",  # newest of January
    }
    assert set(local.names()) == kept
    assert set(remote.names()) == kept
    assert len(deleted) == 2 * (60 - len(kept))


def test_scheduled_backup_backs_up_prunes_and_verifies(rooftop, backup_options):
    from forecourt.core.backups.jobs import scheduled_backup
    from forecourt.core.backups.models import BackupRecord

    local = LocalStore(backup_options.backup_dir)
    old = _fake_backup(local, datetime(2020, 1, 1, 2, tzinfo=UTC))  # past every retention slot

    assert scheduled_backup(
        dataclasses.replace(backup_options, keep_daily=1, keep_weekly=0, keep_monthly=0)
    )

    record = BackupRecord.objects.get(status=BackupRecord.Status.SUCCEEDED)
    assert record.verification == BackupRecord.Verification.PASSED
    assert old not in local.names()
    assert local.names() == [record.name]


def test_a_failed_scheduled_backup_raises_an_alert(rooftop, backup_options, tmp_path):
    from forecourt.core.backups.jobs import scheduled_backup
    from forecourt.core.backups.models import BackupRecord
    from forecourt.core.observability.models import Alert

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backup folder should be")

    assert scheduled_backup(dataclasses.replace(backup_options, backup_dir=blocked)) is False

    alert = Alert.objects.get(title="Backup failed")
    assert alert.level == "critical"
    assert BackupRecord.objects.get().status == BackupRecord.Status.FAILED
