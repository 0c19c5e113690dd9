"""The lead import's form: the rooftop, the file and the mode."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from forecourt.accounts.models import Rooftop
from forecourt.leads.imports.parsing import ImportMode


class ImportForm(forms.Form):
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    file = forms.FileField(label="CSV file")
    mode = forms.ChoiceField(
        choices=ImportMode.CHOICES, initial=ImportMode.ALL_OR_NOTHING, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, rooftops: QuerySet[Rooftop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]
