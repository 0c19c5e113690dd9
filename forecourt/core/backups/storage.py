"""Where backup files live: the local folder, and optionally an S3-compatible bucket.

A backup is two files: NAME.fcbk (the encrypted archive) and NAME.manifest.json. A backup
counts as present only once its manifest exists: the manifest is written last, so a run that
died half-way never looks like a backup.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from forecourt.core.backups.options import S3Options

ARCHIVE_SUFFIX = ".fcbk"
MANIFEST_SUFFIX = ".manifest.json"
NAME_PATTERN = re.compile(r"^forecourt-(\d{8}T\d{6}Z)-[0-9a-f]{4}$")


def backup_time(name: str) -> datetime | None:
    """The instant encoded in a backup's name; None for names that are not ours."""
    match = NAME_PATTERN.match(name)
    if not match:
        return None
    return datetime.strptime(match[1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _names_from(filenames: list[str]) -> list[str]:
    names = [f.removesuffix(MANIFEST_SUFFIX) for f in filenames if f.endswith(MANIFEST_SUFFIX)]
    return sorted((n for n in names if backup_time(n)), key=lambda n: backup_time(n) or n)


class LocalStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def archive(self, name: str) -> Path:
        return self.folder / f"{name}{ARCHIVE_SUFFIX}"

    def manifest(self, name: str) -> Path:
        return self.folder / f"{name}{MANIFEST_SUFFIX}"

    def names(self) -> list[str]:
        """Complete backups, oldest first."""
        if not self.folder.is_dir():
            return []
        return [
            n
            for n in _names_from([p.name for p in self.folder.iterdir()])
            if self.archive(n).exists()
        ]

    def delete(self, name: str) -> None:
        # The manifest first: a half-deleted backup must not look complete.
        self.manifest(name).unlink(missing_ok=True)
        self.archive(name).unlink(missing_ok=True)


class S3Store:
    def __init__(self, options: S3Options):
        import boto3  # type: ignore[import-untyped]  # no stubs shipped; used via Any

        self.options = options
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=options.endpoint_url,
            region_name=options.region,
            aws_access_key_id=options.access_key_id,
            aws_secret_access_key=options.secret_access_key,
        )

    def key(self, filename: str) -> str:
        return f"{self.options.prefix}{filename}"

    def upload(self, archive: Path, manifest: Path) -> str:
        # boto3's managed transfer streams the file in parts; the manifest goes last.
        self.client.upload_file(str(archive), self.options.bucket, self.key(archive.name))
        self.client.upload_file(str(manifest), self.options.bucket, self.key(manifest.name))
        return self.key(archive.name)

    def names(self) -> list[str]:
        filenames = []
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.options.bucket, Prefix=self.options.prefix):
            filenames += [
                item["Key"].removeprefix(self.options.prefix) for item in page.get("Contents", [])
            ]
        return _names_from(filenames)

    def download(self, name: str, local: LocalStore) -> None:
        local.folder.mkdir(parents=True, exist_ok=True)
        for path in (local.archive(name), local.manifest(name)):
            partial = path.with_name(path.name + ".part")
            self.client.download_file(self.options.bucket, self.key(path.name), str(partial))
            partial.replace(path)

    def delete(self, name: str) -> None:
        for suffix in (MANIFEST_SUFFIX, ARCHIVE_SUFFIX):
            self.client.delete_object(Bucket=self.options.bucket, Key=self.key(name + suffix))
