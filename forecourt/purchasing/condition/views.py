"""Condition report and appraisal screens: the damage diagram (static/purchasing/condition.js
places markers by click or tap), the report page, its PDF, comparing two reports."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from forecourt.accounts.models import Country, Rooftop
from forecourt.core.forms import add_action_errors
from forecourt.core.visibility import visible_or_404
from forecourt.inventory.media.documents import pdf_response_headers
from forecourt.inventory.models import Vehicle
from forecourt.purchasing import actions
from forecourt.purchasing.condition.diagram import (
    DAMAGE_TYPES,
    HEIGHT,
    SEVERITIES,
    VIEW_HEIGHT,
    VIEWS,
    WIDTH,
    points,
    wheels,
)
from forecourt.purchasing.condition.documents import render_condition_report
from forecourt.purchasing.condition.forms import (
    AppraisalForm,
    BuyAppraisedForm,
    ConditionReportForm,
)
from forecourt.purchasing.condition.models import Appraisal, AppraisalStatus, ConditionReport
from forecourt.purchasing.condition.reads import compare
from forecourt.purchasing.models import Seller


def diagram_context(markers: list[dict[str, Any]]) -> dict[str, Any]:
    """What _diagram.html draws: the views, their wheels and the numbered markers."""
    views = []
    for view in VIEWS:
        shapes = view.shapes()
        views.append(
            {
                "view": view,
                "body": points(shapes.body),
                "windows": [points(w) for w in shapes.windows],
                "wheels": wheels(view),
                "label_y": view.top + 18,
            }
        )
    numbered = [{**m, "number": n} for n, m in enumerate(markers, start=1)]
    geometry = [{"key": v.key, "top": v.top, "height": VIEW_HEIGHT, "width": WIDTH} for v in VIEWS]
    return {
        "views": views,
        "markers": numbered,
        "width": WIDTH,
        "height": HEIGHT,
        "geometry": json.dumps(geometry),
    }


def tread_unit(rooftop: Rooftop) -> str:
    return "mm" if rooftop.country == Country.GB else "/32 in"


@permission_required("purchasing.add_conditionreport", raise_exception=True)
def report_new(request: HttpRequest, vehicle_id: int) -> HttpResponse:
    vehicle = visible_or_404(Vehicle, request.user, vehicle_id, related=("rooftop",))
    form = ConditionReportForm(
        request.POST or None,
        initial={"signed_name": getattr(request.user, "full_name", ""), "occasion": "purchase"},
    )
    markers: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            markers = json.loads(form.cleaned_data["markers"] or "[]")
        except ValueError:
            form.add_error(None, "The markers could not be read; place them again.")
        else:
            photos: dict[str, UploadedFile] = {}
            for name in request.FILES:
                upload = request.FILES.get(name)
                if name.startswith("photo-") and isinstance(upload, UploadedFile):
                    photos[name.removeprefix("photo-")] = upload
            try:
                report = actions.record_condition_report(
                    request.user,
                    vehicle,
                    occasion=form.cleaned_data["occasion"],
                    signed_name=form.cleaned_data["signed_name"],
                    markers=markers,
                    tyres=form.tyres(),
                    checks=form.checks(),
                    notes=form.cleaned_data["notes"],
                    photos=photos,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, "Condition report signed.")
                return redirect("purchasing:report-detail", report.pk)
    context = {
        "vehicle": vehicle,
        "form": form,
        "unit": tread_unit(vehicle.rooftop),
        "diagram": diagram_context([]),
        "damage_types": DAMAGE_TYPES,
        "severities": SEVERITIES,
    }
    return render(
        request, "purchasing/report_form.html", context, status=422 if form.errors else 200
    )


@permission_required("purchasing.view_conditionreport", raise_exception=True)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_or_404(ConditionReport, request.user, pk, related=("vehicle__rooftop",))
    others = ConditionReport.objects.filter(vehicle=report.vehicle).exclude(pk=report.pk)
    context = {
        "report": report,
        "others": others,
        "photos": {p.marker_id: p for p in report.photos.all()},
        "unit": tread_unit(report.vehicle.rooftop),
        "diagram": diagram_context(report.markers),
    }
    return render(request, "purchasing/report_detail.html", context)


@require_GET
@permission_required("purchasing.view_conditionreport", raise_exception=True)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_or_404(ConditionReport, request.user, pk, related=("vehicle__rooftop",))
    name = slugify(f"condition-{report.vehicle.stock_number}-{report.signed_at:%Y%m%d}")
    return HttpResponse(
        render_condition_report(report),
        content_type="application/pdf",
        headers=pdf_response_headers(f"{name}.pdf"),
    )


@require_GET
@permission_required("purchasing.view_conditionreport", raise_exception=True)
def report_photo(request: HttpRequest, pk: int, marker_id: str) -> FileResponse:
    report = visible_or_404(ConditionReport, request.user, pk)
    photo = get_object_or_404(report.photos, marker_id=marker_id)
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


@permission_required("purchasing.view_conditionreport", raise_exception=True)
def report_compare(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    first = visible_or_404(ConditionReport, request.user, pk, related=("vehicle",))
    second = visible_or_404(ConditionReport, request.user, other_pk)
    if first.vehicle_id != second.vehicle_id:
        raise Http404("Compare reports of the same vehicle.")
    result = compare(first, second)
    context = {
        "result": result,
        "vehicle": first.vehicle,
        "earlier": diagram_context(result.earlier.markers),
        "later": diagram_context(result.later.markers),
        "new_ids": {m["id"] for m in result.new},
        "gone_ids": {m["id"] for m in result.gone},
    }
    return render(request, "purchasing/report_compare.html", context)


# --- appraisals ------------------------------------------------------------------------


@permission_required("purchasing.view_appraisal", raise_exception=True)
def appraisal_list(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    form = AppraisalForm(request.POST or None)
    if request.method == "POST":
        rooftop = rooftops.filter(pk=request.POST.get("rooftop", "")).first() or rooftops.first()
        if rooftop is not None and form.is_valid():
            data = dict(form.cleaned_data)
            estimate, comparables = data.pop("estimate"), data.pop("comparables")
            data = {k: v for k, v in data.items() if v not in (None, "")}
            try:
                appraisal = actions.create_appraisal(
                    request.user, rooftop, recon_estimate=estimate, comparables=comparables, **data
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect("purchasing:appraisal-detail", appraisal.pk)
    appraisals = Appraisal.objects.for_user(request.user, "view")[:200]
    context = {"appraisals": appraisals, "form": form, "rooftops": rooftops}
    return render(
        request, "purchasing/appraisal_list.html", context, status=422 if form.errors else 200
    )


@permission_required("purchasing.view_appraisal", raise_exception=True)
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = visible_or_404(Appraisal, request.user, pk, related=("rooftop",))
    sellers = Seller.objects.for_user(request.user, "view").filter(rooftop=appraisal.rooftop)
    context = {"appraisal": appraisal, "buy_form": BuyAppraisedForm(sellers=sellers)}
    return render(request, "purchasing/appraisal_detail.html", context)


@require_POST
@permission_required("purchasing.change_appraisal", raise_exception=True)
def appraisal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = visible_or_404(Appraisal, request.user, pk)
    sellers = Seller.objects.for_user(request.user, "view").filter(rooftop=appraisal.rooftop)
    try:
        if request.POST.get("outcome") == AppraisalStatus.PURCHASED:
            form = BuyAppraisedForm(request.POST, sellers=sellers)
            if not form.is_valid():
                raise ValidationError({"seller": "Choose the seller."})
            invoice = actions.purchase_from_appraisal(
                request.user,
                appraisal,
                seller=form.cleaned_data["seller"],
                price=form.cleaned_data["price"],
            )
            return redirect("purchasing:purchase-detail", invoice.pk)
        actions.decide_appraisal(request.user, appraisal, outcome=request.POST.get("outcome", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("purchasing:appraisal-detail", appraisal.pk)
