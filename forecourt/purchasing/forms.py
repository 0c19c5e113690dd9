"""Forms of the buying screens: they shape input; the actions decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.accounts.models import Rooftop
from forecourt.purchasing.models import (
    CHECKLIST,
    PaymentMethod,
    PaymentStatus,
    PurchaseLine,
    Seller,
    SellerKind,
    VatTreatment,
)

DATE = forms.DateInput(attrs={"type": "date"})
PURCHASE_ROWS = 3


class SellerForm(forms.Form):
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    kind = forms.ChoiceField(choices=[c for c in SellerKind.choices if c[0] != SellerKind.PRIVATE])
    name = forms.CharField(max_length=200)
    contact_name = forms.CharField(max_length=120, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=32, required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    vat_number = forms.CharField(max_length=32, required=False, label="VAT / tax number")

    def __init__(self, *args: Any, rooftops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]


class PurchaseForm(forms.Form):
    seller = forms.ModelChoiceField(queryset=Seller.objects.none())
    purchased_on = forms.DateField(widget=DATE)
    seller_reference = forms.CharField(max_length=64, required=False, label="Seller's reference")
    payment_status = forms.ChoiceField(choices=PaymentStatus.choices, initial=PaymentStatus.UNPAID)
    payment_method = forms.ChoiceField(choices=[("", "-"), *PaymentMethod.choices], required=False)
    bill_of_sale_received = forms.BooleanField(required=False)

    def __init__(self, *args: Any, sellers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = sellers  # type: ignore[attr-defined]


class LineForm(forms.Form):
    """One vehicle of a purchase; a row left blank is skipped."""

    vin = forms.CharField(max_length=17, required=False, label="VIN")
    year = forms.IntegerField(required=False)
    make = forms.CharField(max_length=40, required=False)
    model = forms.CharField(max_length=60, required=False)
    odometer = forms.IntegerField(required=False, min_value=0)
    price = forms.DecimalField(required=False, decimal_places=2)
    buyer_fee = forms.DecimalField(required=False, decimal_places=2)
    transport_fee = forms.DecimalField(required=False, decimal_places=2)
    vat_treatment = forms.ChoiceField(
        choices=[("", "-"), *VatTreatment.choices], required=False, label="VAT (UK)"
    )
    expected_on = forms.DateField(widget=DATE, required=False, label="Due")

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


LineFormSet = forms.formset_factory(LineForm, extra=PURCHASE_ROWS, max_num=50)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(decimal_places=2)
    method = forms.ChoiceField(choices=PaymentMethod.choices)


class ArrivalForm(forms.ModelForm):
    class Meta:
        model = PurchaseLine
        fields = [
            "expected_on",
            "transport",
            "coming_from",
            "arrived_on",
            "title_received",
            *CHECKLIST,
        ]
        widgets = {"expected_on": DATE, "arrived_on": DATE}
