"""The desking screen's inputs. They only shape input; the calculators hold the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from forecourt.finance.calc.lease import LeaseTax
from forecourt.finance.calc.uk import Product
from forecourt.finance.models import ProductMenu


def _money(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=Decimal(0)
    )


def _rate(label: str, required: bool = True) -> forms.DecimalField:
    """A percentage; the calculators say what range they accept."""
    return forms.DecimalField(label=label, required=required, max_digits=7, decimal_places=4)


def _list_of(text: str, parse: Any, field: str) -> list[Any]:
    try:
        return [parse(part.strip()) for part in text.split(",") if part.strip()]
    except (ValueError, InvalidOperation):
        raise forms.ValidationError(f"{field}: numbers separated by commas.") from None


class DeskForm(forms.Form):
    """One US retail installment deal, the scenario columns, solve-for and the menu."""

    price = _money("Cash price", required=True)
    apr = _rate("APR (%)")
    term = forms.IntegerField(label="Term (months)")
    cash_down = _money("Cash down")
    trade_allowance = _money("Trade allowance")
    trade_payoff = _money("Trade payoff")
    rebate = _money("Rebate")
    tax_rate = _rate("Sales tax (%)", required=False)
    fees = _money("Fees (financed)")
    products = _money("Products (financed)")
    taxable_products = _money("…of which taxable")
    days_to_first_payment = forms.IntegerField(
        label="Days to first payment", required=False, min_value=1, max_value=365
    )
    terms = forms.CharField(label="Scenario terms", required=False, initial="60, 72, 84")
    downs = forms.CharField(label="Scenario downs", required=False, initial="0, 2000, 4000")
    aprs = forms.CharField(label="Scenario APRs", required=False)
    solve_for = forms.ChoiceField(
        label="Solve for",
        required=False,
        choices=[("", "-"), ("price", "Price"), ("down", "Down payment"), ("term", "Term")],
    )
    target_payment = _money("Target payment")
    menu = forms.ModelChoiceField(queryset=ProductMenu.objects.none(), required=False)
    jurisdiction = forms.CharField(
        label="Tax jurisdiction", required=False, max_length=12, help_text="e.g. US-TX"
    )

    def __init__(self, *args: Any, menus: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["menu"].queryset = menus  # type: ignore[attr-defined]

    def clean_terms(self) -> list[int]:
        return _list_of(self.cleaned_data["terms"], int, "Scenario terms")

    def clean_downs(self) -> list[Decimal]:
        return _list_of(self.cleaned_data["downs"], Decimal, "Scenario downs")

    def clean_aprs(self) -> list[Decimal]:
        return _list_of(self.cleaned_data["aprs"], Decimal, "Scenario APRs")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("solve_for") and not data.get("target_payment"):
            self.add_error("target_payment", "Give the payment to solve for.")
        return data


class LeaseForm(forms.Form):
    msrp = _money("MSRP", required=True)
    selling_price = _money("Agreed value", required=True)
    residual_percent = _rate("Residual (%)")
    term = forms.IntegerField(label="Term (months)")
    money_factor = forms.DecimalField(label="Money factor", max_digits=8, decimal_places=6)
    acquisition_fee = _money("Acquisition fee")
    cash_down = _money("Cash down")
    trade_equity = _money("Trade equity")
    rebate = _money("Rebate")
    tax_rate = _rate("Tax (%)", required=False)
    tax_mode = forms.ChoiceField(
        choices=[(mode.value, mode.value.capitalize()) for mode in LeaseTax]
    )
    fees_at_signing = _money("Fees at signing")
    security_deposit = _money("Security deposit")


class UkForm(forms.Form):
    product = forms.ChoiceField(choices=[(Product.HP, "Hire purchase"), (Product.PCP, "PCP")])
    cash_price = _money("Cash price", required=True)
    deposit = _money("Deposit")
    nominal_rate = _rate("Fixed rate of interest (% a year)")
    term = forms.IntegerField(label="Monthly instalments")
    balloon = _money("Optional final payment (GFV)")
    option_to_purchase_fee = _money("Option to purchase fee")
    documentation_fee = _money("Documentation fee")
