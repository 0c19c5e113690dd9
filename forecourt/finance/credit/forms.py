"""Credit application forms: the applicant's details, the red-flags check, the decision."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.finance.credit.actions import APPLICANT_FIELDS
from forecourt.finance.credit.models import (
    NOTIFIED_STATUSES,
    RED_FLAGS,
    SENSITIVE_FIELDS,
    ApplicationStatus,
    CreditApplicant,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicantForm(forms.ModelForm):
    """One person's details; the action validates and encrypts."""

    class Meta:
        model = CreditApplicant
        fields = list(APPLICANT_FIELDS)
        widgets = {
            "date_of_birth": DATE_INPUT,
            "address": forms.Textarea(attrs={"rows": 2}),
            "previous_address": forms.Textarea(attrs={"rows": 2}),
            "ssn": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        labels = {"ssn": "SSN", "monthly_income": "Gross monthly income"}

    def _post_clean(self) -> None:
        pass

    def has_anything(self) -> bool:
        return any(value not in (None, "") for value in self.cleaned_data.values())

    def action_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


class CoApplicantForm(ApplicantForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RedFlagsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What was done about any flag found",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in RED_FLAGS.items():
            self.fields[code] = forms.BooleanField(required=False, label=label)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ApplicationStatus if s in NOTIFIED_STATUSES],
        label="Outcome the applicant was notified of",
    )
    notified_on = forms.DateField(widget=DATE_INPUT, label="Notified on")


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in SENSITIVE_FIELDS])
