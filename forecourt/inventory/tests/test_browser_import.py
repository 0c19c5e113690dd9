"""End-to-end: a sales manager imports a CSV in headless Chromium and reads the error report."""

from __future__ import annotations

import pytest

from forecourt.accounts.roles import Role
from forecourt.inventory.models import Vehicle
from forecourt.inventory.tests.factories import make_vin

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_csv_import_with_an_error_report(
    page, live_server, browser_sign_in, make_user, client_for, rooftop, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"  # pytest-django's fixture restores it afterwards
    manager = make_user(Role.SALES_MANAGER)
    browser_sign_in(client_for(manager))  # signed in, second factor passed
    good_vin = make_vin()
    csv_text = (
        "vin,year,make,model,acquisition_source,list_price\n"
        f"{good_vin},2020,Honda,Civic,auction,15995\n"
        f"{make_vin()},2021,Toyota,Camry,auction,-100\n"
        "NOTAVIN,2019,Ford,Focus,auction,9000\n"
    )
    page.goto(f"{live_server.url}/inventory/imports/")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "stock.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    page.get_by_label("Rooftop").select_option(str(rooftop.pk))
    page.get_by_label("Only valid rows: skip rows with errors").check()
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(f"{live_server.url}/inventory/imports/*/")
    report = page.locator("table.import-errors")
    report.wait_for()
    assert "1 created" in page.locator("#import-progress").inner_text()
    rows = report.locator("tbody tr").all_inner_texts()
    assert any("3" in r and "list_price" in r and "negative" in r for r in rows), rows
    assert any("4" in r and "vin" in r and "17 characters" in r for r in rows), rows
    assert list(Vehicle.objects.values_list("vin", flat=True)) == [good_vin]
