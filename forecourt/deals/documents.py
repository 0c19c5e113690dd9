"""Deal paperwork as PDF (fpdf2, pure Python), on the rooftop's paper (Letter in the US, A4
in the UK): US buyer's order, odometer disclosure statement and payment receipts; the UK
sales invoice (VAT shown for standard-rated cars; the margin-scheme statement and no VAT
line for margin-scheme cars). Every amount comes from deal_numbers, as on the jacket."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from fpdf.enums import XPos, YPos

from forecourt.core.money import format_money
from forecourt.core.pdf import FONT, Document
from forecourt.deals.models import Deal, DealStatus, LineKindChoice
from forecourt.deals.numbers import DealNumbers, deal_numbers

MARGIN_STATEMENT = (
    "This is a second-hand margin scheme supply: VAT is not shown separately and cannot be "
    "reclaimed (VAT Notice 718/1)."
)
ODOMETER_STATEMENTS = {
    "actual": "I certify that to the best of my knowledge the odometer reading reflects the "
    "actual mileage of the vehicle described.",
    "exceeds_limits": "I certify that to the best of my knowledge the odometer reading "
    "reflects the amount of mileage in excess of its mechanical limits.",
    "not_actual": "I certify that the odometer reading is NOT the actual mileage. "
    "WARNING - ODOMETER DISCREPANCY.",
}


class DealPdf(Document):
    def __init__(self, deal: Deal) -> None:
        paper = "A4" if deal.rooftop.country == "GB" else "letter"
        super().__init__(orientation="portrait", unit="mm", format=paper)
        self.deal = deal
        self.currency = deal.rooftop.currency
        self.set_auto_page_break(auto=True, margin=14)
        self.set_margins(16, 14, 16)
        self.set_creator("Forecourt")
        self.add_page()

    def heading(self, title: str) -> None:
        rooftop = self.deal.rooftop
        self.set_font(FONT, "B", 15)
        self.cell(0, 8, str(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        for text in (rooftop.name, rooftop.address.replace("\n", ", "), rooftop.phone):
            if text:
                self.cell(0, 4.5, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def para(self, text: str, size: float = 9, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, 4.6, str(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(self, label: str, amount: Decimal | None = None, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 10)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width - 45, 6, str(label))
        text = format_money(amount, self.currency) if amount is not None else ""
        self.cell(45, 6, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def parties(self) -> None:
        deal = self.deal
        vehicle = deal.vehicle
        buyer = deal.buyer
        address = ", ".join(
            p for p in (buyer.address_line1, buyer.city, buyer.region, buyer.postal_code) if p
        )
        self.para(f"Deal {deal.number}    Sale date {deal.sale_date:%Y-%m-%d}", 10, "B")
        self.para(f"Buyer: {buyer}" + (f", {address}" if address else ""))
        if deal.co_buyer:
            self.para(f"Co-buyer: {deal.co_buyer}")
        self.para(
            f"Vehicle: {vehicle.title}  VIN {vehicle.vin}  Stock {vehicle.stock_number}  "
            f"Odometer {deal.delivery_odometer or vehicle.odometer}"
        )
        self.ln(2)

    def signatures(self, *who: str) -> None:
        self.ln(8)
        for name in who:
            self.para(f"{name}: ______________________________   Date: ____________")
            self.ln(3)


def _lines(pdf: DealPdf, numbers: DealNumbers) -> None:
    deal = pdf.deal
    pdf.row("Vehicle price", deal.price)
    if deal.discount:
        pdf.row("Dealer discount", -deal.discount)
    for line in deal.lines.all():
        amount = -line.amount if line.kind == LineKindChoice.REBATE else line.amount
        pdf.row(f"{line.get_kind_display()}: {line.description}", amount)


def _trades_and_payments(pdf: DealPdf, numbers: DealNumbers) -> None:
    for trade in pdf.deal.trades.all():
        pdf.row(f"Trade-in {trade} VIN {trade.vin}: allowance", -trade.allowance)
        if trade.payoff:
            pdf.row(f"  Payoff to {trade.lienholder}", trade.payoff)
    for payment in pdf.deal.payments.all():
        pdf.row(
            f"Payment {payment.receipt_number} ({payment.get_method_display()})", -payment.amount
        )
    pdf.row("Balance due", numbers.totals.balance_due, bold=True)


def buyers_order(deal: Deal) -> bytes:
    if deal.rooftop.country != "US":
        raise ValidationError({"kind": "The buyer's order is a US document; use the invoice."})
    numbers = deal_numbers(deal)
    pdf = DealPdf(deal)
    pdf.heading("Buyer's Order / Bill of Sale")
    pdf.parties()
    _lines(pdf, numbers)
    for line in numbers.tax_lines:
        base = format_money(line.taxable_amount, pdf.currency)
        pdf.row(f"{line.name} tax {line.rate * 100:.3f}% on {base}", line.tax)
    pdf.row("Total cash price", numbers.totals.cash_price, bold=True)
    _trades_and_payments(pdf, numbers)
    pdf.signatures("Buyer", "Co-buyer" if deal.co_buyer else "Dealer", "Dealer")
    return bytes(pdf.output())


def odometer_disclosure(deal: Deal) -> bytes:
    if deal.delivery_odometer is None:
        raise ValidationError({"kind": "The odometer is disclosed at delivery."})
    pdf = DealPdf(deal)
    pdf.heading("Odometer Disclosure Statement")
    pdf.para("Federal law (and State law, if applicable) requires that you state the mileage "
             "upon transfer of ownership. Failure to complete or providing a false statement "
             "may result in fines and/or imprisonment (49 U.S.C. 32705).")  # fmt: skip
    pdf.ln(2)
    pdf.parties()
    pdf.para(f"Odometer reading: {deal.delivery_odometer} (no tenths)", 11, "B")
    pdf.para(ODOMETER_STATEMENTS.get(deal.delivery_odometer_brand, ""))
    pdf.signatures("Transferor (dealer)", "Transferee (buyer)")
    return bytes(pdf.output())


def receipts(deal: Deal) -> bytes:
    payments = list(deal.payments.all())
    if not payments:
        raise ValidationError({"kind": "No payments have been taken on this deal."})
    pdf = DealPdf(deal)
    for n, payment in enumerate(payments):
        if n:
            pdf.add_page()
        pdf.heading(f"Receipt {payment.receipt_number}")
        pdf.parties()
        received = timezone.localtime(payment.received_at)
        pdf.para(f"Received {received:%Y-%m-%d %H:%M} by {payment.get_method_display()}"
                 + (f" ({payment.reference})" if payment.reference else ""))  # fmt: skip
        pdf.row("Amount", payment.amount, bold=True)
    return bytes(pdf.output())


def invoice(deal: Deal) -> bytes:
    if deal.rooftop.country != "GB":
        raise ValidationError({"kind": "The sales invoice is a UK document."})
    current = deal.invoices.filter(cancelled_at__isnull=True).first()
    if current is None or deal.status not in (DealStatus.CONTRACTED, DealStatus.DELIVERED):
        raise ValidationError({"kind": "Issue the invoice number first (contracted deals)."})
    numbers = deal_numbers(deal)
    vat = numbers.vat
    pdf = DealPdf(deal)
    pdf.heading(f"Sales invoice {current.number}")
    pdf.para(f"Invoice date {timezone.localtime(current.issued_at):%Y-%m-%d}")
    pdf.parties()
    _lines(pdf, numbers)
    pdf.row("Total", numbers.totals.cash_price, bold=True)
    if vat is not None and vat.shows_vat:
        pdf.row("of which VAT on the vehicle", vat.vat)
    if numbers.add_on_vat:
        pdf.row("of which VAT on accessories and fees", numbers.add_on_vat)
    _trades_and_payments(pdf, numbers)
    if vat is not None and not vat.shows_vat:
        pdf.ln(4)
        pdf.para(MARGIN_STATEMENT, 10, "B")
    return bytes(pdf.output())


DOCUMENTS: dict[str, Callable[[Deal], bytes]] = {
    "buyers_order": buyers_order,
    "odometer": odometer_disclosure,
    "receipts": receipts,
    "invoice": invoice,
}


def render_document(kind: str, deal: Deal) -> bytes:
    return DOCUMENTS[kind](deal)
