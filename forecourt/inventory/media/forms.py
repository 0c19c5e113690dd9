"""Forms for a vehicle's warranty terms and photo uploads."""

from __future__ import annotations

from django import forms

from forecourt.inventory.media.warranty import WARRANTY_FIELDS
from forecourt.inventory.models import VehicleWarranty


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


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label="Add a photo",
        help_text="JPEG, PNG or WebP.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
