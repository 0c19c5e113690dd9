"""Packing a database dump and the media folder into one encrypted archive, and back.

Inside the (gzip-compressed, then encrypted) tar: the dump, media/..., and manifest.json
listing the SHA-256 of every file. Beside it, NAME.manifest.json: the same manifest plus the
SHA-256 of the encrypted archive, so a damaged copy is refused before anything is decrypted.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path
from typing import Any

from forecourt.core.backups.crypto import decrypt_stream, encrypt_stream
from forecourt.core.backups.storage import LocalStore

INNER_MANIFEST = "manifest.json"
_READ_BYTES = 1024 * 1024


class BackupCorrupt(Exception):
    """A checksum does not match, or the archive's two manifests disagree."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def pack(workdir: Path, dump: Path, media_root: Path, manifest: dict[str, Any]) -> Path:
    """Write workdir/payload.tar.gz; fills manifest["files"] with each file's SHA-256 and size."""
    entries = {dump.name: dump}
    entries |= {f"media/{p.relative_to(media_root).as_posix()}": p for p in media_files(media_root)}
    manifest["files"] = {
        arcname: {"sha256": sha256_file(path), "size": path.stat().st_size}
        for arcname, path in entries.items()
    }
    inner = workdir / INNER_MANIFEST
    inner.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    payload = workdir / "payload.tar.gz"
    with tarfile.open(payload, "w:gz", compresslevel=6) as tar:
        tar.add(inner, arcname=INNER_MANIFEST)
        for arcname, path in entries.items():
            tar.add(path, arcname=arcname, recursive=False)
    return payload


def seal(payload: Path, archive: Path, key: bytes) -> None:
    with payload.open("rb") as source, archive.open("wb") as target:
        encrypt_stream(source, target, key)


def read_manifest(local: LocalStore, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(local.manifest(name).read_text())
    return data


def unpack(local: LocalStore, name: str, key: bytes, workdir: Path) -> tuple[dict[str, Any], Path]:
    """Check, decrypt and extract backup `name` into workdir; (manifest, extracted folder)."""
    manifest = read_manifest(local, name)
    expected = manifest.get("archive", {}).get("sha256")
    if not expected or sha256_file(local.archive(name)) != expected:
        raise BackupCorrupt(f"{local.archive(name).name}: SHA-256 differs from its manifest")
    payload = workdir / "payload.tar.gz"
    with local.archive(name).open("rb") as source, payload.open("wb") as target:
        decrypt_stream(source, target, key)
    extracted = workdir / "extracted"
    with tarfile.open(payload, "r:gz") as tar:
        tar.extractall(extracted, filter="data")  # refuses absolute paths, .., devices, links out
    payload.unlink()
    inner = json.loads((extracted / INNER_MANIFEST).read_text())
    if inner != {k: v for k, v in manifest.items() if k != "archive"}:
        raise BackupCorrupt("the manifest beside the archive differs from the one inside it")
    for arcname, facts in inner["files"].items():
        path = extracted / arcname
        if not path.is_file() or sha256_file(path) != facts["sha256"]:
            raise BackupCorrupt(f"{arcname}: missing or its SHA-256 differs from the manifest")
    return manifest, extracted
