"""Forms of the deal screens. They parse input; the actions decide (their ValidationErrors
come back inline through core.forms.add_action_errors)."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.deals.models import (
    CommissionPlan,
    DealSettings,
    Fee,
    LineKindChoice,
    PaymentMethod,
    SaleType,
    TaxRule,
)
from forecourt.inventory.models import OdometerBrand

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
ACTIONS = ("submit", "approve", "return_to_quote", "contract", "deliver", "cancel", "unwind")


class DeskForm(forms.Form):
    # Read by the view (a lead names both); here only to carry them through the form.
    vehicle = forms.IntegerField(widget=forms.HiddenInput, required=False)
    buyer = forms.IntegerField(widget=forms.HiddenInput, required=False)
    lead = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sale_type = forms.ChoiceField(choices=SaleType.choices)
    price = forms.DecimalField(**MONEY, required=False, help_text="Blank: the vehicle's price.")
    discount = forms.DecimalField(**MONEY, initial=0)


class PickForm(forms.Form):
    """Desk from a vehicle or customer page that does not name the other party yet."""

    vehicle = forms.IntegerField(label="Vehicle id", required=False)
    stock_number = forms.CharField(label="Vehicle stock number", required=False)
    buyer = forms.IntegerField(label="Customer id", required=False)


class NumbersForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    price = forms.DecimalField(**MONEY)
    discount = forms.DecimalField(**MONEY)
    sale_type = forms.ChoiceField(choices=SaleType.choices)
    vat_treatment = forms.ChoiceField(
        choices=[("", "Follow the vehicle"), ("margin", "Margin scheme"), ("standard", "Standard")],
        required=False, label="VAT treatment (UK)",
    )  # fmt: skip


class LineForm(forms.Form):
    fee = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="From the fee table"
    )
    kind = forms.ChoiceField(choices=[("", "-"), *LineKindChoice.choices], required=False)
    description = forms.CharField(max_length=120, required=False)
    amount = forms.DecimalField(**MONEY, required=False)
    cost = forms.DecimalField(**MONEY, required=False, initial=0)
    taxable = forms.BooleanField(required=False, initial=True)


class TradeForm(forms.Form):
    vin = forms.CharField(label="VIN", max_length=17)
    plate = forms.CharField(max_length=12, required=False, label="Plate / registration")
    year = forms.IntegerField(min_value=1900, max_value=2100)
    make = forms.CharField(max_length=40)
    model = forms.CharField(max_length=60)
    odometer = forms.IntegerField(min_value=0, initial=0)
    acv = forms.DecimalField(**MONEY, label="ACV")
    allowance = forms.DecimalField(**MONEY)
    payoff = forms.DecimalField(**MONEY, initial=0)
    lienholder = forms.CharField(max_length=120, required=False)
    payoff_good_through = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    roll_negative_equity = forms.BooleanField(
        required=False, label="Roll negative equity into the deal"
    )


class PaymentForm(forms.Form):
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    amount = forms.DecimalField(**MONEY)
    reference = forms.CharField(max_length=80, required=False)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300, required=False)
    odometer = forms.IntegerField(min_value=0, required=False, label="Odometer disclosed")
    odometer_brand = forms.ChoiceField(
        choices=OdometerBrand.choices, initial="actual", required=False
    )


class DealFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status")])
    sale_type = forms.ChoiceField(required=False, choices=[("", "Any type"), *SaleType.choices])
    rooftop = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=[])
    salesperson = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=[])
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(required=False, label="My deals")


def set_choices(form: forms.BaseForm, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 - a programming error otherwise
    field.choices = choices


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DealSettings
        fields = ["tax_area", "doc_fee_cap", "discount_limit", "vat_rate", "invoice_prefix"]


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["name", "kind", "amount", "taxable", "added_by_default"]


class PlanForm(forms.ModelForm):
    class Meta:
        model = CommissionPlan
        fields = ["name", "kind", "flat", "percent", "mini"]


class TaxRuleForm(forms.ModelForm):
    class Meta:
        model = TaxRule
        fields = [
            "area", "level", "name", "rate", "trade_credit", "trade_credit_cap",
            "trade_credit_percent", "doc_fee_taxable", "rebates_taxable", "accessories_taxable",
            "service_contracts_taxable", "effective_from", "effective_to", "citation",
        ]  # fmt: skip
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
        }


class SalespeopleForm(forms.Form):
    """Up to two salespeople and their split (the API takes any number)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    first = forms.TypedChoiceField(coerce=int, label="Salesperson")
    first_share = forms.DecimalField(**MONEY, initial=100, label="Share %")
    first_plan = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Plan")
    second = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Second salesperson"
    )
    second_share = forms.DecimalField(**MONEY, required=False, label="Share %")
    second_plan = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Plan")
