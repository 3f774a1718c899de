"""Unlocking sign-in after too many wrong passwords (issue 14 §3).

The lock-out (warden.accounts.forms) counts LoginFailure rows per username and address; an administrator
(or the system, from `warden users unlock`) clears them for one account so its owner can sign in again
before LOGIN_LOCKOUT_SECONDS have passed. Audited, because lifting a lock-out is a security decision.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from warden.accounts import policy
from warden.accounts.actors import Actor
from warden.accounts.forms import _throttle_key
from warden.accounts.models import LoginFailure, User
from warden.accounts.policy import PeopleAction
from warden.audit.services import record
from warden.lib.errors import NotPermitted


def is_locked_out_anywhere(username: str) -> bool:
    """Whether `username` is locked out from at least one address now (the people page shows it)."""
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return (
        LoginFailure.objects.filter(username=_throttle_key(username), at__gte=since)
        .values("ip")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.LOGIN_MAX_FAILURES)
        .exists()
    )


@transaction.atomic
def unlock(*, actor: Actor, user: User) -> int:
    """Forget every recorded failed sign-in of `user` (all addresses); the number forgotten."""
    why = policy.refusal(actor, PeopleAction.UNLOCK, user)
    if why:
        raise NotPermitted(why)
    cleared, _ = LoginFailure.objects.filter(username=_throttle_key(user.username)).delete()
    record(
        actor=actor, action="user.unlock", target=user, data={"username": user.username, "cleared": cleared}
    )
    return cleared
