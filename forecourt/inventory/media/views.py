"""Vehicle media screens: document downloads (Buyers Guide, window sticker), the warranty
terms form, the photo panel (htmx, on the vehicle page) and the only ways photo files are
served."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from forecourt.core.forms import add_action_errors
from forecourt.core.htmx import is_htmx
from forecourt.core.post_only import post_only
from forecourt.core.security.ratelimit import rate_limited
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions
from forecourt.inventory.media import documents, photos
from forecourt.inventory.media.buyers_guide_text import LANGUAGES
from forecourt.inventory.media.forms import PhotoUploadForm, WarrantyForm
from forecourt.inventory.media.warranty import WARRANTY_FIELDS, warranty_of
from forecourt.inventory.models import Status, Vehicle, VehiclePhoto

# --- documents and warranty terms ---------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers=documents.pdf_response_headers(f"{slugify(name)}.pdf"),
    )


@require_GET
@rate_limited("expensive")
def buyers_guide(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk, related=("rooftop",))
    if language not in LANGUAGES:
        raise Http404("No Buyers Guide in that language.")
    refusal = documents.buyers_guide_refusal(vehicle)
    if refusal:
        return render(request, "404.html", {"message": refusal}, status=404)
    content = documents.buyers_guide_for(vehicle, language)
    return _pdf(content, f"buyers-guide-{vehicle.stock_number}-{language}")


@require_GET
@rate_limited("expensive")
def window_sticker(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk, related=("rooftop",))
    return _pdf(documents.window_sticker_for(vehicle), f"window-sticker-{vehicle.stock_number}")


def warranty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk, related=("rooftop",))
    form = WarrantyForm(request.POST or None, instance=warranty_of(vehicle))
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_warranty(
                request.user, vehicle, **{name: form.cleaned_data[name] for name in WARRANTY_FIELDS}
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Buyers Guide warranty terms saved.")
            return redirect(_vehicle_url(vehicle))
    return render(request, "inventory/warranty_form.html", {"vehicle": vehicle, "form": form})


def _vehicle_url(vehicle: Vehicle) -> str:
    return reverse("inventory:vehicle-detail", args=[vehicle.pk])


# --- photos ---------------------------------------------------------------------------------


def _photo(request: HttpRequest, pk: int, photo_pk: int) -> VehiclePhoto:
    return get_object_or_404(
        VehiclePhoto.objects.for_user(request.user, "view"), pk=photo_pk, vehicle_id=pk
    )


def _panel(
    request: HttpRequest,
    vehicle: Vehicle,
    form: PhotoUploadForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "vehicle": vehicle,
        "photos": list(VehiclePhoto.objects.filter(vehicle=vehicle)),
        "form": form or PhotoUploadForm(),
        "error": error,
        "can_add": user.has_perm("inventory.add_vehiclephoto"),
        "can_change": user.has_perm("inventory.change_vehiclephoto"),
        "can_delete": user.has_perm("inventory.delete_vehiclephoto"),
    }
    if is_htmx(request):
        status = 200  # htmx swaps only 2xx responses; the form carries the errors
    return render(request, "inventory/_photo_panel.html", context, status=status)


@require_GET
def photo_panel(request: HttpRequest, pk: int) -> HttpResponse:
    return _panel(request, visible_or_404(Vehicle, request.user, pk))


@post_only
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            actions.add_photo(request.user, vehicle, upload, original_name=upload.name or "")
        except ValidationError as error:
            add_action_errors(form, error)
            return _panel(request, vehicle, form, status=422)
        return _panel(request, vehicle)
    return _panel(request, vehicle, form, status=422)


@post_only
def photo_set_primary(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    actions.set_primary_photo(request.user, _photo(request, pk, photo_pk))
    return _panel(request, vehicle)


@post_only
def photo_move(request: HttpRequest, pk: int, photo_pk: int, direction: str) -> HttpResponse:
    """Move one photo a place earlier or later (the reorder action takes the whole order)."""
    if direction not in ("up", "down"):
        raise Http404
    vehicle = visible_or_404(Vehicle, request.user, pk)
    photo = _photo(request, pk, photo_pk)
    order = list(VehiclePhoto.objects.filter(vehicle=vehicle).values_list("pk", flat=True))
    index = order.index(photo.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        actions.reorder_photos(request.user, vehicle, order)
    return _panel(request, vehicle)


@post_only
def photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, pk)
    actions.delete_photo(request.user, _photo(request, pk, photo_pk))
    return _panel(request, vehicle)


def _file_response(photo: VehiclePhoto, variant: str, cache: str) -> FileResponse:
    if variant == "thumb":
        name, content_type = photo.thumbnail_name, "image/jpeg"
    elif variant == "full":
        name, content_type = photo.file_name, photo.content_type
    else:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = cache
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def photo_file(request: HttpRequest, photo_pk: int, variant: str) -> FileResponse:
    """A photo for a signed-in user who may see its vehicle (a miss is 404, never a leak)."""
    if not request.user.has_perm("inventory.view_vehiclephoto"):
        raise PermissionDenied
    photo = visible_or_404(VehiclePhoto, request.user, photo_pk)
    return _file_response(photo, variant, "private, max-age=3600")


@login_not_required
@require_GET
def public_photo(request: HttpRequest, token: str) -> FileResponse:
    """A photo named in a marketplace feed: signed link, and only while the vehicle is listed."""
    photo_id = photos.photo_id_from_public_token(token)
    if photo_id is None:
        raise Http404
    photo = get_object_or_404(
        VehiclePhoto.objects.filter(vehicle__is_published=True, vehicle__status=Status.AVAILABLE),
        pk=photo_id,
    )
    return _file_response(photo, "full", "public, max-age=3600")
