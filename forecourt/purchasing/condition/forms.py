"""Condition report and appraisal forms: they shape input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.purchasing.condition.diagram import CHECK_RESULTS, CHECKS, TYRES
from forecourt.purchasing.condition.models import ConditionGrade, ReportOccasion
from forecourt.purchasing.models import Seller

DATE = forms.DateInput(attrs={"type": "date"})
CHECK_CHOICES = [("", "-"), *((r, r.capitalize()) for r in CHECK_RESULTS)]


class ConditionReportForm(forms.Form):
    occasion = forms.ChoiceField(choices=ReportOccasion.choices)
    markers = forms.CharField(widget=forms.HiddenInput, required=False, initial="[]")
    tyre_front_left = forms.DecimalField(required=False, label="Front left tread")
    tyre_front_right = forms.DecimalField(required=False, label="Front right tread")
    tyre_rear_left = forms.DecimalField(required=False, label="Rear left tread")
    tyre_rear_right = forms.DecimalField(required=False, label="Rear right tread")
    check_lights = forms.ChoiceField(choices=CHECK_CHOICES, required=False, label="Lights")
    check_glass = forms.ChoiceField(choices=CHECK_CHOICES, required=False, label="Glass")
    check_interior = forms.ChoiceField(choices=CHECK_CHOICES, required=False, label="Interior")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    signed_name = forms.CharField(max_length=150, label="Signed by")

    def tyres(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {w: data[f"tyre_{w}"] for w in TYRES if data.get(f"tyre_{w}") is not None}

    def checks(self) -> dict[str, str]:
        data = self.cleaned_data
        return {c: data[f"check_{c}"] for c in CHECKS if data.get(f"check_{c}")}


class AppraisalForm(forms.Form):
    vin = forms.CharField(max_length=17, required=False, label="VIN")
    plate = forms.CharField(max_length=16, required=False, label="Registration plate")
    year = forms.IntegerField(required=False)
    make = forms.CharField(max_length=40, required=False)
    model = forms.CharField(max_length=60, required=False)
    odometer = forms.IntegerField(min_value=0, initial=0)
    grade = forms.ChoiceField(choices=ConditionGrade.choices)
    estimate = forms.CharField(
        required=False,
        label="Recon estimate by area",
        help_text="area: amount, comma separated (e.g. tyres: 360, body: 250).",
    )
    comparables = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: source, price, odometer.",
    )
    acv = forms.DecimalField(decimal_places=2, label="ACV")
    offer = forms.DecimalField(decimal_places=2)
    expires_on = forms.DateField(widget=DATE)

    def clean_estimate(self) -> dict[str, str]:
        out = {}
        for part in filter(None, (p.strip() for p in self.cleaned_data["estimate"].split(","))):
            area, _, amount = part.partition(":")
            if not amount.strip():
                raise forms.ValidationError(f"{part!r} is not area: amount.")
            out[area.strip()] = amount.strip()
        return out

    def clean_comparables(self) -> list[dict[str, str]]:
        rows = []
        for line in filter(
            None, (x.strip() for x in self.cleaned_data["comparables"].splitlines())
        ):
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 2:
                raise forms.ValidationError(f"{line!r}: give at least a source and a price.")
            rows.append(
                {
                    "source": parts[0],
                    "price": parts[1],
                    "odometer": parts[2] if len(parts) > 2 else "0",
                }
            )
        return rows


class BuyAppraisedForm(forms.Form):
    seller = forms.ModelChoiceField(queryset=Seller.objects.none())
    price = forms.DecimalField(decimal_places=2, required=False, help_text="Default: the offer.")

    def __init__(self, *args: Any, sellers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = sellers  # type: ignore[attr-defined]
