"""API for CSV imports of vehicles: thin adapters over actions.start_import and the
background task (imports/csv_import.py); added to inventory/api.py's router."""

# No `from __future__ import annotations`: ninja reads the parameter types of operations
# wrapped by @rate_limited through the wrapper, whose module cannot resolve string annotations.
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from forecourt.accounts.models import Rooftop
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_writes import run_action
from forecourt.core.security.ratelimit import rate_limited
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions
from forecourt.inventory.imports import csv_import
from forecourt.inventory.imports.schemas import ImportJobOut
from forecourt.inventory.models import ImportJob, ImportMode

# Operation ids are pinned to the ones published before these endpoints moved into this
# room (ninja derives them from the module path; clients generate method names from them).
router = Router(tags=["inventory documents, photos and imports"])


@router.post(
    "/vehicle-imports",
    operation_id="forecourt_inventory_api_exchange_start_import",
    response={202: ImportJobOut, **error_responses(*WRITE_ERRORS, 429)},
    summary="Import vehicles from a CSV file (multipart); processed in the background",
    description=(
        "Multipart fields: `file` (UTF-8 CSV, first row = column names), `rooftop_id`, "
        "`mode` (`all_or_nothing` or `valid_rows`), `update_existing` (default true: a VIN "
        "in stock updates that vehicle; false: it is skipped). Answers 202 at once; poll "
        "`GET /vehicle-imports/{id}` until `status` is done, rejected or failed; `errors` "
        "lists the problems by row and column."
    ),
)
@rate_limited("expensive")
def start_import(
    request: HttpRequest,
    file: File[UploadedFile],
    rooftop_id: Form[int],
    mode: Form[ImportMode],
    update_existing: Form[bool] = True,
) -> Any:
    rooftop = visible_or_404(Rooftop, request.user, rooftop_id)
    job = run_action(
        lambda: actions.start_import(
            request.user,
            rooftop=rooftop,
            upload=file,
            original_name=file.name or "upload.csv",
            mode=mode,
            update_existing=update_existing,
        )
    )
    csv_import.process_import.enqueue(job.pk)
    job.refresh_from_db()
    return Status(202, job)


@router.get(
    "/vehicle-imports/{job_id}",
    operation_id="forecourt_inventory_api_exchange_get_import",
    response={200: ImportJobOut, **error_responses(*READ_ERRORS)},
    summary="Progress and result of a CSV import",
)
def get_import(request: HttpRequest, job_id: int) -> ImportJob:
    return visible_or_404(ImportJob, request.user, job_id)
