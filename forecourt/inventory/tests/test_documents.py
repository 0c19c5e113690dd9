"""Buyers Guide (English and Spanish) and window sticker PDFs: the text a reader would see."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.inventory.actions import set_complaints_contact, set_warranty
from forecourt.inventory.media import documents
from forecourt.inventory.media.documents import (
    Dealer,
    VehicleFacts,
    WarrantyTerms,
    format_money,
    render_buyers_guide,
    render_window_sticker,
)
from forecourt.inventory.models import VehicleWarranty, WarrantyKind
from forecourt.inventory.tests.factories import receive

VEHICLE = VehicleFacts(
    year=2019,
    make="Honda",
    model="Civic",
    trim="EX",
    vin="1HGCM82633A004352",
    stock_number="SPR-190042",
    condition="Used",
    odometer=45210,
    engine="2.0L I4",
    exterior_color="Blue",
    price=Decimal("18995.00"),
)
DEALER = Dealer(
    name="Springfield Motors",
    address="742 Evergreen Terrace, Springfield",
    phone="555-0100",
    complaints_contact="Marge Simpson, 555-0199",
)
LIMITED = WarrantyTerms(
    kind=WarrantyKind.LIMITED,
    labor_percent=50,
    parts_percent=100,
    systems_covered="Engine and transmission",
    duration="30 days or 1,000 miles",
    manufacturer_used_warranty=True,
    service_contract=True,
)


def pdf_pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return [" ".join(text.split()) for text in pages]  # words rejoined across line breaks


def test_money_is_formatted_in_the_rooftops_currency() -> None:
    assert format_money(Decimal("18995"), "USD") == "$18,995.00"
    assert format_money(Decimal("1234567.5"), "GBP") == "£1,234,567.50"
    assert format_money(Decimal("-5"), "USD") == "-$5.00"
    assert format_money(None, "USD") == ""


def test_english_buyers_guide_front_and_back() -> None:
    front, back = pdf_pages(render_buyers_guide(VEHICLE, LIMITED, DEALER, "en"))
    for text in ("BUYERS GUIDE", "Honda", "Civic", "2019", "1HGCM82633A004352", "SPR-190042"):
        assert text in front
    assert "The dealer will pay 50% of the labor and 100% of the parts" in front
    assert "SYSTEMS COVERED: Engine and transmission" in front
    assert "DURATION: 30 days or 1,000 miles" in front
    assert "MANUFACTURER'S USED VEHICLE WARRANTY APPLIES" in front
    assert "SERVICE CONTRACT" in front
    assert "ASK THE DEALER IF YOUR MECHANIC CAN INSPECT THE VEHICLE" in front
    assert "OBTAIN A VEHICLE HISTORY REPORT AND CHECK FOR OPEN SAFETY RECALLS" in front
    assert "pídale una copia de la Guía del Comprador en español" in front
    assert "major defects that may occur in used vehicles" in back
    for system in ("Frame & Body", "Brake System", "Air Bags", "Exhaust System", "Tires"):
        assert system in back
    assert "Springfield Motors" in back
    assert "742 Evergreen Terrace, Springfield" in back
    assert "FOR COMPLAINTS AFTER SALE, CONTACT: Marge Simpson, 555-0199" in back


def test_spanish_buyers_guide_uses_the_spanish_wording() -> None:
    front, back = pdf_pages(render_buyers_guide(VEHICLE, LIMITED, DEALER, "es"))
    assert "GUÍA DEL COMPRADOR" in front
    assert "MARCA DEL VEHÍCULO" in front
    assert "GARANTÍA LIMITADA" in front
    assert "El concesionario pagará el 50% de la mano de obra y el 100% de los repuestos" in front
    assert "SISTEMAS CUBIERTOS: Engine and transmission" in front
    assert "SE APLICA LA GARANTÍA DEL FABRICANTE PARA VEHÍCULOS USADOS" in front
    assert "PREGUNTE AL CONCESIONARIO SI SU MECÁNICO PUEDE INSPECCIONAR" in front
    assert "BUYERS GUIDE" not in front
    assert "Sistema de frenos" in back
    assert "Bolsas de aire" in back
    assert "PARA RECLAMOS DESPUÉS DE LA VENTA, COMUNÍQUESE CON: Marge Simpson" in back


def test_as_is_guide_leaves_the_dealer_warranty_blank() -> None:
    front, _back = pdf_pages(render_buyers_guide(VEHICLE, WarrantyTerms(), DEALER, "en"))
    assert "AS IS - NO DEALER WARRANTY" in front
    assert "THE DEALER DOES NOT PROVIDE A WARRANTY FOR ANY REPAIRS AFTER SALE" in front
    assert "pay ___% of the labor and ___% of the parts" in front
    assert re.search(r"SYSTEMS COVERED: DURATION:", front)


def test_implied_warranties_only_replaces_the_as_is_box() -> None:
    terms = WarrantyTerms(kind=WarrantyKind.IMPLIED_ONLY)
    front, _ = pdf_pages(render_buyers_guide(VEHICLE, terms, DEALER, "en"))
    assert "IMPLIED WARRANTIES ONLY" in front
    assert "AS IS - NO DEALER WARRANTY" not in front


def test_window_sticker_shows_price_and_specs_in_the_currency() -> None:
    (page,) = pdf_pages(render_window_sticker(VEHICLE, DEALER))
    assert "2019 Honda Civic EX" in page
    assert "$18,995.00" in page
    assert "45,210 mi" in page
    assert "2.0L I4" in page
    assert "1HGCM82633A004352" in page
    british = Dealer(name="Leeds Cars", currency="GBP")
    (page,) = pdf_pages(render_window_sticker(VEHICLE, british))
    assert "£18,995.00" in page


# --- from the database, through the views -------------------------------------------------


def test_warranty_rules_refuse_incomplete_terms(manager, rooftop) -> None:
    vehicle = receive(manager, rooftop, condition="used")
    with pytest.raises(ValidationError) as error:
        set_warranty(manager, vehicle, kind=WarrantyKind.LIMITED, systems_covered="Engine")
    assert set(error.value.message_dict) == {"labor_percent", "parts_percent", "duration"}
    assert not VehicleWarranty.objects.filter(vehicle=vehicle).exists()
    with pytest.raises(ValidationError) as error:
        set_warranty(manager, vehicle, kind=WarrantyKind.AS_IS, labor_percent=50)
    assert "labor_percent" in error.value.message_dict


def test_buyers_guide_download_uses_the_vehicles_warranty_and_dealer(
    manager, rooftop, client_for
) -> None:
    rooftop.address = "1 Main Street, Springfield"
    rooftop.phone = "555-0100"
    rooftop.save()
    vehicle = receive(manager, rooftop, condition="used", make="Toyota", model="Camry")
    set_warranty(
        manager,
        vehicle,
        kind=WarrantyKind.FULL,
        systems_covered="Powertrain",
        duration="90 days",
        service_contract_available=True,
    )
    set_complaints_contact(manager, rooftop, "Service desk 555-0142")
    assert AuditEntry.objects.filter(action="inventory.set_warranty").count() == 1
    client = client_for(manager)
    response = client.get(f"/inventory/{vehicle.pk}/buyers-guide-es.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    front, back = pdf_pages(response.content)
    assert "Toyota" in front
    assert vehicle.vin in front
    assert vehicle.stock_number in front
    assert "SISTEMAS CUBIERTOS: Powertrain" in front
    assert "DURACIÓN: 90 days" in front
    assert "1 Main Street, Springfield" in back
    assert "Service desk 555-0142" in back


def test_window_sticker_download_uses_the_internet_price(manager, other_rooftop, client_for):
    manager.rooftops.add(other_rooftop)
    vehicle = receive(manager, other_rooftop, list_price="21000", internet_price="20500")
    response = client_for(manager).get(f"/inventory/{vehicle.pk}/window-sticker.pdf")
    assert response.status_code == 200
    (page,) = pdf_pages(response.content)
    assert "£20,500.00" in page


def test_window_sticker_labels_every_price(manager, client_for):
    """Which price is printed is said on the sticker (issue 18, item 12)."""
    client = client_for(manager)
    online = receive(manager, manager.rooftops.first(), list_price="21000", internet_price="20500")
    (page,) = pdf_pages(client.get(f"/inventory/{online.pk}/window-sticker.pdf").content)
    assert re.search(r"Internet price\s*\$20,500\.00\s*List price \$21,000\.00", page), page
    plain = receive(manager, manager.rooftops.first(), list_price="19000")
    (page,) = pdf_pages(client.get(f"/inventory/{plain.pk}/window-sticker.pdf").content)
    assert re.search(r"List price\s*\$19,000\.00", page), page
    assert "Internet price" not in page


def test_documents_are_scoped_to_the_users_rooftops(
    manager, other_rooftop, make_user, client_for
) -> None:
    vehicle = receive(manager, manager.rooftops.first())
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    client = client_for(outsider)
    assert client.get(f"/inventory/{vehicle.pk}/buyers-guide-en.pdf").status_code == 404
    assert client.get(f"/inventory/{vehicle.pk}/window-sticker.pdf").status_code == 404


def test_new_vehicles_have_no_buyers_guide(manager, rooftop, client_for) -> None:
    vehicle = receive(manager, rooftop, condition="new")
    assert not documents.has_buyers_guide(vehicle)
    client = client_for(manager)
    assert client.get(f"/inventory/{vehicle.pk}/buyers-guide-en.pdf").status_code == 404
    assert client.get(f"/inventory/{vehicle.pk}/buyers-guide-fr.pdf").status_code == 404


def test_warranty_form_saves_terms_and_shows_errors_inline(manager, rooftop, client_for):
    vehicle = receive(manager, rooftop, condition="used")
    client = client_for(manager)
    url = f"/inventory/{vehicle.pk}/warranty/"
    response = client.post(url, {"kind": "limited", "systems_covered": "Engine"})
    assert response.status_code == 200
    assert "A limited warranty states the percentage the dealer pays." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "limited",
            "labor_percent": "40",
            "parts_percent": "60",
            "systems_covered": "Engine",
            "duration": "60 days",
        },
    )
    assert response.status_code == 302
    saved = VehicleWarranty.objects.get(vehicle=vehicle)
    assert (saved.kind, saved.labor_percent, saved.parts_percent) == ("limited", 40, 60)


def test_salesperson_cannot_change_warranty_terms(salesperson, manager, rooftop, client_for):
    vehicle = receive(manager, rooftop)
    response = client_for(salesperson).post(f"/inventory/{vehicle.pk}/warranty/", {"kind": "as_is"})
    assert response.status_code == 403
    assert not VehicleWarranty.objects.filter(vehicle=vehicle).exists()


def test_api_serves_the_buyers_guide_and_warranty(manager, rooftop, client_for) -> None:
    vehicle = receive(manager, rooftop, condition="certified")
    client = client_for(manager)
    response = client.put(
        f"/api/v1/vehicles/{vehicle.pk}/warranty",
        {"kind": "limited", "labor_percent": 100, "parts_percent": 100,
         "systems_covered": "All", "duration": "1 year"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["labor_percent"] == 100
    response = client.put(
        f"/api/v1/vehicles/{vehicle.pk}/warranty",
        {"kind": "limited"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"labor_percent", "parts_percent"} <= fields
    response = client.get(f"/api/v1/vehicles/{vehicle.pk}/buyers-guide?language=en")
    assert response.status_code == 200
    front, _ = pdf_pages(response.content)
    assert "The dealer will pay 100% of the labor and 100% of the parts" in front


def test_vehicle_page_links_documents_and_loads_the_photo_panel(manager, rooftop, client_for):
    vehicle = receive(manager, rooftop, condition="used")
    html = client_for(manager).get(f"/inventory/{vehicle.pk}/").content.decode()
    assert f"/inventory/{vehicle.pk}/buyers-guide-en.pdf" in html
    assert f"/inventory/{vehicle.pk}/buyers-guide-es.pdf" in html
    assert f"/inventory/{vehicle.pk}/window-sticker.pdf" in html
    assert f'hx-get="/inventory/{vehicle.pk}/photos/"' in html


def test_a_uk_rooftop_has_no_buyers_guide_but_keeps_the_window_sticker(
    manager, other_rooftop, client_for
) -> None:
    """16 CFR 455 is a US rule: no link, and a clear 404 (page and API) for a GB rooftop."""
    manager.rooftops.add(other_rooftop)  # country GB
    vehicle = receive(manager, other_rooftop, condition="used")
    assert not documents.has_buyers_guide(vehicle)
    client = client_for(manager)
    html = client.get(f"/inventory/{vehicle.pk}/").content.decode()
    assert "buyers-guide-en.pdf" not in html
    assert "buyers-guide-es.pdf" not in html
    assert f"/inventory/{vehicle.pk}/warranty/" not in html
    assert f"/inventory/{vehicle.pk}/window-sticker.pdf" in html
    response = client.get(f"/inventory/{vehicle.pk}/buyers-guide-en.pdf")
    assert response.status_code == 404
    assert "is a US requirement" in response.content.decode()
    assert "United Kingdom" in response.content.decode()
    response = client.get(f"/api/v1/vehicles/{vehicle.pk}/buyers-guide?language=en")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "US requirement" in error["message"]
    assert client.get(f"/inventory/{vehicle.pk}/window-sticker.pdf").status_code == 200
    response = client.get(f"/api/v1/vehicles/{vehicle.pk}/window-sticker")
    assert response.status_code == 200
