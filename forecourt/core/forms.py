"""Helpers shared by every app's forms."""

from django import forms
from django.core.exceptions import ValidationError


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError inline: on its field when the form has it."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
