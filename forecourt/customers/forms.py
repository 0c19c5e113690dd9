"""Customer forms. They only shape input; the rules live in actions.py.

Plain forms, not ModelForms: a ModelForm would put the decrypted SSN or date of birth into
the edit page's HTML as the field's value. Sensitive inputs here are always empty and show
the mask as placeholder; left empty on edit, the stored value is kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from forecourt.accounts.models import Rooftop
from forecourt.core.security.pii import masked
from forecourt.customers.actions import SENSITIVE_FIELDS
from forecourt.customers.models import (
    Channel,
    ConsentSource,
    Customer,
    CustomerKind,
    Language,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: str, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, **kwargs)


class CustomerForm(forms.Form):
    """Create and edit. Few required fields (a walk-in): the action says what is missing."""

    kind = forms.ChoiceField(choices=CustomerKind.choices, initial=CustomerKind.PERSON)
    first_name = _text("First name", max_length=100)
    last_name = _text("Last name", max_length=100)
    middle_name = _text("Middle name", max_length=100)
    business_name = _text("Business name", max_length=200)
    mobile_phone = _text("Mobile phone", max_length=40, widget=forms.TextInput({"type": "tel"}))
    email = _text("Email", max_length=254, widget=forms.TextInput({"type": "email"}))
    home_phone = _text("Home phone", max_length=40, widget=forms.TextInput({"type": "tel"}))
    work_phone = _text("Work phone", max_length=40, widget=forms.TextInput({"type": "tel"}))
    alt_email = _text("Other email", max_length=254, widget=forms.TextInput({"type": "email"}))
    address_line1 = _text("Address", max_length=200)
    address_line2 = _text("Address (line 2)", max_length=200)
    city = _text("City", max_length=100)
    region = _text("State / county", max_length=100)
    postal_code = _text("Postal code", max_length=20)
    preferred_language = forms.ChoiceField(choices=Language.choices, initial=Language.ENGLISH)
    consent_call = forms.BooleanField(label="May call", required=False)
    consent_sms = forms.BooleanField(label="May text (SMS)", required=False)
    consent_email = forms.BooleanField(label="May email", required=False)
    consent_source = forms.ChoiceField(
        label="Consent given", choices=ConsentSource.choices, initial=ConsentSource.IN_PERSON
    )
    assigned_salesperson = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Salesperson"
    )
    tags = _text("Tags", max_length=400, help_text="Separated by commas.")
    notes = _text("Notes", widget=forms.Textarea(attrs={"rows": 3}))
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_INPUT)
    drivers_license_number = _text("Driver's licence number", max_length=40)
    drivers_license_state = _text("Licence state", max_length=20)
    ssn = _text("SSN", max_length=20)
    employer = _text("Employer", max_length=200)
    income = forms.DecimalField(label="Annual income", required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        rooftops: QuerySet[Rooftop],
        customer: Customer | None = None,
        **kwargs: Any,
    ) -> None:
        if customer is not None:
            kwargs.setdefault("initial", initial_from(customer))
        super().__init__(*args, **kwargs)
        self.customer = customer
        salesperson = self.fields["assigned_salesperson"]
        assert isinstance(salesperson, forms.ModelChoiceField)  # noqa: S101 - declared above
        salesperson.queryset = (
            get_user_model()
            .objects.filter(is_active=True, rooftops__in=rooftops)
            .distinct()
            .order_by("full_name")
        )
        if customer is None:
            self.fields["rooftop"] = forms.ModelChoiceField(queryset=rooftops, initial=None)
            if rooftops.count() == 1:
                self.fields["rooftop"].initial = rooftops.first()
            self.order_fields(["rooftop"])
        else:
            # Consents change through the consent form (with its source and history).
            for name in ("consent_call", "consent_sms", "consent_email", "consent_source"):
                del self.fields[name]
            for name in SENSITIVE_FIELDS:
                mask = masked(customer, name)
                if mask:
                    self.fields[name].widget.attrs["placeholder"] = mask
                    self.fields[name].help_text = "On file; leave empty to keep it."

    def action_data(self) -> dict[str, Any]:
        """cleaned_data as the action's `data`: on edit, empty sensitive inputs keep the
        stored value, so they are left out."""
        data = dict(self.cleaned_data)
        data.pop("rooftop", None)
        data.pop("consent_source", None)
        if self.customer is not None:
            for name in SENSITIVE_FIELDS:
                if data.get(name) in (None, ""):
                    data.pop(name, None)
        return data


def initial_from(customer: Customer) -> dict[str, Any]:
    """A customer's editable, non-sensitive values."""
    names = [
        name
        for name in CustomerForm.base_fields
        if name not in SENSITIVE_FIELDS and hasattr(customer, name)
    ]
    initial = {name: getattr(customer, name) for name in names}
    initial["tags"] = ", ".join(customer.tags)
    initial["assigned_salesperson"] = customer.assigned_salesperson_id
    return initial


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    granted = forms.TypedChoiceField(
        choices=[("true", "Consents"), ("false", "Opts out")],
        coerce=lambda value: value == "true",
        label="Decision",
    )
    source = forms.ChoiceField(choices=ConsentSource.choices, initial=ConsentSource.IN_PERSON)
    note = forms.CharField(max_length=200, required=False)


class MergeForm(forms.Form):
    """Merge two records: the other customer, and which of the two survives."""

    other = forms.IntegerField(label="Other customer's number", min_value=1)
    survivor = forms.ChoiceField(
        choices=[("this", "Keep this record"), ("other", "Keep the other record")],
        initial="this",
        widget=forms.RadioSelect,
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in SENSITIVE_FIELDS])
