"""Sign-in form with throttling (warden.accounts.throttle): too many failures for one account, or from one
address, lock it out for a while whatever the password, so that guessing is slow even when the attacker
knows a username or spreads the guesses over many addresses."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from warden.accounts import second_factor, throttle
from warden.accounts.models import Organisation, Role, Team, TokenScope
from warden.accounts.services import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX
from warden.lib.client import client_address

log = logging.getLogger("warden.accounts.login")


def client_ip(request: HttpRequest | None) -> str | None:
    # The peer's address, or the trusted proxy's X-Forwarded-For entry (warden.lib.client explains why only then).
    return client_address(request)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "locked_out": (
            "Too many failed sign-in attempts for this account. Sign-in to it is blocked for %(minutes)s "
            "minutes after the last failures; try again later, or ask an administrator to unlock it."
        ),
        "locked_out_address": (
            "Too many failed sign-in attempts from your network address. Sign-in from it is blocked for "
            "%(minutes)s minutes after the last failures; try again later, or ask an administrator."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: object, **kwargs: object) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self) -> dict[str, object]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        ip = client_ip(self.request)
        # Reserved before the password is checked, atomically: a locked-out account or address is refused
        # even with the right password, no Argon2 work is spent on it, and concurrent guesses cannot all
        # slip under the limit together.
        lock = throttle.reserve_attempt(username, ip)
        if lock is not None:
            log.warning("login refused (locked out: %s) username=%r ip=%s", lock.value, username, ip)
            # One code for both, so the view answers 429 to either; the message says which.
            message = self.error_messages[
                "locked_out" if lock is throttle.Lock.ACCOUNT else "locked_out_address"
            ]
            raise forms.ValidationError(
                message, code="locked_out", params={"minutes": throttle.lockout_minutes(lock)}
            )
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            throttle.record_failure(username, ip)
            log.warning("login failed username=%r ip=%s", username, ip)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        if second_factor.needed_at_sign_in(self.user_cache):
            # Half-way: the failures are forgiven only after the code, or a thief with the password could
            # reset the count between code guesses. This attempt's place is given back.
            throttle.release_attempt(username, ip)
        else:
            # A right password forgives the account's failures, so a later typo does not lock a real user out.
            throttle.record_success(username, ip)
        return self.cleaned_data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the token",
        max_length=100,
        help_text="Which of your systems will use it, e.g. “ERP export module”, so you know what to revoke later.",
    )
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=TOKEN_DAYS_MAX,
        initial=TOKEN_DAYS_DEFAULT,
        help_text=f"From 1 to {TOKEN_DAYS_MAX} days; after that the API refuses it and you make a new one.",
    )
    # Read-only first and by default: a system that only follows its cases cannot then change anything.
    scope = forms.ChoiceField(
        label="Access",
        choices=[
            (TokenScope.READ, "Read only (follow applications and licences)"),
            (TokenScope.WRITE, "Read and write (also submit and answer, as your role allows)"),
        ],
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label="New password",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text="At least 10 characters, not a common password, not like your name or username.",
        ),
        forms.CharField(
            label="New password again",
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class SetPasswordForm(forms.Form):
    """The new password twice (the reset link's page). The password rules are the service's."""

    new_password1, new_password2 = _new_password_fields()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "The two new passwords differ")
        return data


class ChangePasswordForm(SetPasswordForm):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["current_password", "new_password1", "new_password2"]


class ResetRequestForm(forms.Form):
    who = forms.CharField(
        label="Username or e-mail address",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


class PlacementForm(forms.Form):
    """Where a person sits: role, exporter organisation, team (the placement rules are the services')."""

    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label="Exporter organisation",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.EXPORTER).order_by("name"),
        required=False,
        empty_label="None (authority staff)",
        help_text="Exporters only.",
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="No team",
        help_text="Advisers: their consulted department.",
    )


class EditUserForm(PlacementForm):
    """An administrator moves a person: role, team, organisation (the placement rules are set_role's)."""


class NewUserForm(PlacementForm):
    """An administrator adds a person. Placement rules (exporters in an exporter organisation, advisers in a
    consulted department) are the service's; its refusals come back on the field they name."""

    username = forms.CharField(label="Username", max_length=150)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Email", required=False)
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Checked against the password rules; give it to the person through a separate channel.",
    )

    field_order = ["username", "first_name", "last_name", "email", "role", "organisation", "team", "password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "team"
        ].help_text = "Advisers: their consulted department. Officers: usually the licensing unit."
