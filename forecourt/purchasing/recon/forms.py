"""Recon forms: they shape input; the actions decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"})


class MoveForm(forms.Form):
    stage = forms.ChoiceField()
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_on = forms.DateField(widget=DATE, required=False)
    notes = forms.CharField(required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, stages: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s.key, s.name) for s in stages]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class WorkItemForm(forms.Form):
    description = forms.CharField(max_length=200)
    vendor = forms.CharField(max_length=120, required=False)
    estimate = forms.DecimalField(decimal_places=2)


class CompleteForm(forms.Form):
    actual = forms.DecimalField(decimal_places=2)


class StageForm(forms.Form):
    key = forms.SlugField(
        max_length=32, help_text="A short name, e.g. valet. An existing one renames or moves it."
    )
    name = forms.CharField(max_length=60)
    position = forms.IntegerField(min_value=1)
    due_days = forms.IntegerField(min_value=0, initial=2, label="Business days expected")


class ApprovalLimitForm(forms.Form):
    approval_limit = forms.DecimalField(decimal_places=2, label="Approval needed above")
