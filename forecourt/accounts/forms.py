from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from forecourt.accounts.actions import ROOFTOP_FIELDS
from forecourt.accounts.models import ApiTokenScope, Rooftop, User
from forecourt.accounts.roles import Role
from forecourt.core.security import lockout


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    code = forms.CharField(
        required=False,
        max_length=32,
        label="Authenticator code (only if sign-in was paused)",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="While sign-ins to an account are slowed down, your password together with a"
        " code from your authenticator app (or a recovery code) still gets you in.",
    )

    def clean(self) -> dict[str, Any]:
        if self.request is not None:
            lockout.prove_with_second_factor(
                self.request,
                self.cleaned_data.get("username") or "",
                self.cleaned_data.get("password") or "",
                self.cleaned_data.get("code") or "",
            )
        return super().clean()


class RooftopForm(forms.ModelForm):
    """Input only: the save goes through actions.create_rooftop / update_rooftop."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rooftop
        fields = list(ROOFTOP_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"time_zone": "IANA name, e.g. America/Chicago or Europe/London."}

    def _post_clean(self) -> None:
        """The action validates the model (uniqueness, time zone) in its transaction."""

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in ROOFTOP_FIELDS}


class InviteForm(forms.Form):
    email = forms.EmailField()
    full_name = forms.CharField(max_length=150)
    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.value) for r in Role], widget=forms.CheckboxSelectMultiple
    )
    rooftops = forms.ModelMultipleChoiceField(
        queryset=Rooftop.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, rooftops: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["rooftops"].queryset = rooftops  # type: ignore[attr-defined]


class ApiTokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none())
    name = forms.CharField(max_length=100)
    scopes = forms.MultipleChoiceField(
        choices=ApiTokenScope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_in_days = forms.IntegerField(min_value=1, max_value=365, initial=90)

    def __init__(self, *args: object, users: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="New email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="You will sign in with this address. We tell your old address too.",
    )


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text="At least 12 characters; common passwords are refused.",
    )
    password_again = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data
