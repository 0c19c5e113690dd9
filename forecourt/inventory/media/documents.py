"""Printable vehicle documents: the FTC Buyers Guide and a window sticker, as PDF bytes.

Rendering works from plain dataclasses (no database), so the layout is tested on its own;
`buyers_guide_for` / `window_sticker_for` build those dataclasses from a vehicle.
fpdf2 is pure Python: no system libraries, set-up stays two commands; the font is core.pdf's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fpdf.enums import XPos, YPos

from forecourt.accounts.models import Country
from forecourt.core.money import format_money
from forecourt.core.pdf import FONT, Document
from forecourt.inventory.media.buyers_guide_text import MAJOR_DEFECTS, TEXT, Language
from forecourt.inventory.media.warranty import warranty_of
from forecourt.inventory.models import RooftopDisclosure, WarrantyKind


@dataclass(frozen=True)
class Dealer:
    name: str
    address: str = ""
    phone: str = ""
    complaints_contact: str = ""
    currency: str = "USD"


@dataclass(frozen=True)
class VehicleFacts:
    year: int | None
    make: str
    model: str
    vin: str
    stock_number: str = ""
    trim: str = ""
    condition: str = ""
    odometer: int | None = None
    odometer_unit: str = "mi"
    body_style: str = ""
    drivetrain: str = ""
    engine: str = ""
    transmission: str = ""
    fuel_type: str = ""
    exterior_color: str = ""
    interior_color: str = ""
    price: Decimal | None = None
    price_label: str = "Price"  # which price `price` is: the sticker names it
    list_price: Decimal | None = None  # shown under an internet price that differs from it
    features: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " ".join(str(p) for p in (self.year, self.make, self.model, self.trim) if p)


@dataclass(frozen=True)
class WarrantyTerms:
    kind: str = WarrantyKind.AS_IS
    labor_percent: int | None = None
    parts_percent: int | None = None
    systems_covered: str = ""
    duration: str = ""
    manufacturer_warranty: bool = False
    manufacturer_used_warranty: bool = False
    other_used_warranty: bool = False
    service_contract: bool = False


class _Document(Document):
    """Letter-size pages in the embedded Unicode font (core.pdf): any name or address prints."""

    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.set_auto_page_break(auto=True, margin=12)
        self.set_margins(14, 12, 14)

    def text_block(self, text: str, size: float = 9, style: str = "", height: float = 4.4) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def checkbox(self, checked: bool, label: str, size: float = 10) -> None:
        """A square box (crossed when checked) followed by a bold label on the same line."""
        x, y = self.get_x(), self.get_y()
        self.rect(x, y + 0.6, 4, 4)
        if checked:
            self.line(x, y + 0.6, x + 4, y + 4.6)
            self.line(x, y + 4.6, x + 4, y + 0.6)
        self.set_x(x + 6)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 5.2, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def labelled_box(self, label: str, value: str, width: float, last: bool = False) -> None:
        x, y = self.get_x(), self.get_y()
        self.rect(x, y, width, 11)
        self.set_xy(x + 1, y + 0.8)
        self.set_font(FONT, "", 6.5)
        self.cell(width - 2, 3, label)
        self.set_xy(x + 1, y + 4.5)
        self.set_font(FONT, "B", 10)
        self.cell(width - 2, 5.5, value)
        if last:
            self.set_xy(self.l_margin, y + 12.5)
        else:
            self.set_xy(x + width, y)

    def rule(self) -> None:
        self.ln(1.5)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)


def render_buyers_guide(
    vehicle: VehicleFacts, warranty: WarrantyTerms, dealer: Dealer, language: Language = "en"
) -> bytes:
    """Both sides of the Buyers Guide (front: vehicle and warranties; back: defects, dealer)."""
    words = TEXT[language]
    pdf = _Document()
    pdf.set_title(f"{words['title']} {vehicle.vin}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 22)
    pdf.cell(0, 11, words["title"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.text_block(words["important"], size=9, style="B")
    pdf.ln(2)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.labelled_box(words["make"], vehicle.make, usable * 0.34)
    pdf.labelled_box(words["model"], vehicle.model, usable * 0.46)
    pdf.labelled_box(words["year"], str(vehicle.year or ""), usable * 0.20, last=True)
    pdf.labelled_box(words["vin"], vehicle.vin, usable * 0.62)
    pdf.labelled_box(words["stock"], vehicle.stock_number, usable * 0.38, last=True)

    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, words["warranties"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if warranty.kind == WarrantyKind.IMPLIED_ONLY:
        pdf.checkbox(True, words["implied_only"], size=13)
        pdf.text_block(words["implied_only_body"])
    else:
        pdf.checkbox(warranty.kind == WarrantyKind.AS_IS, words["as_is"], size=13)
        pdf.text_block(words["as_is_body"], style="B")
    pdf.rule()
    is_dealer_warranty = warranty.kind in (WarrantyKind.FULL, WarrantyKind.LIMITED)
    pdf.checkbox(is_dealer_warranty, words["dealer_warranty"], size=13)
    pdf.checkbox(warranty.kind == WarrantyKind.FULL, words["full"])
    pdf.checkbox(warranty.kind == WarrantyKind.LIMITED, words["limited"])
    percent = {"labor": "___", "parts": "___"}
    if warranty.kind == WarrantyKind.LIMITED:
        percent = {"labor": str(warranty.labor_percent), "parts": str(warranty.parts_percent)}
    pdf.text_block(words["limited_body"].format(**percent))
    pdf.text_block(f"{words['systems']} {warranty.systems_covered if is_dealer_warranty else ''}")
    pdf.text_block(f"{words['duration']} {warranty.duration if is_dealer_warranty else ''}")
    pdf.rule()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, words["non_dealer"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.checkbox(warranty.manufacturer_warranty, words["manufacturer"], size=9)
    pdf.checkbox(warranty.manufacturer_used_warranty, words["manufacturer_used"], size=9)
    pdf.checkbox(warranty.other_used_warranty, words["other_used"], size=9)
    pdf.text_block(words["ask_copy"])
    pdf.rule()
    pdf.checkbox(warranty.service_contract, words["service_contract"], size=9)
    pdf.rule()
    pdf.text_block(words["inspection"], style="B")
    pdf.ln(1)
    pdf.text_block(words["history"], style="B")
    pdf.ln(1)
    pdf.text_block(words["see_other_side"], style="B")
    if words["spanish_notice"]:
        pdf.ln(1)
        pdf.text_block(words["spanish_notice"], style="I")

    pdf.add_page()
    pdf.text_block(words["defects_intro"], size=11, style="B", height=6)
    pdf.ln(1)
    for system, defects in MAJOR_DEFECTS[language]:
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(0, 4.2, system, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.text_block(defects, size=7.5, height=3.6)
    pdf.rule()
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.labelled_box(words["dealer_name"], dealer.name, usable * 0.6)
    pdf.labelled_box(words["phone"], dealer.phone, usable * 0.4, last=True)
    pdf.labelled_box(words["address"], " ".join(dealer.address.split()), usable, last=True)
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 5, words["complaints"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.text_block(dealer.complaints_contact or f"{dealer.name} {dealer.phone}".strip())
    pdf.rule()
    pdf.text_block(words["footer"], size=8, style="B")
    return bytes(pdf.output())


def render_window_sticker(vehicle: VehicleFacts, dealer: Dealer) -> bytes:
    """One page: title, price, the specs a shopper compares, and the dealer."""
    pdf = _Document()
    pdf.set_title(f"{vehicle.title} {vehicle.vin}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 6, dealer.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, " ".join(f"{dealer.address} {dealer.phone}".split()), new_x=XPos.LMARGIN)
    pdf.ln(8)
    pdf.rule()
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(0, 11, vehicle.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if vehicle.condition:
        pdf.set_font(FONT, "", 12)
        pdf.cell(0, 7, vehicle.condition.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if vehicle.price is not None:
        pdf.set_font(FONT, "B", 14)
        pdf.cell(0, 8, vehicle.price_label, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 36)
    price = format_money(vehicle.price, dealer.currency) or "Call for price"
    pdf.cell(0, 16, price, align="C", border=1, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if vehicle.list_price is not None and vehicle.list_price != vehicle.price:
        pdf.set_font(FONT, "", 12)
        list_price = f"List price {format_money(vehicle.list_price, dealer.currency)}"
        pdf.cell(0, 8, list_price, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    mileage = (
        f"{vehicle.odometer:,} {vehicle.odometer_unit}" if vehicle.odometer is not None else ""
    )
    specs = [
        ("VIN", vehicle.vin),
        ("Stock number", vehicle.stock_number),
        ("Mileage", mileage),
        ("Body style", vehicle.body_style),
        ("Engine", vehicle.engine),
        ("Transmission", vehicle.transmission),
        ("Drivetrain", vehicle.drivetrain),
        ("Fuel", vehicle.fuel_type),
        ("Exterior color", vehicle.exterior_color),
        ("Interior color", vehicle.interior_color),
    ]
    for label, value in specs:
        if not value:
            continue
        pdf.set_font(FONT, "", 12)
        pdf.cell(55, 8, label, border="B")
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 8, value, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if vehicle.features:
        pdf.ln(4)
        pdf.text_block("Features: " + ", ".join(vehicle.features), size=10, height=5)
    return bytes(pdf.output())


def pdf_response_headers(filename: str) -> dict[str, Any]:
    return {
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, no-store",
    }


# --- from the database ----------------------------------------------------------------------


def dealer_for(rooftop: Any) -> Dealer:
    disclosure = RooftopDisclosure.objects.filter(rooftop=rooftop).first()
    return Dealer(
        name=rooftop.name,
        address=rooftop.address,
        phone=rooftop.phone,
        complaints_contact=disclosure.complaints_contact if disclosure else "",
        currency=rooftop.currency,
    )


def facts_for(vehicle: Any, *, with_price: bool = True) -> VehicleFacts:
    online = vehicle.internet_price is not None
    price = vehicle.internet_price if online else vehicle.list_price
    return VehicleFacts(
        year=vehicle.year,
        make=vehicle.make,
        model=vehicle.model,
        vin=vehicle.vin,
        stock_number=vehicle.stock_number,
        trim=vehicle.trim,
        condition=vehicle.get_condition_display(),
        odometer=vehicle.odometer,
        odometer_unit="mi",
        body_style=vehicle.body_style,
        drivetrain=vehicle.get_drivetrain_display() if vehicle.drivetrain else "",
        engine=vehicle.engine,
        transmission=vehicle.get_transmission_display() if vehicle.transmission else "",
        fuel_type=vehicle.get_fuel_type_display() if vehicle.fuel_type else "",
        exterior_color=vehicle.exterior_color,
        interior_color=vehicle.interior_color,
        price=price if with_price else None,
        price_label="Internet price" if online else "List price",
        list_price=vehicle.list_price if with_price and online else None,
    )


def warranty_terms_for(vehicle: Any) -> WarrantyTerms:
    w = warranty_of(vehicle)
    return WarrantyTerms(
        kind=w.kind,
        labor_percent=w.labor_percent,
        parts_percent=w.parts_percent,
        systems_covered=w.systems_covered,
        duration=w.duration,
        manufacturer_warranty=w.manufacturer_warranty_applies,
        manufacturer_used_warranty=w.manufacturer_used_warranty_applies,
        other_used_warranty=w.other_used_warranty_applies,
        service_contract=w.service_contract_available,
    )


def buyers_guide_refusal(vehicle: Any) -> str:
    """Why `vehicle` has no Buyers Guide, or "" when it has one.

    The FTC Used Car Rule (16 CFR 455) is a US rule: it covers used vehicles (certified
    pre-owned included) offered by a US dealer, so a rooftop in another country (GB) has no
    Buyers Guide, and new vehicles have none anywhere."""
    country = vehicle.rooftop.country
    if country != Country.US:
        label = Country(country).label if country in Country.values else country
        return (
            "The FTC Buyers Guide (16 CFR 455) is a US requirement: vehicles of a rooftop in "
            f"{label} have none. The window sticker is available."
        )
    if vehicle.condition == "new":
        return "New vehicles have no Buyers Guide: the FTC Used Car Rule covers used vehicles."
    return ""


def has_buyers_guide(vehicle: Any) -> bool:
    return not buyers_guide_refusal(vehicle)


def buyers_guide_for(vehicle: Any, language: Language) -> bytes:
    return render_buyers_guide(
        facts_for(vehicle), warranty_terms_for(vehicle), dealer_for(vehicle.rooftop), language
    )


def window_sticker_for(vehicle: Any) -> bytes:
    return render_window_sticker(facts_for(vehicle), dealer_for(vehicle.rooftop))
