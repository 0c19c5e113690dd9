"""The CSV import upload form."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.accounts.models import Rooftop
from forecourt.inventory.models import ImportMode


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
