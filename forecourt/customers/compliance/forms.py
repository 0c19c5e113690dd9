"""Forms of the compliance pages (compliance/views.py): a reason, and disposal's confirmation."""

from __future__ import annotations

from django import forms


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Recorded in the audit log.",
    )


class DisposeForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        initial="Retention period ended.",
        help_text="Recorded in the audit log.",
    )
    confirm = forms.BooleanField(
        label="I understand this permanently removes the customer's personal data; "
        "it cannot be undone.",
    )
