"""Back up, destroy, restore, compare every row: on whichever database the suite runs against.

`make test` runs these on PostgreSQL (pg_dump / pg_restore), `make smoke` on SQLite (the
online backup API), so both engines take the full round trip in CI.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from django.core.management import call_command
from django.db import connection

from forecourt.accounts.models import Rooftop
from forecourt.core.backups.archive import BackupCorrupt
from forecourt.core.backups.crypto import DecryptionError
from forecourt.core.backups.engines import engine_for
from forecourt.core.backups.models import BackupRecord
from forecourt.core.backups.service import (
    RestoreRefused,
    create_backup,
    restore_backup,
    verify_backup,
)
from forecourt.core.backups.status import last_successful_backup, last_verified_backup
from forecourt.core.backups.storage import LocalStore

from .conftest import all_rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dealer_data(make_user, rooftop, other_rooftop):
    """Rows in many tables: rooftops, users, groups, memberships, audit entries."""
    from forecourt.accounts.roles import Role

    make_user(Role.OWNER, rooftops=[rooftop, other_rooftop], full_name='Ada Ø\'Brien "quoted"')
    make_user(Role.SALESPERSON)
    Rooftop.objects.create(
        code="unicode", name="Müller & Söhne \u2013 Straße 1", country="GB", currency="GBP"
    )


def media_snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_full_round_trip_restores_every_row_and_file(dealer_data, backup_options, media_root):
    before_rows, before_media = all_rows(), media_snapshot(media_root)
    assert before_rows["accounts_rooftop"]
    assert before_rows["accounts_user"]

    record = create_backup(backup_options)

    assert record.status == BackupRecord.Status.SUCCEEDED
    manifest = json.loads(LocalStore(backup_options.backup_dir).manifest(record.name).read_text())
    assert manifest["row_counts"]["accounts_rooftop"] == len(before_rows["accounts_rooftop"])
    assert manifest["database"]["vendor"] == connection.vendor
    assert "accounts.0001_initial" in manifest["migrations"]
    assert set(manifest["files"]) >= {
        "media/vehicles/42/front.jpg",
        "media/documents/buyers-guide.pdf",
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    assert len(manifest["archive"]["sha256"]) == 64
    # The archive on disk is encrypted: no plaintext of the data or the media.
    archive_bytes = LocalStore(backup_options.backup_dir).archive(record.name).read_bytes()
    assert b"Springfield" not in archive_bytes
    assert b"%PDF" not in archive_bytes

    engine_for(connection).wipe()  # destroy the database...
    shutil.rmtree(media_root)  # ...and the media
    assert engine_for(connection).is_empty()

    result = restore_backup(record.name, backup_options)

    assert result.name == record.name
    assert result.media_files == 2
    assert all_rows() == before_rows
    assert media_snapshot(media_root) == before_media


def test_verify_restores_into_a_scratch_database_and_records_the_result(
    dealer_data, backup_options
):
    assert last_successful_backup() is None
    assert last_verified_backup() is None
    record = create_backup(backup_options)
    rows_before = all_rows()

    report = verify_backup("latest", backup_options)

    assert report.ok, report.problems
    assert report.name == record.name
    assert report.row_counts["accounts_rooftop"] == Rooftop.objects.count()
    record.refresh_from_db()
    assert record.verification == BackupRecord.Verification.PASSED
    assert last_successful_backup() == record.started_at
    assert last_verified_backup() == record.started_at
    # The live database was not touched (only the verification fields of its record).
    assert {t: r for t, r in all_rows().items() if t != "backups_backuprecord"} == {
        t: r for t, r in rows_before.items() if t != "backups_backuprecord"
    }


def test_verify_reports_row_counts_that_differ_from_the_manifest(dealer_data, backup_options):
    record = create_backup(backup_options)
    local = LocalStore(backup_options.backup_dir)
    manifest = json.loads(local.manifest(record.name).read_text())
    manifest["row_counts"]["accounts_rooftop"] += 1
    # Both manifests must agree or the archive is refused earlier: rewrite the outer only.
    local.manifest(record.name).write_text(json.dumps(manifest))

    report = verify_backup(record.name, backup_options)

    assert not report.ok
    assert any("manifest" in problem for problem in report.problems)
    record.refresh_from_db()
    assert record.verification == BackupRecord.Verification.FAILED
    assert last_verified_backup() is None


def test_restore_refuses_a_non_empty_database_unless_forced(dealer_data, backup_options):
    record = create_backup(backup_options)
    rows = all_rows()
    Rooftop.objects.create(code="after-backup", name="Added later", country="US", currency="USD")

    with pytest.raises(RestoreRefused, match="not empty"):
        restore_backup(record.name, backup_options)
    assert Rooftop.objects.filter(code="after-backup").exists()

    restore_backup(record.name, backup_options, force=True)
    assert not Rooftop.objects.filter(code="after-backup").exists()
    assert all_rows() == rows | {"backups_backuprecord": []}


def test_restore_refuses_a_backup_from_a_newer_schema(dealer_data, backup_options):
    record = create_backup(backup_options)
    local = LocalStore(backup_options.backup_dir)
    manifest = json.loads(local.manifest(record.name).read_text())
    manifest["migrations"].append("accounts.9999_from_the_future")
    local.manifest(record.name).write_text(json.dumps(manifest))
    engine_for(connection).wipe()

    with pytest.raises(RestoreRefused, match="newer Forecourt"):
        restore_backup(record.name, backup_options)
    assert engine_for(connection).is_empty()  # refused before writing anything
    call_command("migrate", verbosity=0)  # leave a schema for the teardown


def test_restore_of_an_older_backup_applies_the_newer_migrations(dealer_data, backup_options):
    call_command("migrate", "sessions", "zero", verbosity=0)  # the "old" schema lacks sessions
    record = create_backup(backup_options)
    engine_for(connection).wipe()

    result = restore_backup(record.name, backup_options)

    assert "sessions.0001_initial" in result.migrated
    assert "django_session" in connection.introspection.table_names()
    assert Rooftop.objects.filter(name="Springfield").exists()


def test_a_damaged_or_foreign_archive_is_refused_before_the_database_is_touched(
    dealer_data, backup_options
):
    record = create_backup(backup_options)
    local = LocalStore(backup_options.backup_dir)
    engine_for(connection).wipe()

    wrong_key = dataclasses.replace(backup_options, key=b"another-key-" * 4)
    with pytest.raises(DecryptionError):
        restore_backup(record.name, wrong_key)
    assert engine_for(connection).is_empty()

    data = bytearray(local.archive(record.name).read_bytes())
    data[len(data) // 2] ^= 0x01
    local.archive(record.name).write_bytes(bytes(data))
    with pytest.raises(BackupCorrupt, match="SHA-256"):
        restore_backup(record.name, backup_options)
    assert engine_for(connection).is_empty()
    call_command("migrate", verbosity=0)


def test_backup_and_verify_commands(dealer_data, backup_options, capsys, monkeypatch):
    from forecourt.core.backups.management.commands import backup as backup_command

    monkeypatch.setattr(backup_command, "options_from_config", lambda: backup_options)
    call_command("backup")
    assert "written to" in capsys.readouterr().out
    call_command("backup", "verify")
    assert "Verified: restored rows match the manifest." in capsys.readouterr().out
    call_command("backup", "list")
    assert "forecourt-" in capsys.readouterr().out
