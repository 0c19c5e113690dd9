"""Backup, restore, verify and retention: what the commands and the scheduled job call."""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

from forecourt import __version__
from forecourt.core.backups.archive import pack, read_manifest, seal, sha256_file, unpack
from forecourt.core.backups.engines import engine_for
from forecourt.core.backups.models import BackupRecord
from forecourt.core.backups.options import BackupOptions, options_from_config
from forecourt.core.backups.retention import backups_to_keep
from forecourt.core.backups.schema import compare_with_code
from forecourt.core.backups.storage import (
    ARCHIVE_SUFFIX,
    MANIFEST_SUFFIX,
    LocalStore,
    S3Store,
    backup_time,
)

logger = logging.getLogger("forecourt.backups")
MANIFEST_FORMAT = 1


class BackupNotFound(Exception):
    """No backup by that name or path, locally or in the bucket."""


class RestoreRefused(Exception):
    """Restoring would destroy data or load a schema this code cannot run."""


def new_backup_name(moment: datetime) -> str:
    # The random suffix keeps two backups within one second apart.
    return f"forecourt-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def stores(options: BackupOptions) -> tuple[LocalStore, S3Store | None]:
    return LocalStore(options.backup_dir), S3Store(options.s3) if options.s3 else None


# --- backup -----------------------------------------------------------------------------------


def create_backup(
    options: BackupOptions | None = None, *, now: datetime | None = None
) -> BackupRecord:
    """Dump the database and media into an encrypted archive with its manifest; upload it."""
    options = options or options_from_config()
    started = now or timezone.now()
    name = new_backup_name(started)
    local, remote = stores(options)
    try:
        local.folder.mkdir(parents=True, exist_ok=True)
        engine = engine_for(connection)
        with tempfile.TemporaryDirectory(prefix=".work-", dir=local.folder) as folder:
            workdir = Path(folder)
            snapshot = engine.dump(workdir / f"database{engine.dump_suffix}")
            manifest: dict[str, Any] = {
                "format": MANIFEST_FORMAT,
                "name": name,
                "created_at": started.isoformat(),
                "forecourt_version": __version__,
                "database": {"vendor": connection.vendor, "file": snapshot.file.name},
                "migrations": snapshot.migrations,
                "row_counts": snapshot.row_counts,
            }
            payload = pack(workdir, snapshot.file, options.media_root, manifest)
            partial = local.folder / f"{name}{ARCHIVE_SUFFIX}.part"
            seal(payload, partial, options.key)
            partial.replace(local.archive(name))
        manifest["archive"] = {
            "file": local.archive(name).name,
            "sha256": sha256_file(local.archive(name)),
            "size": local.archive(name).stat().st_size,
            "encryption": "AES-256-GCM, 1 MiB chunks, per-file key by HKDF-SHA256",
            "finished_at": timezone.now().isoformat(),
        }
        _write_manifest(local, name, manifest)
        remote_key = remote.upload(local.archive(name), local.manifest(name)) if remote else ""
    except Exception as error:
        with contextlib.suppress(OSError):
            local.delete(name)
        BackupRecord.objects.create(
            name=name,
            status=BackupRecord.Status.FAILED,
            started_at=started,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:4000],
        )
        raise
    logger.info("backup %s written (%s bytes)", name, manifest["archive"]["size"])
    # Recorded after the dump, so a backup never holds its own record half-written.
    return BackupRecord.objects.create(
        name=name,
        status=BackupRecord.Status.SUCCEEDED,
        started_at=started,
        finished_at=timezone.now(),
        archive_path=str(local.archive(name)),
        remote_key=remote_key,
        size_bytes=manifest["archive"]["size"],
        archive_sha256=manifest["archive"]["sha256"],
    )


def _write_manifest(local: LocalStore, name: str, manifest: dict[str, Any]) -> None:
    partial = local.folder / f"{name}{MANIFEST_SUFFIX}.part"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    partial.replace(local.manifest(name))


# --- finding a backup -------------------------------------------------------------------------


def locate(reference: str, options: BackupOptions) -> tuple[LocalStore, str]:
    """A local copy of backup `reference`: 'latest', a name, or a path to either of its files."""
    local, remote = stores(options)
    path = Path(reference)
    if path.suffix in {ARCHIVE_SUFFIX, ".json"} and path.exists():
        name = path.name.removesuffix(ARCHIVE_SUFFIX).removesuffix(MANIFEST_SUFFIX)
        local = LocalStore(path.resolve().parent)
        if local.manifest(name).exists() and local.archive(name).exists():
            return local, name
        raise BackupNotFound(f"{reference}: both {name}{ARCHIVE_SUFFIX} and its manifest needed")
    local_names = local.names()
    remote_names = remote.names() if remote else []
    if reference == "latest":
        candidates = sorted(set(local_names) | set(remote_names), key=backup_time)  # type: ignore[arg-type]
        if not candidates:
            raise BackupNotFound(f"no backups in {local.folder} or the bucket")
        reference = candidates[-1]
    if reference in local_names:
        return local, reference
    if remote and reference in remote_names:
        remote.download(reference, local)
        return local, reference
    raise BackupNotFound(f"no backup named {reference!r} in {local.folder} or the bucket")


