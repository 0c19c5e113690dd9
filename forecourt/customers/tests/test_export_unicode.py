# ruff: noqa: RUF001 - typographic quotes and dashes are what these tests print
"""The customer data export's PDF prints names with accented Latin, curly quotes and dashes
as typed (it turned them into "?" before), in the embedded Unicode font."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role
from forecourt.core.pdf import FONT
from forecourt.core.tests.test_pdf_unicode import embedded_fonts, pdf_text
from forecourt.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_customer_export_pdf_prints_unicode_names(make_user, owner, rooftop, client_for):
    customer = make_customer(owner, rooftop, first_name="Zoë “Zo”", last_name="O’Brien–Łukasz")
    response = client_for(make_user(Role.FI_MANAGER)).post(f"/customers/{customer.pk}/export/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Zoë “Zo” O’Brien–Łukasz" in text
    assert "O?Brien" not in text
    assert all(FONT in name for name in embedded_fonts(response.content))
