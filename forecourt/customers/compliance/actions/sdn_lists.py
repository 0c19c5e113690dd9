"""Loading an edition of Treasury's SDN list (the `ofac-import` command): streamed, idempotent."""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.compliance import ofac
from forecourt.customers.models import OfacEntry, OfacList

logger = logging.getLogger("forecourt.customers.compliance")

IMPORT_BATCH = 2000


@dataclass(frozen=True)
class ImportResult:
    sdn_list: OfacList
    created: bool  # False: this exact file was imported before
    made_current: bool


def _digest_and_encoding(handle: BinaryIO, digest: Any) -> str:
    """Feed the file to `digest` in 1 MiB chunks; its encoding: UTF-8 if valid, else cp1252.

    One streaming pass, so a large file is never held in memory.
    """
    utf8 = codecs.getincrementaldecoder("utf-8")()
    valid_utf8 = True
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        if valid_utf8:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                valid_utf8 = False
    handle.seek(0)
    # Treasury's older files are Windows-1252, in which every byte decodes.
    return "utf-8-sig" if valid_utf8 else "cp1252"


def _text_lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def _entries(
    sdn_list: OfacList,
    sdn_lines: Iterator[str],
    alias_lines: Iterator[str] | None,
    names: tuple[str, str],
) -> Iterator[OfacEntry]:
    sdn_source, alias_source = names
    primaries: dict[int, tuple[str, str]] = {}
    for record in ofac.parse_sdn(sdn_lines, sdn_source):
        if record.ent_num in primaries:
            raise ofac.OfacFileError(f"{sdn_source}: ent_num {record.ent_num} appears twice.")
        primaries[record.ent_num] = (record.sdn_type, record.program)
        yield OfacEntry(
            sdn_list=sdn_list,
            ent_num=record.ent_num,
            name=record.name,
            normalized_name=ofac.normalize_name(record.name)[:350],
            sdn_type=record.sdn_type,
            program=record.program,
            remarks=record.remarks,
        )
    if alias_lines is None:
        return
    for alias in ofac.parse_aliases(alias_lines, alias_source):
        if alias.ent_num not in primaries:
            raise ofac.OfacFileError(
                f"{alias_source}: alias of ent_num {alias.ent_num}, which {sdn_source} lacks."
            )
        sdn_type, program = primaries[alias.ent_num]
        yield OfacEntry(
            sdn_list=sdn_list,
            ent_num=alias.ent_num,
            name=alias.name,
            normalized_name=ofac.normalize_name(alias.name)[:350],
            is_alias=True,
            sdn_type=sdn_type,
            program=program,
            remarks=" ".join(part for part in (alias.alt_type, alias.remarks) if part),
        )


def _make_current(sdn_list: OfacList) -> bool:
    if sdn_list.is_current:
        return False
    OfacList.objects.select_for_update().filter(is_current=True).update(is_current=False)
    sdn_list.is_current = True
    sdn_list.save(update_fields=["is_current"])
    return True


@transaction.atomic
def import_sdn_list(
    actor: Any,
    sdn_path: Path,
    *,
    aliases_path: Path | None = None,
    version: str = "",
) -> ImportResult:
    """Load an SDN file (and its alias file) as a new list and make it the one in force.

    Idempotent: the same files again change nothing (that list is made current again if a
    later one replaced it). Older lists stay for the record: screenings point at them.
    Raises OfacFileError for a malformed file; nothing is written then.
    """
    if actor is not None:
        require_permission(actor, "customers.add_ofaclist")
    digest = hashlib.sha256()
    encodings = []
    for path in (sdn_path, aliases_path):
        if path is not None:
            with path.open("rb") as handle:
                encodings.append(_digest_and_encoding(handle, digest))
    sha = digest.hexdigest()
    existing = OfacList.objects.filter(sha256=sha).first()
    if existing is not None:
        made_current = _make_current(existing)
        if made_current:
            changes = {"is_current": [False, True]}
            audit.record(actor, "customers.ofac_list_current", existing, changes)
        return ImportResult(existing, created=False, made_current=made_current)
    version = (version or f"{timezone.localdate():%Y-%m-%d}-{sha[:12]}").strip()[:64]
    if OfacList.objects.filter(version=version).exists():
        raise ValidationError({"version": f"A different list was imported as {version!r}."})
    sdn_list = OfacList.objects.create(
        version=version, source_name=sdn_path.name[:200], sha256=sha, imported_at=timezone.now()
    )
    count = 0
    with ExitStack() as files:
        sdn_lines = _text_lines(files.enter_context(sdn_path.open("rb")), encodings[0])
        alias_lines = None
        if aliases_path is not None:
            alias_handle = files.enter_context(aliases_path.open("rb"))
            alias_lines = _text_lines(alias_handle, encodings[1])
        sources = (sdn_path.name, aliases_path.name if aliases_path else "")
        batch: list[OfacEntry] = []
        try:
            for entry in _entries(sdn_list, sdn_lines, alias_lines, sources):
                batch.append(entry)
                if len(batch) >= IMPORT_BATCH:
                    count += len(OfacEntry.objects.bulk_create(batch))
                    batch = []
        except UnicodeDecodeError:
            raise ofac.OfacFileError(
                f"{' / '.join(filter(None, sources))}: not text in UTF-8 or Windows-1252."
            ) from None
        count += len(OfacEntry.objects.bulk_create(batch))
    if count == 0:
        raise ofac.OfacFileError(f"{sdn_path.name}: the file holds no entries.")
    sdn_list.entry_count = count
    sdn_list.save(update_fields=["entry_count"])
    _make_current(sdn_list)
    audit.record(
        actor,
        "customers.ofac_import",
        sdn_list,
        {"version": [None, version], "entry_count": [None, count], "sha256": [None, sha]},
    )
    logger.info("OFAC list imported", extra={"event": "ofac_import", "entries": count})
    return ImportResult(sdn_list, created=True, made_current=True)
