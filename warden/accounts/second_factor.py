"""Two-step sign-in: a TOTP code after the password (issue 14 §3), with django-otp's TOTP devices.

Authority staff must have one when WARDEN_REQUIRE_2FA is on (settings.REQUIRE_2FA: on in production, off in
tests and the demo): they set it up on their first sign-in. Anyone else may opt in from their account page;
once a person has a confirmed device, every sign-in asks for a code. Codes go through the same atomic
throttle as passwords (warden.accounts.throttle), so guessing six digits is as slow as guessing a password.
An administrator resets a lost device (audited); the person then sets a new one up.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.accounts import policy, throttle
from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.accounts.policy import PeopleAction
from warden.audit.services import record
from warden.lib.errors import InvalidInput, NotPermitted

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_required(user: User) -> bool:
    """Whether `user` must set up a second factor before signing in."""
    return bool(settings.REQUIRE_2FA) and user.is_authority


def needed_at_sign_in(user: User) -> bool:
    """Whether signing `user` in takes a code (or setting one up) after the password."""
    return confirmed_device(user) is not None or is_required(user)


def token_creation_refusal(*, actor: User, subject: User, session_passed_code: bool) -> str | None:
    """policy.token_creation_refusal with the facts of `actor`, `subject` and this session."""
    return policy.token_creation_refusal(
        actor_needs_code=needed_at_sign_in(actor),
        session_passed_code=session_passed_code,
        subject_lacks_required_device=is_required(subject) and confirmed_device(subject) is None,
    )


def token_use_refusal(user: User) -> str | None:
    """policy.token_use_refusal for `user`'s token; a device query only when a code is required."""
    required = is_required(user)
    return policy.token_use_refusal(
        code_required=required, has_device=required and confirmed_device(user) is not None
    )


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up for `user` (made once, so reloading the page keeps the secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    # Base32, as authenticator apps take it when typed in by hand.
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    # An SVG data: URI (img-src allows data:), so the secret never goes to another server.
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))


def _clean(code: str) -> str:
    digits = "".join(code.split())
    if not (digits.isdigit() and len(digits) == 6):
        raise InvalidInput("Enter the 6-digit code your authenticator app shows.")
    return digits


@transaction.atomic
def confirm_set_up(*, actor: Actor, user: User, code: str) -> TOTPDevice:
    """Confirm `user`'s pending device with a code it produced; from now on every sign-in asks for one."""
    why = policy.refusal(actor, PeopleAction.SET_UP_SECOND_FACTOR, user)
    if why:
        raise NotPermitted(why)
    device = pending_device(user)
    if not device.verify_token(_clean(code)):
        raise InvalidInput("That code is not the one your authenticator app shows now. Check the time on it.")
    # One device per person: a new one replaces the old.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=actor, action="user.second_factor_set_up", target=user, data={"username": user.username})
    return device


def check_code(user: User, code: str, ip: str | None) -> throttle.Lock | None:
    """Check a sign-in code for `user`: None when right; raises InvalidInput when wrong; returns the lock
    when the throttle refuses it unchecked (locked-out accounts and addresses get no code check either)."""
    lock = throttle.reserve_attempt(user.username, ip)
    if lock is not None:
        return lock
    device = confirmed_device(user)
    try:
        ok = device is not None and device.verify_token(_clean(code))
    except InvalidInput:
        ok = False
    if not ok:
        throttle.record_failure(user.username, ip)
        raise InvalidInput("That code is not right. Enter the 6-digit code your authenticator app shows now.")
    throttle.record_success(user.username, ip)
    return None


@transaction.atomic
def reset(*, actor: Actor, user: User) -> int:
    """Remove `user`'s second factor (a lost phone); they set a new one up at their next sign-in."""
    why = policy.refusal(actor, PeopleAction.RESET_SECOND_FACTOR, user)
    if why:
        raise NotPermitted(why)
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record(actor=actor, action="user.second_factor_reset", target=user, data={"username": user.username})
    return int(removed)
