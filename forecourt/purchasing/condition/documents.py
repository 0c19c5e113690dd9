"""The condition report as PDF: the diagram drawn from the markers' data, then the list of
markers, tyres, checks and the signature. Paper size from the rooftop."""

from __future__ import annotations

from django.utils import timezone

from forecourt.accounts.models import Country
from forecourt.core.pdf import FONT
from forecourt.purchasing.condition.diagram import HEIGHT, TYRES, VIEWS, WIDTH, wheels
from forecourt.purchasing.condition.models import ConditionReport
from forecourt.purchasing.documents import Document

DIAGRAM_MM = 150
SEVERITY_GREY = {"minor": 170, "moderate": 110, "severe": 20}


def render_condition_report(report: ConditionReport) -> bytes:
    vehicle = report.vehicle
    rooftop = vehicle.rooftop
    pdf = Document(rooftop, f"Condition report: {vehicle.title}")
    pdf.line_text(
        f"VIN {vehicle.vin} · stock {vehicle.stock_number} · {report.get_occasion_display()} · "
        f"odometer {vehicle.odometer:,}"
    )
    scale = DIAGRAM_MM / WIDTH
    left, top = pdf.l_margin, pdf.get_y() + 2
    pdf.set_draw_color(60)
    for view in VIEWS:
        shapes = view.shapes()
        for cx, cy in wheels(view):
            pdf.circle(left + cx * scale, top + cy * scale, 20 * scale)
        for shape in (shapes.body, *shapes.windows):
            pdf.polygon([(left + x * scale, top + y * scale) for x, y in shape])
        pdf.set_font(FONT, "", 7)
        pdf.text(left + 2, top + (view.top + 10) * scale, view.label)
    for number, marker in enumerate(report.markers, start=1):
        pdf.set_fill_color(SEVERITY_GREY.get(marker["severity"], 80))
        pdf.circle(left + marker["x"] * scale, top + marker["y"] * scale, 13 * scale, style="DF")
        pdf.set_font(FONT, "B", 6)
        pdf.text(left + (marker["x"] + 7) * scale, top + (marker["y"] - 6) * scale, str(number))
    pdf.set_y(top + HEIGHT * scale + 4)
    pdf.row([("#", 0.06), ("Where", 0.14), ("Type", 0.16), ("Severity", 0.16), ("Note", 0.48)], "B")
    for number, marker in enumerate(report.markers, start=1):
        pdf.row(
            [
                (str(number), 0.06),
                (marker["view"], 0.14),
                (marker["type"], 0.16),
                (marker["severity"], 0.16),
                (marker["note"][:60], 0.48),
            ]
        )
    unit = "mm" if rooftop.country == Country.GB else "/32 in"
    tyres = ", ".join(
        f"{w.replace('_', ' ')} {report.tyres[w]} {unit}" for w in TYRES if w in report.tyres
    )
    pdf.ln(2)
    pdf.line_text(f"Tyres: {tyres or 'not measured'}")
    checks = ", ".join(f"{name} {result}" for name, result in report.checks.items())
    pdf.line_text(f"Checks: {checks or 'none'}")
    if report.notes:
        pdf.line_text(f"Notes: {report.notes}")
    pdf.ln(4)
    signed = timezone.localtime(report.signed_at)
    pdf.line_text(f"Signed by {report.signed_name} on {signed:%Y-%m-%d %H:%M}", style="B")
    return bytes(pdf.output())
