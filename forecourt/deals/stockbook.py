"""The VAT margin-scheme stock book (HMRC VAT Notice 718/1, sections 4-5): one row per
margin-scheme car sold, with what the law asks for, from the delivered deals' own numbers
and invoice numbers, so it reconciles with the invoices. CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from forecourt.deals.models import Deal, DealStatus, TradeIn
from forecourt.purchasing.models import PurchaseLine
from forecourt.purchasing.reads import purchase_for


@dataclass(frozen=True)
class StockBookRow:
    stock_number: str
    purchase_date: date
    purchase_price: Decimal
    purchase_invoice: str
    seller: str
    make_model: str
    registration: str
    sale_date: date | None
    selling_price: Decimal
    sales_invoice: str
    buyer: str
    margin: Decimal
    vat_due: Decimal


HEADINGS = [
    "Stock number", "Purchase date", "Purchase price", "Purchase invoice", "Seller",
    "Make and model", "Registration", "Sale date", "Selling price", "Sales invoice", "Buyer",
    "Margin", "VAT due",
]  # fmt: skip


def stock_book_rows(deals: Any) -> list[StockBookRow]:
    """`deals`: a scoped queryset; delivered margin-scheme sales are kept, oldest first."""
    rows = []
    chosen = list(
        deals.filter(status=DealStatus.DELIVERED, rooftop__country="GB")
        .select_related("vehicle", "buyer")
        .prefetch_related("invoices")
        .order_by("delivery_date", "id")
    )
    trades = {
        t.vehicle_id: t
        for t in TradeIn.objects.filter(
            vehicle_id__in=[d.vehicle_id for d in chosen]
        ).select_related("deal__buyer")
    }
    for deal in chosen:
        vat = (deal.delivered_numbers or {}).get("vat") or {}
        if vat.get("treatment") != "margin":
            continue
        vehicle = deal.vehicle
        invoice = next((i.number for i in deal.invoices.all() if i.cancelled_at is None), "")
        rows.append(
            _row(deal, vehicle, vat, invoice, trades.get(vehicle.pk), purchase_for(vehicle))
        )
    return rows


def _row(
    deal: Deal,
    vehicle: Any,
    vat: dict[str, Any],
    invoice: str,
    trade: TradeIn | None,
    purchase: PurchaseLine | None,
) -> StockBookRow:
    # The purchase record (purchasing) gives the date, invoice number and seller; a unit
    # without one falls back to its trade-in (seller = the customer) or its source. The
    # price is the one the VAT was worked on at delivery, so the book matches the invoice.
    if purchase is not None:
        bought = purchase.invoice
        purchase_date = bought.purchased_on
        purchase_invoice = bought.seller_reference or bought.our_number
        seller = str(bought.seller)
    else:
        purchase_date, purchase_invoice = vehicle.acquired_on, ""
        seller = str(trade.deal.buyer) if trade else vehicle.get_acquisition_source_display()
    return StockBookRow(
        stock_number=vehicle.stock_number,
        purchase_date=purchase_date,
        purchase_price=Decimal(vat.get("purchase_price") or "0"),
        purchase_invoice=purchase_invoice,
        seller=seller,
        make_model=f"{vehicle.make} {vehicle.model}",
        registration=trade.plate if trade else "",
        sale_date=deal.delivery_date,
        selling_price=Decimal(deal.delivered_numbers["vehicle_price"]),
        sales_invoice=invoice,
        buyer=str(deal.buyer),
        margin=Decimal(vat.get("margin") or "0"),
        vat_due=Decimal(vat.get("vat") or "0"),
    )


def _values(row: StockBookRow) -> list[Any]:
    return [getattr(row, f.name) for f in fields(row)]


def as_csv(rows: list[StockBookRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([str(v) if v is not None else "" for v in _values(row)])
    return buffer.getvalue().encode()


def as_xlsx(rows: list[StockBookRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Stock book"
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(_values(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
