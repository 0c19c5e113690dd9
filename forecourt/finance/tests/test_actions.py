"""Lenders, rate sheets, products and menus through their actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.finance import actions
from forecourt.finance.models import Lender, MenuEntry
from forecourt.finance.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fi_manager(make_user: Any) -> Any:
    return make_user(Role.FI_MANAGER)


def test_create_lender_with_rates_is_audited(fi_manager: Any, rooftop: Any) -> None:
    lender = factories.lender(fi_manager, rooftop)
    assert lender.version == 2
    assert actions.buy_rate_for(lender, "prime", 72) == Decimal("5.2900")
    with pytest.raises(ValidationError) as refused:
        actions.buy_rate_for(lender, "subprime", 84)
    assert "term" in refused.value.message_dict
    logged = AuditEntry.objects.filter(object_id=str(lender.pk)).values_list("action", flat=True)
    assert set(logged) >= {"finance.create_lender", "finance.set_lender_rates"}


def test_markup_lender_needs_its_cap_and_names_are_unique(fi_manager: Any, rooftop: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.create_lender(fi_manager, rooftop, {"name": "No Cap", "reserve_method": "markup"})
    assert "max_markup" in refused.value.message_dict
    factories.lender(fi_manager, rooftop, name="Twice")
    with pytest.raises(ValidationError) as refused:
        actions.create_lender(fi_manager, rooftop, {"name": "Twice", "max_markup": Decimal(2)})
    assert "name" in refused.value.message_dict


def test_overlapping_rate_bands_are_refused(fi_manager: Any, rooftop: Any) -> None:
    lender = factories.lender(fi_manager, rooftop)
    bands = [
        actions.RateBand("prime", 1, 60, Decimal("4")),
        actions.RateBand("prime", 60, 72, Decimal("5")),
    ]
    with pytest.raises(ValidationError) as refused:
        actions.set_lender_rates(fi_manager, lender, bands, lender.version)
    assert "overlap" in str(refused.value)
    assert lender.rates.count() == 3


def test_stale_version_is_a_conflict(fi_manager: Any, rooftop: Any) -> None:
    lender = factories.lender(fi_manager, rooftop)
    with pytest.raises(actions.LenderVersionConflict):
        actions.update_lender(fi_manager, lender, {"phone": "555"}, expected_version=1)
    updated = actions.update_lender(fi_manager, lender, {"phone": "555"}, lender.version)
    assert updated.version == lender.version + 1


def test_salesperson_reads_but_cannot_write_lenders(
    fi_manager: Any, salesperson: Any, rooftop: Any
) -> None:
    lender = factories.lender(fi_manager, rooftop)
    assert list(Lender.objects.for_user(salesperson)) == [lender]
    with pytest.raises(PermissionDenied):
        actions.update_lender(salesperson, lender, {"phone": "1"}, lender.version)


def test_other_rooftops_lender_cannot_be_changed(
    fi_manager: Any, make_user: Any, other_rooftop: Any
) -> None:
    elsewhere = make_user(Role.FI_MANAGER, rooftops=[other_rooftop])
    lender = factories.lender(elsewhere, other_rooftop)
    assert not Lender.objects.for_user(fi_manager).filter(pk=lender.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.update_lender(fi_manager, lender, {"phone": "1"}, lender.version)


def test_product_price_must_lie_within_its_range(fi_manager: Any, rooftop: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        factories.product(fi_manager, rooftop, price=Decimal("3500"))
    assert "price" in refused.value.message_dict
    product = factories.product(fi_manager, rooftop)
    assert product.taxable_in("US-TX")
    assert not product.taxable_in("US-CA")
    assert product.profit == Decimal("1095.00")


def test_menu_columns_and_entry_prices(fi_manager: Any, rooftop: Any) -> None:
    menu = factories.menu(fi_manager, rooftop)
    columns = {
        column: sorted(str(entry.price) for entry in menu.entries.filter(column=column))
        for column in ("good", "better", "best")
    }
    assert columns == {
        "good": ["1995.00"],
        "better": ["1995.00", "795.00"],
        "best": ["1995.00", "599.00", "795.00"],
    }
    tyre = MenuEntry.objects.get(menu=menu, column="best", price=Decimal("599.00")).product
    with pytest.raises(ValidationError) as refused:
        actions.set_menu_entries(
            fi_manager, menu, [actions.MenuLine("good", tyre.pk, Decimal("10"))], menu.version
        )
    assert "entries.0" in refused.value.message_dict
    assert menu.entries.count() == 6
