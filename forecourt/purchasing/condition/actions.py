"""Every write to appraisals and condition reports.

A condition report is data: markers (view, x, y in the diagram's coordinates, type,
severity, note), tyre tread per wheel, checks, who signed it and when. A marker outside
the diagram, an unknown type, a photo that is not an image: refused with the field named,
and nothing is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from forecourt.accounts.models import Country, Rooftop
from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.customers.models import Customer
from forecourt.inventory.models import Vehicle
from forecourt.purchasing.common import money, require_rooftop, user_or_none
from forecourt.purchasing.condition.diagram import (
    CHECK_RESULTS,
    CHECKS,
    DAMAGE_TYPES,
    SEVERITIES,
    TYRES,
    VIEW_BY_KEY,
)
from forecourt.purchasing.condition.models import (
    Appraisal,
    AppraisalStatus,
    ConditionGrade,
    ConditionPhoto,
    ConditionReport,
    ReportOccasion,
)

__all__ = ["create_appraisal", "decide_appraisal", "record_condition_report"]

MAX_MARKERS = 200
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Tread depth limits: new tyres have about 8 mm (UK) or 10/32 inch (US); a little headroom.
TREAD_LIMIT: dict[str, Decimal] = {Country.GB: Decimal("12"), Country.US: Decimal("20")}


def _markers(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ValidationError({"markers": "Markers are a list."})
    if len(raw) > MAX_MARKERS:
        raise ValidationError({"markers": f"At most {MAX_MARKERS} markers."})
    clean, errors = [], []
    for n, marker in enumerate(raw, start=1):
        if not isinstance(marker, Mapping):
            errors.append(f"Marker {n} is not a marker.")
            continue
        view = VIEW_BY_KEY.get(str(marker.get("view", "")))
        try:
            x, y = float(marker.get("x")), float(marker.get("y"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors.append(f"Marker {n} has no position.")
            continue
        if view is None or not view.contains(x, y):
            errors.append(f"Marker {n} is outside the diagram.")
            continue
        if marker.get("type") not in DAMAGE_TYPES:
            errors.append(f"Marker {n}: choose a type ({', '.join(DAMAGE_TYPES)}).")
            continue
        if marker.get("severity") not in SEVERITIES:
            errors.append(f"Marker {n}: choose a severity ({', '.join(SEVERITIES)}).")
            continue
        marker_id = str(marker.get("id") or "")[:16] or secrets.token_hex(4)
        clean.append(
            {
                "id": marker_id,
                "view": view.key,
                "x": round(x, 1),
                "y": round(y, 1),
                "type": marker["type"],
                "severity": marker["severity"],
                "note": str(marker.get("note", ""))[:300],
            }
        )
    if errors:
        raise ValidationError({"markers": errors})
    if len({m["id"] for m in clean}) != len(clean):
        raise ValidationError({"markers": "Two markers have the same id."})
    return clean


def _tyres(raw: Mapping[str, Any], rooftop: Rooftop) -> dict[str, str]:
    limit = TREAD_LIMIT.get(rooftop.country, Decimal("20"))
    unit = "mm" if rooftop.country == Country.GB else "32nds of an inch"
    out, errors = {}, {}
    for wheel in TYRES:
        value = raw.get(wheel)
        if value in (None, ""):
            continue
        try:
            depth = Decimal(str(value))
        except InvalidOperation:
            errors[f"tyres.{wheel}"] = "Enter the tread depth."
            continue
        if not depth.is_finite() or depth < 0 or depth > limit:
            errors[f"tyres.{wheel}"] = f"Tread is between 0 and {limit} ({unit})."
            continue
        out[wheel] = str(depth)
    unknown = set(raw) - set(TYRES)
    if unknown:
        errors["tyres"] = f"Unknown wheel(s): {', '.join(sorted(unknown))}."
    if errors:
        raise ValidationError(errors)
    return out


def _checks(raw: Mapping[str, Any]) -> dict[str, str]:
    errors = {
        f"checks.{k}": f"One of {', '.join(CHECK_RESULTS)}."
        for k, v in raw.items()
        if k not in CHECKS or v not in CHECK_RESULTS
    }
    if errors:
        raise ValidationError(errors)
    return {k: str(v) for k, v in raw.items()}


def check_photo(upload: UploadedFile, field: str) -> str:
    """The image's content type, or a ValidationError: the bytes must decode as a JPEG,
    PNG or WebP picture whatever the file name or the browser claims."""
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({field: "A photo is at most 10 MB."})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({field: "This file is not an image (JPEG, PNG or WebP)."}) from None
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise ValidationError({field: "Send a JPEG, PNG or WebP photo."})
    return PHOTO_FORMATS[kind]


@transaction.atomic
def record_condition_report(
    actor: Any,
    vehicle: Vehicle | int,
    *,
    occasion: str,
    signed_name: str,
    markers: Any = (),
    tyres: Mapping[str, Any] | None = None,
    checks: Mapping[str, Any] | None = None,
    notes: str = "",
    photos: Mapping[str, UploadedFile] | None = None,
) -> ConditionReport:
    """A signed condition report; `photos` maps a marker id to its picture."""
    require_permission(actor, "purchasing.add_conditionreport")
    unit = Vehicle.objects.select_related("rooftop").get(pk=getattr(vehicle, "pk", vehicle))
    require_rooftop(actor, unit.rooftop_id)
    errors: dict[str, Any] = {}
    if occasion not in ReportOccasion.values:
        errors["occasion"] = [f"One of {', '.join(ReportOccasion.values)}."]
    if not (signed_name or "").strip():
        errors["signed_name"] = ["Sign with your name."]
    clean: dict[str, Any] = {}
    for key, check in (
        ("markers", lambda: _markers(list(markers))),
        ("tyres", lambda: _tyres(tyres or {}, unit.rooftop)),
        ("checks", lambda: _checks(checks or {})),
    ):
        try:
            clean[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    ids = {m["id"] for m in clean.get("markers", [])}
    content_types = {}
    for marker_id, upload in (photos or {}).items():
        if marker_id not in ids:
            errors[f"photos.{marker_id}"] = ["A photo belongs to a marker on the diagram."]
            continue
        try:
            content_types[marker_id] = check_photo(upload, f"photos.{marker_id}")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    report = ConditionReport.objects.create(
        vehicle=unit,
        occasion=occasion,
        notes=notes,
        signed_by=user_or_none(actor),
        signed_name=signed_name.strip()[:150],
        signed_at=timezone.now(),
        **clean,
    )
    for marker_id, upload in (photos or {}).items():
        ConditionPhoto.objects.create(
            report=report, marker_id=marker_id, image=upload, content_type=content_types[marker_id]
        )
    audit.record(
        actor,
        "purchasing.record_condition_report",
        report,
        {"occasion": [None, occasion], "markers": [None, len(clean["markers"])]},
        rooftop_id=unit.rooftop_id,
    )
    return report


# --- appraisals ------------------------------------------------------------------------

APPRAISAL_FIELDS = ("vin", "plate", "year", "make", "model", "odometer", "notes")


def _estimate(raw: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for area, amount in raw.items():
        name = str(area).strip()[:40]
        if name:
            out[name] = str(money(amount, f"recon_estimate.{name}"))
    return out


def _comparables(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, row in enumerate(raw):
        price = money(row.get("price"), f"comparables.{n}.price", positive=True)
        out.append(
            {
                "source": str(row.get("source", ""))[:80],
                "price": str(price),
                "odometer": int(row.get("odometer") or 0),
                "note": str(row.get("note", ""))[:200],
            }
        )
    return out


@transaction.atomic
def create_appraisal(
    actor: Any,
    rooftop: Rooftop,
    *,
    grade: str,
    acv: Any,
    offer: Any,
    expires_on: date,
    recon_estimate: Mapping[str, Any] | None = None,
    comparables: Sequence[Mapping[str, Any]] = (),
    customer: Customer | None = None,
    **details: Any,
) -> Appraisal:
    """What a unit is worth to the dealer (ACV) and the offer made, until `expires_on`."""
    require_permission(actor, "purchasing.add_appraisal")
    require_rooftop(actor, rooftop.pk)
    unknown = set(details) - set(APPRAISAL_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for key, check in (
        ("acv", lambda: money(acv, "acv")),
        ("offer", lambda: money(offer, "offer")),
        ("recon_estimate", lambda: _estimate(recon_estimate or {})),
        ("comparables", lambda: _comparables(comparables)),
    ):
        try:
            values[key] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if grade not in ConditionGrade.values:
        errors["grade"] = [f"One of {', '.join(ConditionGrade.values)}."]
    if not (details.get("vin") or details.get("plate")):
        errors["vin"] = ["Give the VIN or the registration plate."]
    if expires_on < timezone.localdate():
        errors["expires_on"] = ["An appraisal expires in the future."]
    if customer is not None and customer.rooftop_id != rooftop.pk:
        errors["customer"] = ["The customer belongs to another rooftop."]
    if errors:
        raise ValidationError(errors)
    details["vin"] = str(details.get("vin", "")).strip().upper()
    appraisal = Appraisal(
        rooftop=rooftop,
        grade=grade,
        expires_on=expires_on,
        customer=customer,
        appraised_by=user_or_none(actor),
        **values,
        **details,
    )
    appraisal.full_clean()
    appraisal.save()
    audit.record(actor, "purchasing.create_appraisal", appraisal, audit.created(appraisal))
    return appraisal


@transaction.atomic
def decide_appraisal(
    actor: Any, appraisal: Appraisal | int, *, outcome: str, purchase_line: Any = None
) -> Appraisal:
    """Close an appraisal: bought (with the purchase line it became), taken in trade on a
    deal, or declined. An expired appraisal can only be declined."""
    require_permission(actor, "purchasing.change_appraisal")
    locked = Appraisal.objects.select_for_update().get(pk=getattr(appraisal, "pk", appraisal))
    require_rooftop(actor, locked.rooftop_id)
    if locked.status != AppraisalStatus.OPEN:
        raise ValidationError({"status": "This appraisal is already closed."})
    if outcome not in (
        AppraisalStatus.PURCHASED,
        AppraisalStatus.TRADED_IN,
        AppraisalStatus.DECLINED,
    ):
        raise ValidationError({"status": "Bought, taken in trade or declined."})
    if outcome != AppraisalStatus.DECLINED and locked.expires_on < timezone.localdate():
        raise ValidationError(
            {"status": f"The appraisal expired on {locked.expires_on}; appraise again."}
        )
    locked.status = outcome
    locked.purchase_line = purchase_line
    locked.version += 1
    locked.save(update_fields=["status", "purchase_line", "version"])
    audit.record(actor, "purchasing.decide_appraisal", locked, {"status": ["open", outcome]})
    return locked
