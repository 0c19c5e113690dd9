"""API for a vehicle's photos, documents and warranty terms: thin adapters over the
actions (photos, warranty) and media/documents.py; added to inventory/api.py's router."""

# No `from __future__ import annotations`: ninja reads the parameter types of operations
# wrapped by @rate_limited through the wrapper, whose module cannot resolve string annotations.
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from forecourt.core.api_errors import READ_ERRORS, WRITE_ERRORS, error_responses
from forecourt.core.api_writes import run_action
from forecourt.core.security.ratelimit import rate_limited
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions
from forecourt.inventory.media import documents
from forecourt.inventory.media.schemas import PhotoOrderIn, PhotoOut, WarrantyIn, WarrantyOut
from forecourt.inventory.media.warranty import warranty_of
from forecourt.inventory.models import Vehicle, VehiclePhoto

# Operation ids are pinned to the ones published before these endpoints moved into this
# room (ninja derives them from the module path; clients generate method names from them).
router = Router(tags=["inventory documents, photos and imports"])
PDF_RESPONSE = {
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    "description": "The PDF document",
}


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


# --- photos -------------------------------------------------------------------------------


@router.get(
    "/vehicles/{vehicle_id}/photos",
    operation_id="forecourt_inventory_api_exchange_list_photos",
    response={200: list[PhotoOut], **error_responses(*READ_ERRORS)},
    summary="List a vehicle's photos in display order",
)
def list_photos(request: HttpRequest, vehicle_id: int) -> Any:
    return _photos(visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",)))


@router.post(
    "/vehicles/{vehicle_id}/photos",
    operation_id="forecourt_inventory_api_exchange_upload_photo",
    response={201: PhotoOut, **error_responses(*WRITE_ERRORS)},
    summary="Upload a photo (multipart field `image`: JPEG, PNG or WebP)",
    description=(
        "The image is checked by its content (a renamed text file is refused with 422), "
        "must be within PHOTO_MAX_BYTES, is re-encoded without metadata and gets a thumbnail. "
        "A vehicle's first photo becomes its primary photo."
    ),
)
def upload_photo(request: HttpRequest, vehicle_id: int, image: File[UploadedFile]) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    photo = run_action(
        lambda: actions.add_photo(request.user, vehicle, image, original_name=image.name or "")
    )
    return Status(201, _photo_out(photo))


@router.put(
    "/vehicles/{vehicle_id}/photos/order",
    operation_id="forecourt_inventory_api_exchange_reorder_photos",
    response={200: list[PhotoOut], **error_responses(*WRITE_ERRORS)},
    summary="Set the display order of a vehicle's photos",
)
def reorder_photos(request: HttpRequest, vehicle_id: int, payload: PhotoOrderIn) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    run_action(lambda: actions.reorder_photos(request.user, vehicle, payload.photo_ids))
    return _photos(vehicle)


def _photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> VehiclePhoto:
    return get_object_or_404(
        VehiclePhoto.objects.for_user(request.user, "view"), pk=photo_id, vehicle_id=vehicle_id
    )


@router.post(
    "/vehicles/{vehicle_id}/photos/{photo_id}/primary",
    operation_id="forecourt_inventory_api_exchange_set_primary_photo",
    response={200: PhotoOut, **error_responses(*WRITE_ERRORS)},
    summary="Make a photo the vehicle's primary photo",
)
def set_primary_photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> Any:
    photo = _photo(request, vehicle_id, photo_id)
    return _photo_out(run_action(lambda: actions.set_primary_photo(request.user, photo)))


@router.delete(
    "/vehicles/{vehicle_id}/photos/{photo_id}",
    operation_id="forecourt_inventory_api_exchange_delete_photo",
    response={204: None, **error_responses(*WRITE_ERRORS)},
    summary="Delete a photo",
)
def delete_photo(request: HttpRequest, vehicle_id: int, photo_id: int) -> Any:
    photo = _photo(request, vehicle_id, photo_id)
    actions.delete_photo(request.user, photo)
    return Status(204, None)


# --- documents and warranty terms ---------------------------------------------------------


@router.get(
    "/vehicles/{vehicle_id}/buyers-guide",
    operation_id="forecourt_inventory_api_exchange_buyers_guide",
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
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    refusal = documents.buyers_guide_refusal(vehicle)
    if refusal:
        raise HttpError(404, refusal)
    content = documents.buyers_guide_for(vehicle, language)
    return HttpResponse(content, content_type="application/pdf")


@router.get(
    "/vehicles/{vehicle_id}/window-sticker",
    operation_id="forecourt_inventory_api_exchange_window_sticker",
    response={200: None, **error_responses(*READ_ERRORS, 429)},
    openapi_extra={"responses": {"200": PDF_RESPONSE}},
    summary="The window sticker of a vehicle (PDF)",
)
@rate_limited("expensive")
def window_sticker(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    return HttpResponse(documents.window_sticker_for(vehicle), content_type="application/pdf")


@router.get(
    "/vehicles/{vehicle_id}/warranty",
    operation_id="forecourt_inventory_api_exchange_get_warranty",
    response={200: WarrantyOut, **error_responses(*READ_ERRORS)},
    summary="The Buyers Guide warranty terms of a vehicle (as is when never set)",
)
def get_warranty(request: HttpRequest, vehicle_id: int) -> Any:
    return warranty_of(visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",)))


@router.put(
    "/vehicles/{vehicle_id}/warranty",
    operation_id="forecourt_inventory_api_exchange_set_warranty",
    response={200: WarrantyOut, **error_responses(*WRITE_ERRORS)},
    summary="Set the Buyers Guide warranty terms of a vehicle",
)
def set_warranty(request: HttpRequest, vehicle_id: int, payload: WarrantyIn) -> Any:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    return run_action(lambda: actions.set_warranty(request.user, vehicle, **payload.model_dump()))
