"""Forms of the lender, product and menu screens. They shape input; actions hold the rules."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from forecourt.finance.actions import LENDER_FIELDS, PRODUCT_FIELDS, MenuLine, RateBand
from forecourt.finance.models import FinanceProduct, Lender, MenuColumn


class ActionModelForm(forms.ModelForm):
    """The model's fields as form fields; the action, not the form, validates and saves."""

    def _post_clean(self) -> None:
        pass

    def action_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class LenderForm(ActionModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lender
        fields = list(LENDER_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class RatesForm(forms.Form):
    """The rate sheet as lines of "tier, first month, last month, buy rate"."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    rates = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One band a line: tier, first month, last month, buy rate (prime, 1, 60, 4.49)",
    )

    def clean_rates(self) -> list[RateBand]:
        bands = []
        for number, line in enumerate(self.cleaned_data["rates"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            try:
                tier, first, last, rate = parts
                bands.append(RateBand(tier, int(first), int(last), Decimal(rate)))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    f"Line {number}: tier, first month, last month, buy rate."
                ) from None
        return bands


def rates_text(lender: Lender) -> str:
    return "\n".join(
        f"{rate.credit_tier}, {rate.min_term}, {rate.max_term}, {rate.buy_rate.normalize()}"
        for rate in lender.rates.all()
    )


class ProductForm(ActionModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    taxable_jurisdictions = forms.CharField(
        required=False, help_text="Where the product is taxed, comma separated: US-TX, US-FL"
    )

    class Meta:
        model = FinanceProduct
        fields = list(PRODUCT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["taxable_jurisdictions"] = ", ".join(self.instance.taxable_jurisdictions)

    def clean_taxable_jurisdictions(self) -> list[str]:
        text = self.cleaned_data["taxable_jurisdictions"]
        return [code.strip().upper() for code in text.split(",") if code.strip()]


class MenuForm(forms.Form):
    name = forms.CharField(max_length=120)


class MenuEntriesForm(forms.Form):
    """A checkbox per product and column, and the product's price on this menu."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, products: list[FinanceProduct], current: dict[Any, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.products = products
        for product in products:
            for column in MenuColumn:
                self.fields[f"{column}_{product.pk}"] = forms.BooleanField(
                    required=False,
                    label=f"{product.name}: {column.label}",
                    initial=(column.value, product.pk) in current,
                )
            prices = [price for (_, pk), price in current.items() if pk == product.pk]
            self.fields[f"price_{product.pk}"] = forms.DecimalField(
                required=False,
                max_digits=12,
                decimal_places=2,
                label=f"{product.name}: price",
                initial=prices[0] if prices else product.price,
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "product": product,
                "boxes": [self[f"{column}_{product.pk}"] for column in MenuColumn],
                "price": self[f"price_{product.pk}"],
            }
            for product in self.products
        ]

    def lines(self) -> list[MenuLine]:
        data = self.cleaned_data
        return [
            MenuLine(column.value, product.pk, data.get(f"price_{product.pk}"))
            for product in self.products
            for column in MenuColumn
            if data.get(f"{column}_{product.pk}")
        ]
