"""Document downloads (Buyers Guide, window sticker) and the warranty terms form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from forecourt.core.forms import add_action_errors
from forecourt.core.security.ratelimit import rate_limited
from forecourt.inventory import documents
from forecourt.inventory.buyers_guide_text import LANGUAGES
from forecourt.inventory.forms_exchange import WarrantyForm
from forecourt.inventory.models import Vehicle
from forecourt.inventory.warranty import WARRANTY_FIELDS, set_warranty, warranty_of


def _vehicle(request: HttpRequest, pk: int) -> Vehicle:
    queryset = Vehicle.objects.for_user(request.user, "view").select_related("rooftop")
    return get_object_or_404(queryset, pk=pk)


def _pdf(content: bytes, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers=documents.pdf_response_headers(f"{slugify(name)}.pdf"),
    )


@require_GET
@rate_limited("expensive")
def buyers_guide(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    vehicle = _vehicle(request, pk)
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
    vehicle = _vehicle(request, pk)
    return _pdf(documents.window_sticker_for(vehicle), f"window-sticker-{vehicle.stock_number}")


def warranty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = _vehicle(request, pk)
    form = WarrantyForm(request.POST or None, instance=warranty_of(vehicle))
    if request.method == "POST" and form.is_valid():
        try:
            set_warranty(
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
