"""CSV import screens (upload, progress polled by htmx) and CSV/XLSX export of the list."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from forecourt.accounts.models import Rooftop
from forecourt.core.forms import add_action_errors
from forecourt.core.security.ratelimit import rate_limited
from forecourt.core.visibility import visible_or_404
from forecourt.inventory import actions
from forecourt.inventory.imports import csv_import, export
from forecourt.inventory.imports.forms import ImportForm
from forecourt.inventory.models import ImportJob
from forecourt.inventory.search import BadQuery, VehicleFilters


@permission_required("inventory.add_importjob", raise_exception=True)
@rate_limited("expensive")
def import_new(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view").filter(is_active=True)
    form = ImportForm(request.POST or None, request.FILES or None, rooftops=rooftops)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = actions.start_import(
                request.user,
                rooftop=form.cleaned_data["rooftop"],
                upload=upload,
                original_name=upload.name or "upload.csv",
                mode=form.cleaned_data["mode"],
                update_existing=form.cleaned_data["update_existing"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            csv_import.process_import.enqueue(job.pk)
            return redirect("inventory:import-detail", pk=job.pk)
    recent = ImportJob.objects.for_user(request.user, "view").select_related("rooftop")[:20]
    context = {"form": form, "recent": recent, "columns": csv_import.COLUMNS}
    return render(request, "inventory/import_form.html", context)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return visible_or_404(ImportJob, request.user, pk, related=("rooftop",))


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "inventory/import_detail.html", {"job": _job(request, pk)})


@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; it keeps polling (every 1s) until the job has finished."""
    return render(request, "inventory/_import_progress.html", {"job": _job(request, pk)})


@require_GET
@rate_limited("expensive")
def export_vehicles(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    export.check_export_allowed(request.user)
    try:
        filters = VehicleFilters.from_query(request.GET)
    except BadQuery as error:
        return HttpResponse(f"{error.field_name}: {error}", status=400, content_type="text/plain")
    columns = export.export_columns(request.user)
    data = export.CountingRows(export.rows(export.export_queryset(request.user, filters), columns))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        spool = export.xlsx_file(columns, data)
        actions.record_export(request.user, "xlsx", filters, data.count)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"vehicles-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def stream() -> Iterator[str]:
        yield from export.csv_chunks(columns, data)
        actions.record_export(request.user, "csv", filters, data.count)  # after the last row

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vehicles-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
