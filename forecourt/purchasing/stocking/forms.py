"""Floor-plan forms: they shape input; the actions decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from forecourt.accounts.models import Rooftop
from forecourt.purchasing.stocking.models import DayCountChoice, Facility

DATE = forms.DateInput(attrs={"type": "date"})


class FacilityForm(forms.Form):
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    lender = forms.CharField(max_length=120)
    name = forms.CharField(max_length=120)
    department = forms.CharField(max_length=60, required=False)
    credit_limit = forms.DecimalField(decimal_places=2)
    advance_percent = forms.DecimalField(decimal_places=4, initial=100, label="Advance rate (%)")
    annual_percent = forms.DecimalField(decimal_places=4, label="Interest rate (% a year)")
    day_count = forms.ChoiceField(choices=DayCountChoice.choices)
    curtailments = forms.CharField(
        required=False,
        initial="90:10, 120:10",
        help_text="Age in days : percent of the original advance, comma separated.",
    )
    payoff_due_days = forms.IntegerField(min_value=0, initial=5)
    flooring_fee = forms.DecimalField(decimal_places=2, initial=0)
    curtailment_fee = forms.DecimalField(decimal_places=2, initial=0)
    payoff_fee = forms.DecimalField(decimal_places=2, initial=0)

    def __init__(self, *args: Any, rooftops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]

    def clean_curtailments(self) -> list[dict[str, str]]:
        steps = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["curtailments"].split(","))):
            age, _, percent = part.partition(":")
            if not (age.strip().isdigit() and percent.strip()):
                raise forms.ValidationError(f"{part!r} is not age:percent (e.g. 90:10).")
            steps.append({"age_days": age.strip(), "percent": percent.strip()})
        return steps


class FloorForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none())
    floored_on = forms.DateField(widget=DATE, required=False)
    advance = forms.DecimalField(decimal_places=2, required=False)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(choices=[("curtailment", "Curtailment"), ("payoff", "Payoff")])
    amount = forms.DecimalField(decimal_places=2, required=False)
    paid_on = forms.DateField(widget=DATE, required=False)
    reference = forms.CharField(max_length=64, required=False)


class RateForm(forms.Form):
    effective_from = forms.DateField(widget=DATE)
    annual_percent = forms.DecimalField(decimal_places=4)


class StatementForm(forms.Form):
    statement_on = forms.DateField(widget=DATE)
    file = forms.FileField(help_text="CSV with the columns vin and balance (reference optional).")
