"""Forms for warranty terms, CSV imports and photo uploads (views_documents/exchange/photos)."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.accounts.models import Rooftop
from forecourt.inventory.models_documents import ImportMode, VehicleWarranty
from forecourt.inventory.warranty import WARRANTY_FIELDS


class WarrantyForm(forms.ModelForm):
    class Meta:
        model = VehicleWarranty
        fields = list(WARRANTY_FIELDS)
        widgets = {"kind": forms.RadioSelect, "systems_covered": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "labor_percent": "Dealer pays % of labor (limited warranty)",
            "parts_percent": "Dealer pays % of parts (limited warranty)",
            "manufacturer_warranty_applies": "Manufacturer's warranty still applies",
            "manufacturer_used_warranty_applies": "Manufacturer's used vehicle warranty applies",
            "other_used_warranty_applies": "Other used vehicle warranty applies",
            "service_contract_available": "Service contract available",
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="UTF-8 CSV; the first row names the columns."
    )
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    mode = forms.ChoiceField(
        choices=ImportMode.choices, widget=forms.RadioSelect, initial=ImportMode.ALL_OR_NOTHING
    )
    update_existing = forms.BooleanField(
        required=False,
        initial=True,
        label="Update vehicles already in stock (matched by VIN); otherwise skip them",
    )

    def __init__(self, *args: Any, rooftops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label="Add a photo",
        help_text="JPEG, PNG or WebP.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
