"""Inventory forms. They only shape input; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from forecourt.accounts.models import Rooftop
from forecourt.inventory.actions import (
    CONFIRM_FLOOR_CODE,
    DEFAULT_HOLD,
    EDITABLE_FIELD_ORDER,
    MAX_HOLD,
)
from forecourt.inventory.actions.stock_numbers import preview_stock_number
from forecourt.inventory.models import CostKind, Status, Vehicle
from forecourt.inventory.vin import normalize

MAX_PREVIEWED_ROOFTOPS = 6
DETAIL_FIELDS = list(EDITABLE_FIELD_ORDER)  # the fields update_vehicle accepts, in form order
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A pasted VIN often carries spaces (or a line break) around it: the browser must not cut it
# at 17 characters before the server trims it, so the box takes more and the form trims.
VIN_INPUT_MAX_LENGTH = 40


def accept_pasted_vin(form: forms.BaseForm) -> None:
    field = form.fields.get("vin")
    if field is None:
        return
    field.max_length = VIN_INPUT_MAX_LENGTH  # type: ignore[attr-defined]
    field.validators = [
        v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)
    ]
    field.widget.attrs["maxlength"] = str(VIN_INPUT_MAX_LENGTH)


def cleaned_vin(form: forms.BaseForm) -> str:
    """The VIN without spaces, upper case: what the VIN rules and the length check see."""
    return normalize(form.cleaned_data.get("vin") or "")


def floor_confirmation_field() -> forms.BooleanField:
    """Hidden until a save is refused for want of it (offer_floor_confirmation)."""
    return forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Yes, the floor price is above the list price on purpose",
    )


def offer_floor_confirmation(form: forms.BaseForm, error: ValidationError) -> None:
    """Show the confirmation box when the action asked for it."""
    problems = getattr(error, "error_dict", {}).get("floor_price", [])
    if any(getattr(p, "code", None) == CONFIRM_FLOOR_CODE for p in problems):
        form.fields["confirm_floor_above_list"].widget = forms.CheckboxInput()


class VehicleForm(forms.ModelForm):
    """Edit a vehicle's details; `version` travels with the form (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Vehicle
        fields = DETAIL_FIELDS
        widgets = {"acquired_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accept_pasted_vin(self)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def clean_vin(self) -> str:
        return cleaned_vin(self)

    def validate_unique(self) -> None:
        """The action checks uniqueness (and the database enforces it)."""

    def _post_clean(self) -> None:
        # Keep the model's own clean (and its queries) for the action, which runs it once.
        pass


class ReceiveForm(forms.ModelForm):
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none())
    confirm_floor_above_list = floor_confirmation_field()

    class Meta:
        model = Vehicle
        fields = [
            "vin",
            "rooftop",
            "stock_number",
            "status",
            *[f for f in DETAIL_FIELDS if f not in ("vin", "stock_number")],
            "list_price",
            "internet_price",
            "floor_price",
        ]
        widgets = {"acquired_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, rooftops: QuerySet[Rooftop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rooftop_field = self.fields["rooftop"]
        assert isinstance(rooftop_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        rooftop_field.queryset = rooftops
        self.fields["stock_number"].required = False
        accept_pasted_vin(self)
        self._show_next_stock_numbers(rooftops)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s.value, s.label)
            for s in (Status.INCOMING, Status.IN_RECONDITIONING, Status.AVAILABLE)
        ]
        # Leaving the VIN field asks the decoder and re-renders the form prefilled (htmx).
        self.fields["vin"].widget.attrs.update(
            {
                "autofocus": True,
                "autocomplete": "off",
                "hx-get": reverse("inventory:vehicle-receive"),
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-target": "#receive-form",
                "hx-select": "#receive-form",
                "hx-swap": "outerHTML",
            }
        )

    def clean_vin(self) -> str:
        return cleaned_vin(self)

    def _show_next_stock_numbers(self, rooftops: QuerySet[Rooftop]) -> None:
        """Before saving, the number an empty field will get (per rooftop, when several)."""
        previews = [(r.name, preview_stock_number(r)) for r in rooftops[:MAX_PREVIEWED_ROOFTOPS]]
        field = self.fields["stock_number"]
        if len(previews) == 1:
            field.widget.attrs["placeholder"] = previews[0][1]
            field.help_text = f"Leave empty to use the next number, {previews[0][1]}."
        elif previews:
            listed = "; ".join(f"{number} at {name}" for name, number in previews)
            field.help_text = f"Leave empty to use the rooftop's next number ({listed})."

    def validate_unique(self) -> None:
        pass

    def _post_clean(self) -> None:
        pass


class PriceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    list_price = forms.DecimalField(max_digits=12, decimal_places=2)
    internet_price = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    floor_price = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    reason = forms.CharField(max_length=200, required=False)
    confirm_floor_above_list = floor_confirmation_field()


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=[], error_messages={"required": "Choose the new status."})
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, allowed: list[Status], **kwargs: Any) -> None:
        # Its own ids: the price form on the same page also has `version` and `reason`.
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        # Nothing preselected: a status change is a decision, never a default.
        self.fields["status"].choices = [("", "Choose…")] + [  # type: ignore[attr-defined]
            (s.value, s.label) for s in allowed
        ]


MAX_HOLD_HOURS = int(MAX_HOLD.total_seconds() // 3600)


class HoldForm(forms.Form):
    deal_reference = forms.CharField(max_length=64, label="Deal")
    customer_name = forms.CharField(max_length=120, required=False)
    hours = forms.IntegerField(
        min_value=1,
        max_value=MAX_HOLD_HOURS,
        initial=int(DEFAULT_HOLD.total_seconds() // 3600),
        label="Hold for (hours)",
        error_messages={
            "max_value": f"A hold lasts at most {MAX_HOLD.days} days ({MAX_HOLD_HOURS} hours).",
        },
    )


# The inventory list's filters as the screen labels them (search.VehicleFilters's names).
FILTER_LABELS = {
    "q": "Search",
    "rooftop": "Rooftop",
    "status": "Status",
    "condition": "Condition",
    "make": "Make",
    "model": "Model",
    "year_min": "Year from",
    "year_max": "Year to",
    "price_min": "Price from",
    "price_max": "Price to",
    "mileage_min": "Miles from",
    "mileage_max": "Miles to",
    "days_min": "Days in stock from",
    "days_max": "Days in stock to",
    "sort": "Sort",
    "cursor": "Page",
}
# The number filters, in the order the filter panel shows them: (name, input step).
NUMBER_FILTERS = (
    ("year_min", "1"),
    ("year_max", "1"),
    ("price_min", "0.01"),
    ("price_max", "0.01"),
    ("mileage_min", "1"),
    ("mileage_max", "1"),
    ("days_min", "1"),
    ("days_max", "1"),
)


class CostForm(forms.Form):
    kind = forms.ChoiceField(choices=CostKind.choices)
    amount = forms.DecimalField(max_digits=12, decimal_places=2)
    vendor = forms.CharField(max_length=120, required=False)
    incurred_on = forms.DateField(required=False, widget=DATE_INPUT)
    description = forms.CharField(max_length=200, required=False)


class BulkForm(forms.Form):
    ACTIONS = [
        ("publish", "Publish"),
        ("unpublish", "Unpublish"),
        ("status", "Change status"),
        ("move", "Move to rooftop"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    status = forms.ChoiceField(
        choices=[("", "-")] + [(s.value, s.label) for s in Status if s != Status.ON_HOLD],
        required=False,
    )
    rooftop = forms.ModelChoiceField(queryset=Rooftop.objects.none(), required=False)

    def __init__(self, *args: Any, rooftops: QuerySet[Rooftop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rooftop"].queryset = rooftops  # type: ignore[attr-defined]
        # Any ids are accepted here; the action keeps only rows the user can see.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")] if self.data else []  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", "Choose the new status.")
        if data.get("action") == "move" and not data.get("rooftop"):
            self.add_error("rooftop", "Choose the rooftop.")
        return data
