"""CSV import jobs: starting one, and the job row's progress and result as the background
task (inventory/imports/csv_import.py) advances. The rows themselves are received and
updated by the vehicle actions."""

from __future__ import annotations

import secrets
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.actions.rules import can_reach_rooftop
from forecourt.inventory.models import ImportJob, ImportMode, ImportStatus


@transaction.atomic
def start_import(
    actor: Any,
    *,
    rooftop: Rooftop,
    upload: IO[bytes],
    original_name: str,
    mode: ImportMode | str,
    update_existing: bool = True,
) -> ImportJob:
    """Store the upload under a random name and create the job (the task is queued after)."""
    require_permission(actor, "inventory.add_importjob")
    require_permission(actor, "inventory.add_vehicle")
    if not can_reach_rooftop(actor, rooftop.pk):
        raise PermissionDenied("You can only import into a rooftop you work at.")
    if mode not in ImportMode.values:
        raise ValidationError({"mode": f"Choose one of {', '.join(ImportMode.values)}."})
    name = default_storage.save(f"imports/{secrets.token_hex(16)}.csv", upload)
    job = ImportJob.objects.create(
        rooftop=rooftop,
        created_by=actor,
        file_name=name,
        original_name=original_name[:200],
        mode=mode,
        update_existing=update_existing,
        total_bytes=default_storage.size(name),
    )
    audit.record(
        actor,
        "inventory.start_import",
        job,
        {"file": [None, job.original_name], "mode": [None, job.mode]},
        rooftop_id=rooftop.pk,
    )
    return job


def claim_import(job_id: int) -> bool:
    """Take a pending job for this worker; False when another worker took it first."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.VALIDATING
    )
    return bool(claimed)


def record_import_progress(job: ImportJob, **fields: Any) -> None:
    """Save the job's progress (counts, bytes read, first errors, status), outside any long
    transaction so the page polling it sees the import advance."""
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def finish_import(actor: Any, job: ImportJob, status: ImportStatus, message: str) -> None:
    """The job's final status and summary, and its audit entry."""
    record_import_progress(job, status=status, message=message, finished_at=timezone.now())
    audit.record(
        actor,
        "inventory.import_vehicles",
        job,
        {"status": [None, status.value], "result": [None, message]},
        rooftop_id=job.rooftop_id,
    )
