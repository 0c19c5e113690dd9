"""Fixtures for the backup tests: options in a temporary folder, a real S3-compatible server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from forecourt.core.backups.options import BackupOptions, S3Options

MOTO_PORT = int(os.environ.get("FORECOURT_TEST_S3_PORT", "8131"))
TEST_KEY = b"test-backup-key-0123456789abcdefghijkl"


def all_rows() -> dict[str, list[str]]:
    """Every row of every table, order-independent, as text: for exact before/after checks."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


@pytest.fixture
def media_root(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "vehicles" / "42").mkdir(parents=True)
    (root / "vehicles" / "42" / "front.jpg").write_bytes(os.urandom(300_000))
    (root / "documents").mkdir()
    (root / "documents" / "buyers-guide.pdf").write_bytes(b"%PDF-1.7 test document")
    return root


@pytest.fixture
def backup_options(tmp_path: Path, media_root: Path) -> BackupOptions:
    return BackupOptions(backup_dir=tmp_path / "backups", media_root=media_root, key=TEST_KEY)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3-compatible server as a real local process (not an in-process mock)."""
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    assert executable, "moto[server] is a dev dependency: pip install -e '.[dev]'"
    process = subprocess.Popen(  # noqa: S603 - our own test server
        [executable, "-H", "127.0.0.1", "-p", str(MOTO_PORT)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # readiness polling, not a timing assertion
            if _port_open(MOTO_PORT):
                break
            if process.poll() is not None:
                pytest.fail(f"moto_server exited with {process.returncode}")
            time.sleep(0.05)
        else:
            pytest.fail(f"moto_server did not listen on port {MOTO_PORT}")
        yield f"http://127.0.0.1:{MOTO_PORT}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_options(s3_server: str) -> S3Options:
    import boto3

    bucket = f"backups-{uuid.uuid4().hex[:12]}"
    options = S3Options(
        bucket=bucket,
        prefix="site-a/",
        endpoint_url=s3_server,
        region="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",  # moto accepts any credentials
    )
    client: Any = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    return options


def bucket_keys(options: S3Options) -> list[str]:
    import boto3

    client: Any = boto3.client(
        "s3",
        endpoint_url=options.endpoint_url,
        region_name=options.region,
        aws_access_key_id=options.access_key_id,
        aws_secret_access_key=options.secret_access_key,
    )
    listing = client.list_objects_v2(Bucket=options.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))
