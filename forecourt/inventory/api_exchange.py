"""API for photos, documents, warranty terms and CSV imports. Thin adapters over
photos.py, documents.py, warranty.py and csv_import.py; added to inventory/api.py's router."""

# No `from __future__ import annotations`: ninja reads the parameter types of operations
# wrapped by @rate_limited through the wrapper, whose module cannot resolve string annotations.
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from forecourt.accounts.models import Rooftop
from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, as_api_error, error_responses
from forecourt.core.security.ratelimit import rate_limited
from forecourt.inventory import csv_import, documents, photos, warranty
from forecourt.inventory.models import Vehicle
from forecourt.inventory.models_documents import ImportJob, ImportMode, VehiclePhoto
from forecourt.inventory.schemas_exchange import (
    ImportJobOut,
    PhotoOrderIn,
    PhotoOut,
    WarrantyIn,
    WarrantyOut,
)

router = Router(tags=["inventory documents, photos and imports"])
PDF_RESPONSE = {
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    "description": "The PDF document",
}


def _vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    queryset = Vehicle.objects.for_user(request.user, "view").select_related("rooftop")
    return get_object_or_404(queryset, pk=vehicle_id)


def _photo_out(photo: VehiclePhoto) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "position": photo.position,
        "is_primary": photo.is_primary,
        "content_type": photo.content_type,
        "width": photo.width,
        "height": photo.height,
        "size_bytes": photo.size_bytes,
        "url": reverse("inventory:photo-file", args=[photo.pk, "full"]),
        "thumbnail_url": reverse("inventory:photo-file", args=[photo.pk, "thumb"]),
        "created_at": photo.created_at,
    }


def _photos(vehicle: Vehicle) -> list[dict[str, Any]]:
    return [_photo_out(p) for p in VehiclePhoto.objects.filter(vehicle=vehicle)]


def _write(run: Any) -> Any:
    try:
        return run()
    except ValidationError as error:
        raise as_api_error(error) from None


# --- photos -------------------------------------------------------------------------------


@router.get(
    "/vehicles/{vehicle_id}/photos",
    response={200: list[PhotoOut], **error_responses(*READ_ERRORS)},
    summary="List a vehicle's photos in display order",
)
def list_photos(request: HttpRequest, vehicle_id: int) -> Any:
    return _photos(_vehicle(request, vehicle_id))


@router.post(
    "/vehicles/{vehicle_id}/photos",
    response={201: PhotoOut, **error_responses(*WRITE_ERRORS)},
    summary="Upload a photo (multipart field `image`: JPEG, PNG or WebP)",
    description=(
        "The image is checked by its content (a renamed text file is refused with 422), "
        "must be within PHOTO_MAX_BYTES, is re-encoded without metadata and gets a thumbnail. "
        "A vehicle's first photo becomes its primary photo."
    ),
)
def upload_photo(request: HttpRequest, vehicle_id: int, image: File[UploadedFile]) -> Any:
    vehicle = _vehicle(request, vehicle_id)
    photo = _write(
        lambda: photos.add_photo(request.user, vehicle, image, original_name=image.name or "")
    )
    return Status(201, _photo_out(photo))


@router.put(
    "/vehicles/{vehicle_id}/photos/order",
    response={200: list[PhotoOut], **error_responses(*WRITE_ERRORS)},
    summary="Set the display order of a vehicle's photos",
)
def reorder_photos(request: HttpRequest, vehicle_id: int, payload: PhotoOrderIn) -> Any:
    vehicle = _vehicle(request, vehicle_id)
    _write(lambda: photos.reorder_photos(request.user, vehicle, payload.photo_ids))
    return _photos(vehicle)


def _photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> VehiclePhoto:
    return get_object_or_404(
        VehiclePhoto.objects.for_user(request.user, "view"), pk=photo_id, vehicle_id=vehicle_id
    )


@router.post(
    "/vehicles/{vehicle_id}/photos/{photo_id}/primary",
    response={200: PhotoOut, **error_responses(*WRITE_ERRORS)},
    summary="Make a photo the vehicle's primary photo",
)
def set_primary_photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> Any:
    photo = _photo(request, vehicle_id, photo_id)
    return _photo_out(_write(lambda: photos.set_primary_photo(request.user, photo)))


@router.delete(
    "/vehicles/{vehicle_id}/photos/{photo_id}",
    response={204: None, **error_responses(*WRITE_ERRORS)},
    summary="Delete a photo",
)
def delete_photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> Any:
    photo = _photo(request, vehicle_id, photo_id)
    photos.delete_photo(request.user, photo)
    return Status(204, None)


# --- documents and warranty terms ---------------------------------------------------------


@router.get(
    "/vehicles/{vehicle_id}/buyers-guide",
    response={200: None, **error_responses(*READ_ERRORS, 429)},
    openapi_extra={"responses": {"200": PDF_RESPONSE}},
    summary="The FTC Buyers Guide of a used vehicle at a US rooftop (PDF, English or Spanish)",
    description=(
        "The FTC Used Car Rule (16 CFR 455) is a US rule: a new vehicle, or a vehicle of a "
        "rooftop outside the US, has no Buyers Guide (404 with the reason in the message)."
    ),
)
@rate_limited("expensive")
def buyers_guide(
    request: HttpRequest, vehicle_id: int, language: Literal["en", "es"] = "en"
) -> HttpResponse:
    vehicle = _vehicle(request, vehicle_id)
    refusal = documents.buyers_guide_refusal(vehicle)
    if refusal:
        raise HttpError(404, refusal)
    content = documents.buyers_guide_for(vehicle, language)
    return HttpResponse(content, content_type="application/pdf")


@router.get(
    "/vehicles/{vehicle_id}/window-sticker",
    response={200: None, **error_responses(*READ_ERRORS, 429)},
    openapi_extra={"responses": {"200": PDF_RESPONSE}},
    summary="The window sticker of a vehicle (PDF)",
)
@rate_limited("expensive")
def window_sticker(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = _vehicle(request, vehicle_id)
    return HttpResponse(documents.window_sticker_for(vehicle), content_type="application/pdf")


@router.get(
    "/vehicles/{vehicle_id}/warranty",
    response={200: WarrantyOut, **error_responses(*READ_ERRORS)},
    summary="The Buyers Guide warranty terms of a vehicle (as is when never set)",
)
def get_warranty(request: HttpRequest, vehicle_id: int) -> Any:
    return warranty.warranty_of(_vehicle(request, vehicle_id))


@router.put(
    "/vehicles/{vehicle_id}/warranty",
    response={200: WarrantyOut, **error_responses(*WRITE_ERRORS)},
    summary="Set the Buyers Guide warranty terms of a vehicle",
)
def set_warranty(request: HttpRequest, vehicle_id: int, payload: WarrantyIn) -> Any:
    vehicle = _vehicle(request, vehicle_id)
    return _write(lambda: warranty.set_warranty(request.user, vehicle, **payload.model_dump()))


# --- CSV import ---------------------------------------------------------------------------


@router.post(
    "/vehicle-imports",
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
    rooftop = get_object_or_404(Rooftop.objects.for_user(request.user, "view"), pk=rooftop_id)
    job = _write(
        lambda: csv_import.start_import(
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
    response={200: ImportJobOut, **error_responses(*READ_ERRORS)},
    summary="Progress and result of a CSV import",
)
def get_import(request: HttpRequest, job_id: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.for_user(request.user, "view"), pk=job_id)
