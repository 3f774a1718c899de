"""Passwords a person changes or resets themselves, and the e-mailed reset link (issue 13 §6, issue 14).

- change_password: the signed-in person gives their current password and a new one (AUTH_PASSWORD_VALIDATORS
  apply). Changing the hash changes the session auth hash, so Django signs out every other session of that
  person on its next request; the view keeps the current one with update_session_auth_hash.
- request_reset: anyone at /account/reset/ names a username or e-mail address. The answer is always the
  same, found or not, so the page cannot be used to learn who has an account; a link is mailed only to an
  active account with an e-mail address. An administrator sends the same link from the people page
  (send_reset_link): they never choose a password for someone else.
- reset_with_link: the link carries Django's PasswordResetTokenGenerator token, which expires after
  PASSWORD_RESET_TIMEOUT seconds and is bound to the password hash and last sign-in, so it works once:
  setting the password makes it invalid.

Audit data never holds a password, a hash or a token: only the username and how the change happened.
"""

from __future__ import annotations

import datetime as dt
import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from warden.accounts import policy
from warden.accounts.actors import Actor, system
from warden.accounts.models import ResetLinkSent, User
from warden.accounts.policy import PeopleAction
from warden.audit.services import record
from warden.lib.errors import Conflict, InvalidInput, NotPermitted
from warden.lib.limits import MAX_DB_INT

log = logging.getLogger("warden.accounts.passwords")
# At most this many accounts share one e-mail address in a reset request (a mailbox is not a mailing list).
MAX_RESET_RECIPIENTS = 5
# At most this many links a person is mailed in an hour, however often the page or an administrator asks.
MAX_LINKS_PER_HOUR = 3


def _check(actor: Actor, action: PeopleAction, subject: User) -> None:
    why = policy.refusal(actor, action, subject)
    if why:
        raise NotPermitted(why)


def _validated(password: str, user: User, field: str) -> str:
    if not password:
        raise InvalidInput("Enter a new password", field=field)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field) from None
    return password


@transaction.atomic
def change_password(*, actor: Actor, user: User, current: str, new: str) -> User:
    """The person changes their own password, proving they know the current one."""
    _check(actor, PeopleAction.CHANGE_OWN_PASSWORD, user)
    if not user.check_password(current or ""):
        raise InvalidInput("Your current password is not right", field="current_password")
    if new == current:
        raise InvalidInput("The new password must differ from the current one", field="new_password1")
    user.set_password(_validated(new, user, "new_password1"))
    user.save(update_fields=["password"])
    record(actor=actor, action="user.password_change", target=user, data={"username": user.username})
    return user


def link_for(user: User, site: str) -> str:
    """The absolute reset link for `user` (`site` is the scheme and host, e.g. https://warden.example)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:reset_confirm", kwargs={"uidb64": uid, "token": token})
    return site.rstrip("/") + path


def _mail_link(user: User, site: str) -> None:
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    body = (
        f"Hello {user.display_name},\n\n"
        f"Someone (you, or an administrator for you) asked to set a new password for the Warden account "
        f"{user.username}. Open this link to choose one:\n\n{link_for(user, site)}\n\n"
        f"The link works once and for {hours} hour(s). If you did not ask, ignore this message: your "
        f"password stays as it is.\n"
    )
    send_mail("Warden: set a new password", body, None, [user.email])


@transaction.atomic
def send_reset_link(*, actor: Actor, user: User, site: str) -> None:
    """Mail `user` a one-time link to set a new password (an administrator, or the system when the person
    asked at /account/reset/). Refused for an account without an e-mail address or a deactivated one."""
    _check(actor, PeopleAction.SEND_RESET, user)
    if not user.is_active:
        raise InvalidInput(f"{user.username} is deactivated: reactivate them first", field="user")
    if not user.email:
        raise InvalidInput(f"{user.username} has no e-mail address to send the link to", field="email")
    # Locked, so that concurrent requests count each other's links.
    User.objects.select_for_update().filter(pk=user.pk).first()
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    if ResetLinkSent.objects.filter(user=user, at__gte=hour_ago).count() >= MAX_LINKS_PER_HOUR:
        raise Conflict(
            f"{user.username} was sent {MAX_LINKS_PER_HOUR} reset links in the last hour already; "
            "the links already sent still work: wait before sending another"
        )
    ResetLinkSent.objects.create(user=user)
    record(
        actor=actor,
        action="user.password_reset_sent",
        target=user,
        data={"username": user.username, "to": user.email},
    )
    # Sent after the entry is written and inside the transaction: if the mail server fails, the refusal
    # rolls the entry back with it, so the log never claims a link that was not sent.
    try:
        _mail_link(user, site)
    except (OSError, SMTPException) as exc:
        log.error("reset link for %s not sent: %s", user.username, exc)
        raise Conflict(
            "The e-mail could not be sent (the mail server refused or is down); try again later"
        ) from None


_RESET_REQUEST = system("password reset asked for at /account/reset/")


def request_reset(*, who: str, site: str) -> int:
    """A reset link for the active accounts whose username or e-mail address is `who` (case-insensitive).
    Returns how many were sent, which the caller must NOT show (the page answers the same either way)."""
    who = (who or "").strip()[:254]
    if not who:
        return 0
    matches = User.objects.filter(Q(username__iexact=who) | Q(email__iexact=who), is_active=True).exclude(
        email=""
    )
    sent = 0
    for user in matches.order_by("pk")[:MAX_RESET_RECIPIENTS]:
        try:
            send_reset_link(actor=_RESET_REQUEST, user=user, site=site)
        except Conflict:
            # A mail failure (logged) or the hourly limit: the page must still answer as for anyone, or
            # the difference would reveal that the account exists.
            continue
        sent += 1
    return sent


def user_for_link(uidb64: str, token: str, *, lock: bool = False) -> User | None:
    """The active account a reset link is for, if the link is genuine, unused and not expired; else None.
    `lock` holds the row until the transaction ends, so two submissions of one link cannot both pass."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk <= MAX_DB_INT:  # beyond any row (and beyond what the database accepts: a 500 otherwise)
        return None
    rows = User.objects.select_for_update() if lock else User.objects
    user = rows.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def reset_with_link(*, uidb64: str, token: str, new: str) -> User:
    """Set a new password through a reset link. The person acts: holding the link proves who they are."""
    user = user_for_link(uidb64, token, lock=True)
    if user is None:
        raise InvalidInput("This link has expired or has been used already; ask for a new one", field="link")
    user.set_password(_validated(new, user, "new_password1"))
    user.save(update_fields=["password"])
    record(actor=user, action="user.password_reset", target=user, data={"username": user.username})
    return user
