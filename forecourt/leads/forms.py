"""Leads forms. They only shape input; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from forecourt.accounts.models import Rooftop, User
from forecourt.customers.models import CustomerKind, Language
from forecourt.inventory.models import Vehicle
from forecourt.leads.actions import IN_STOCK, TRANSITIONS
from forecourt.leads.models import (
    AppointmentStatus,
    Direction,
    LeadSource,
    LeadStatus,
    LostReason,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def in_stock_at(rooftop_ids: Any) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(rooftop__in=rooftop_ids, status__in=IN_STOCK).order_by(
        "stock_number"
    )


# The first units a vehicle picker lists before anything is typed; typing searches them all.
PICKER_OPTIONS = 30


class VehiclePicker(forms.Select):
    """A select of vehicles in stock with a search box above it (server-side, htmx):
    a lot of 80 or 800 units is found by typing, not by scrolling a dropdown."""

    template_name = "leads/widgets/vehicle_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("leads:vehicle-options")
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        """The first PICKER_OPTIONS choices, and the chosen one wherever it is."""
        chosen = {str(v) for v in value if v not in (None, "")}
        full = self.choices
        kept = []
        for index, choice in enumerate(full):
            if index <= PICKER_OPTIONS or str(choice[0]) in chosen:
                kept.append(choice)
            elif not chosen - {str(c[0]) for c in kept}:
                break
        self.choices = kept
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full


class VehicleChoiceField(forms.ModelChoiceField):
    widget = VehiclePicker

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.stock_number} · {obj.year} {obj.make} {obj.model}"


class PersonChoiceField(forms.ModelChoiceField):
    """A colleague by name (their email when they have none), as the rest of the screens."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class LeadFieldsForm(forms.Form):
    """What a lead says, on its own or inside the walk-in form."""

    source = forms.ChoiceField(choices=LeadSource.choices, initial=LeadSource.WALK_IN)
    source_detail = forms.CharField(max_length=200, required=False, label="Source detail")
    vehicle = VehicleChoiceField(
        queryset=Vehicle.objects.none(), required=False, label="Vehicle of interest (in stock)"
    )
    vehicle_description = forms.CharField(
        max_length=200, required=False, label="…or what they are looking for"
    )
    next_follow_up_on = forms.DateField(required=False, widget=DATE_INPUT, label="Next follow-up")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, vehicles: QuerySet[Vehicle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles  # type: ignore[attr-defined]


class LeadUpdateForm(LeadFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WalkInForm(LeadFieldsForm):
    """A walk-in: the person (and how to reach them, with their consents) and their lead."""

    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    kind = forms.ChoiceField(choices=CustomerKind.choices, initial=CustomerKind.PERSON)
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    business_name = forms.CharField(max_length=200, required=False)
    mobile_phone = forms.CharField(max_length=30, required=False, label="Mobile phone")
    email = forms.CharField(max_length=254, required=False)
    preferred_language = forms.ChoiceField(choices=Language.choices, initial=Language.ENGLISH)
    consent_call = forms.BooleanField(required=False, label="May we call?")
    consent_sms = forms.BooleanField(required=False, label="May we text?")
    consent_email = forms.BooleanField(required=False, label="May we email?")
    allow_duplicate = forms.BooleanField(
        required=False, widget=forms.HiddenInput, label="Create anyway"
    )
    field_order = [
        "rooftop", "kind", "first_name", "last_name", "business_name", "mobile_phone", "email",
        "preferred_language", "consent_call", "consent_sms", "consent_email",
    ]  # fmt: skip
    CUSTOMER_FIELDS = (
        "kind", "first_name", "last_name", "business_name", "mobile_phone", "email",
        "preferred_language", "consent_call", "consent_sms", "consent_email",
    )  # fmt: skip

    def __init__(
        self, *args: Any, rooftops: QuerySet[Rooftop], vehicles: QuerySet[Vehicle], **kwargs: Any
    ) -> None:
        super().__init__(*args, vehicles=vehicles, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]
        self.order_fields(self.field_order)

    def customer_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.CUSTOMER_FIELDS}

    def lead_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LeadFieldsForm.base_fields}


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(choices=[])
    lost_reason = forms.ChoiceField(
        choices=[("", "-"), *LostReason.choices], required=False, label="Reason (when lost)"
    )
    lost_note = forms.CharField(max_length=200, required=False, label="Note")

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = sorted(TRANSITIONS[LeadStatus(current)], key=list(LeadStatus).index)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed]  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    next_follow_up_on = forms.DateField(required=False, widget=DATE_INPUT, label="Next follow-up")


class ReassignForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label="New owner")

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        # Any ids are accepted here; the action keeps only the leads the user can change.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")] if self.data else []  # type: ignore[attr-defined]


class LogActivityForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("call", "Call"), ("email", "Email"), ("sms", "SMS"), ("note", "Note")]
    )
    direction = forms.ChoiceField(
        choices=[("", "-"), *Direction.choices], required=False, initial=Direction.OUTBOUND
    )
    subject = forms.CharField(max_length=200, required=False)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.TypedChoiceField(coerce=int, required=False, choices=[], empty_value=None)


class AppointmentForm(forms.Form):
    salesperson = PersonChoiceField(queryset=User.objects.none())
    starts_at = forms.DateTimeField(widget=DATETIME_INPUT, label="Starts")
    ends_at = forms.DateTimeField(widget=DATETIME_INPUT, label="Ends")
    subject = forms.CharField(max_length=200, required=False)
    lead = forms.TypedChoiceField(coerce=int, required=False, choices=[], empty_value=None)


class TestDriveForm(forms.Form):
    vehicle = VehicleChoiceField(queryset=Vehicle.objects.none())
    drivers_license_number = forms.CharField(max_length=20, label="Driver's licence number")
    drivers_license_state = forms.CharField(max_length=3, label="Licence state")
    odometer_out = forms.IntegerField(min_value=0, label="Odometer out")
    lead = forms.TypedChoiceField(coerce=int, required=False, choices=[], empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drivers_license_number"].widget.attrs["autocomplete"] = "off"


class FinishTestDriveForm(forms.Form):
    odometer_in = forms.IntegerField(min_value=0, label="Odometer in")


class AppointmentStatusForm(forms.Form):
    appointment_status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in AppointmentStatus if s != AppointmentStatus.SCHEDULED]
    )
