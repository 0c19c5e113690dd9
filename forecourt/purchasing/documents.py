"""The dealer's own purchase invoice (private sellers) and the condition report, as PDF.

Paper size comes from the rooftop's country (A4 in the UK, Letter in the US); core fonts
(Latin-1: $ and £). The condition diagram is drawn from the markers' data, not an image.
"""

from __future__ import annotations

from typing import Any

from fpdf.enums import XPos, YPos

from forecourt.accounts.models import Country, Rooftop
from forecourt.core.money import format_money
from forecourt.core.pdf import FONT
from forecourt.core.pdf import Document as PdfDocument
from forecourt.purchasing.actions import invoice_total
from forecourt.purchasing.models import PurchaseInvoice, VatTreatment

MARGIN_STATEMENT = "This is a second-hand margin scheme purchase: no VAT is shown or reclaimable."


def paper_for(rooftop: Rooftop) -> str:
    return "A4" if rooftop.country == Country.GB else "letter"


class Document(PdfDocument):
    def __init__(self, rooftop: Rooftop, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=paper_for(rooftop))
        self.set_auto_page_break(auto=True, margin=14)
        self.set_margins(16, 14, 16)
        self.set_creator("Forecourt")
        self.set_title(title)
        self.add_page()
        self.set_font(FONT, "B", 16)
        self.cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line_text(f"{rooftop.name}\n{rooftop.address}".strip(), size=9)
        self.ln(3)

    def line_text(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, cells: list[tuple[str, float]], style: str = "") -> None:
        self.set_font(FONT, style, 9)
        usable = self.w - self.l_margin - self.r_margin
        for text, share in cells:
            self.cell(usable * share, 6, text, border="B")
        self.ln(6)


def render_purchase_invoice(invoice: PurchaseInvoice) -> bytes:
    """The dealer's purchase invoice for a private seller: who sold what, for how much."""
    rooftop = invoice.rooftop
    currency = rooftop.currency
    pdf = Document(rooftop, f"Purchase invoice {invoice.our_number or invoice.pk}")
    seller = invoice.seller
    customer: Any = seller.customer
    address = ""
    if customer is not None:
        parts = (
            customer.address_line1,
            customer.address_line2,
            customer.city,
            customer.postal_code,
        )
        address = ", ".join(p for p in parts if p)
    pdf.line_text(f"Date: {invoice.purchased_on.isoformat()}")
    pdf.line_text(f"Bought from: {seller.name}" + (f", {address}" if address else ""))
    pdf.ln(3)
    pdf.row([("Vehicle", 0.42), ("VIN", 0.30), ("Odometer", 0.12), ("Price", 0.16)], "B")
    lines = list(invoice.lines.select_related("vehicle"))
    for line in lines:
        vehicle = line.vehicle
        pdf.row(
            [
                (vehicle.title[:40], 0.42),
                (vehicle.vin, 0.30),
                (f"{vehicle.odometer:,}", 0.12),
                (format_money(line.price, currency), 0.16),
            ]
        )
    pdf.ln(2)
    pdf.line_text(f"Total: {format_money(invoice_total(invoice), currency)}", style="B")
    if rooftop.country == Country.GB and any(
        line.vat_treatment == VatTreatment.MARGIN for line in lines
    ):
        pdf.ln(2)
        pdf.line_text(MARGIN_STATEMENT, size=9)
    pdf.ln(10)
    pdf.line_text("Seller's signature: ____________________    Date: ____________", size=10)
    pdf.ln(6)
    pdf.line_text("For the dealer:     ____________________    Date: ____________", size=10)
    return bytes(pdf.output())
