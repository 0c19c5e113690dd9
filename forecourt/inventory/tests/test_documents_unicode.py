# ruff: noqa: RUF001 - typographic quotes and dashes are what these tests print
"""The Buyers Guide (English, Spanish) and the window sticker print a dealer's name and
address, a colour and warranty terms with accented Latin, curly quotes and dashes as typed,
in the embedded Unicode font (they answered with an encoding error before)."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role
from forecourt.core.pdf import FONT
from forecourt.core.tests.test_pdf_unicode import embedded_fonts, pdf_text
from forecourt.inventory.actions import set_complaints_contact, set_warranty
from forecourt.inventory.models import WarrantyKind
from forecourt.inventory.tests.factories import receive

pytestmark = pytest.mark.django_db

DEALER = "O’Brien Motors — “Zoë’s” Autohaus Łódź"
ADDRESS = "12 Rue de l’Église – Bâtiment B, Köln"


@pytest.fixture
def dealer_rooftop(rooftop):
    rooftop.name = DEALER
    rooftop.address = ADDRESS
    rooftop.save()
    return rooftop


@pytest.mark.parametrize("document", ["buyers-guide-en", "buyers-guide-es", "window-sticker"])
def test_vehicle_documents_print_unicode_names(document, make_user, dealer_rooftop, client_for):
    manager = make_user(Role.SALES_MANAGER)
    vehicle = receive(manager, dealer_rooftop, condition="used", exterior_color="Crème “Brûlée”")
    set_warranty(
        manager,
        vehicle,
        kind=WarrantyKind.LIMITED,
        labor_percent=50,
        parts_percent=100,
        systems_covered="Moteur — boîte de vitesses",
        duration="30 days – or 1,000 miles",
    )
    set_complaints_contact(manager, dealer_rooftop, "Siobhán O’Connor — 555-0142")
    response = client_for(manager).get(f"/inventory/{vehicle.pk}/{document}.pdf")
    assert response.status_code == 200, response.content[:300]
    text = pdf_text(response.content)
    assert DEALER in text
    if document == "window-sticker":
        assert "Crème “Brûlée”" in text
    else:
        assert ADDRESS in text
        assert "Siobhán O’Connor — 555-0142" in text
        assert "Moteur — boîte de vitesses" in text
    assert all(FONT in name for name in embedded_fonts(response.content))
