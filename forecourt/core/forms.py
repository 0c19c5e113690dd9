"""Helpers shared by every app's forms."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError inline: on its field when the form has it."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def filter_error(bad: ValueError, labels: Mapping[str, str]) -> str:
    """A refused list filter (an app's BadQuery, which names its field) as the screen labels
    it: "Follow-up: one of overdue, today, none." rather than "follow_up: One of ..."."""
    field_name = str(getattr(bad, "field_name", ""))
    label = labels.get(field_name) or field_name.replace("_", " ").capitalize()
    message = str(bad)
    return f"{label}: {message[:1].lower()}{message[1:]}" if label else message