# --- restore ----------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    name: str
    migrated: list[str] = field(default_factory=list)
    media_files: int = 0


def restore_backup(
    reference: str,
    options: BackupOptions | None = None,
    *,
    force: bool = False,
    migrate: bool = True,
) -> RestoreResult:
    """Restore into the configured database: checks first, then data, media, migrations."""
    from django.core.management import call_command

    options = options or options_from_config()
    local, name = locate(reference, options)
    manifest = read_manifest(local, name)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise RestoreRefused(f"the backup is of {vendor}; this database is {connection.vendor}")
    schema = compare_with_code(manifest["migrations"])
    if schema.is_newer:
        raise RestoreRefused(
            "the backup is from a newer Forecourt (unknown migrations: "
            + ", ".join(schema.unknown[:5])
            + "); upgrade Forecourt first, then restore"
        )
    engine = engine_for(connection)
    if not engine.is_empty() and not force:
        raise RestoreRefused("the database is not empty; restore into an empty one or use --force")
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=local.folder) as folder:
        # Checksums and decryption happen before the database is touched.
        manifest, extracted = unpack(local, name, options.key, Path(folder))
        if force:
            engine.wipe()
        engine.restore(extracted / manifest["database"]["file"])
        media = _restore_media(extracted / "media", options.media_root, replace=force)
    connection.close()  # the schema changed under this connection
    result = RestoreResult(name=name, media_files=media)
    if schema.is_older and migrate:
        call_command("migrate", interactive=False, verbosity=0)
        result.migrated = schema.missing
    logger.info("restored backup %s (%d media files)", name, media)
    return result


def _restore_media(source: Path, media_root: Path, *, replace: bool) -> int:
    if replace and media_root.is_dir():
        shutil.rmtree(media_root)
    if not source.is_dir():
        return 0
    shutil.copytree(source, media_root, dirs_exist_ok=True)
    return sum(1 for p in source.rglob("*") if p.is_file())


# --- verify -----------------------------------------------------------------------------------


@dataclass
class VerificationReport:
    name: str
    ok: bool
    problems: list[str]
    row_counts: dict[str, int]
    checked_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "problems": self.problems,
            "tables": len(self.row_counts),
            "rows": sum(self.row_counts.values()),
            "checked_at": self.checked_at.isoformat(),
        }


def verify_backup(
    reference: str = "latest", options: BackupOptions | None = None
) -> VerificationReport:
    """Restore a backup into a scratch database and check it against its manifest."""
    options = options or options_from_config()
    local, name = locate(reference, options)
    problems: list[str] = []
    counts: dict[str, int] = {}
    try:
        with tempfile.TemporaryDirectory(prefix=".verify-", dir=local.folder) as folder:
            manifest, extracted = unpack(local, name, options.key, Path(folder))
            if manifest["database"]["vendor"] != connection.vendor:
                raise RestoreRefused("the backup is of another database engine")
            inspection = engine_for(connection).scratch_inspection(
                extracted / manifest["database"]["file"]
            )
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    else:
        counts = inspection.row_counts
        problems += inspection.problems
        expected = manifest["row_counts"]
        for table in sorted(expected.keys() | counts.keys()):
            if expected.get(table) != counts.get(table):
                problems.append(
                    f"{table}: {counts.get(table, 'missing')} rows restored,"
                    f" manifest says {expected.get(table, 'absent')}"
                )
        if inspection.migrations != manifest["migrations"]:
            problems.append("the restored migration history differs from the manifest")
    report = VerificationReport(
        name=name, ok=not problems, problems=problems, row_counts=counts, checked_at=timezone.now()
    )
    BackupRecord.objects.filter(name=name).update(
        verification=BackupRecord.Verification.PASSED
        if report.ok
        else BackupRecord.Verification.FAILED,
        verified_at=report.checked_at,
        verification_report=report.as_dict(),
    )
    logger.log(
        logging.INFO if report.ok else logging.ERROR,
        "verified backup %s: %s",
        name,
        "ok" if report.ok else "; ".join(problems),
    )
    return report


# --- retention --------------------------------------------------------------------------------


def apply_retention(options: BackupOptions | None = None) -> list[str]:
    """Delete the backups the retention policy no longer keeps, locally and in the bucket."""
    options = options or options_from_config()
    local, remote = stores(options)
    deleted: list[str] = []
    for store in (local, remote):
        if store is None:
            continue
        names = store.names()
        moments = {name: backup_time(name) for name in names}
        keep = backups_to_keep(
            [m for m in moments.values() if m],
            daily=options.keep_daily,
            weekly=options.keep_weekly,
            monthly=options.keep_monthly,
        )
        for name in names:
            if moments[name] not in keep:
                store.delete(name)
                deleted.append(name)
    for name in set(deleted):
        logger.info("retention removed backup %s", name)
    return deleted
