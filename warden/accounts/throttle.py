"""Sign-in throttling and its unlock (issue 14 §3).

Two separate lock-outs, each with its own limit and window (settings): PER ACCOUNT (failures for one
username from any address; LOGIN_MAX_FAILURES within LOGIN_LOCKOUT_SECONDS of the last one) and PER ADDRESS
(failures from one client address for any username; LOGIN_ADDRESS_MAX_FAILURES within
LOGIN_ADDRESS_LOCKOUT_SECONDS). The first stops a distributed guess at one account, the second one address
spraying many accounts.

Atomic: an attempt RESERVES a place under both limits before the password is checked, each with one
conditional UPDATE (``count = count + 1 WHERE count < limit``) that the database serialises (a row lock on
PostgreSQL, the write lock on SQLite). So 20 concurrent guesses check at most the limit against the
password; a check-then-insert could let them all through. A right password gives its place back.

LoginFailure rows stay as the record of who failed from where; the counters are the gate. An administrator
(or the system, from `warden users unlock`) unlocks an account: its counter and the counters of the
addresses it failed from are cleared. An address alone is unlocked too (`warden users unlock-address IP`, the
people page's list of locked addresses): a shared office gateway that one person's typos or a spray locked,
without forgiving any account. Audited, because lifting a lock-out is a security decision.
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest

from warden.accounts import policy
from warden.accounts.actors import Actor
from warden.accounts.models import LoginCounter, LoginFailure, User
from warden.accounts.policy import PeopleAction
from warden.audit.services import record
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted

Kind = LoginCounter.Kind


class Lock(enum.Enum):
    """Which lock-out refused an attempt (the sign-in form words its message after it)."""

    ACCOUNT = "account"
    ADDRESS = "address"


def throttle_key(username: str) -> str:
    # Case and surrounding spaces do not make a new account to guess at.
    return username.strip().lower()[:150]


def _limit(kind: str) -> tuple[int, dt.timedelta]:
    if kind == Kind.ACCOUNT:
        return settings.LOGIN_MAX_FAILURES, dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return settings.LOGIN_ADDRESS_MAX_FAILURES, dt.timedelta(seconds=settings.LOGIN_ADDRESS_LOCKOUT_SECONDS)


def lockout_minutes(lock: Lock) -> int:
    _, window = _limit(Kind.ACCOUNT if lock is Lock.ACCOUNT else Kind.ADDRESS)
    return max(1, int(window.total_seconds()) // 60)


def _reserve(kind: str, key: str) -> bool:
    """Take one attempt under `kind`'s limit for `key`, atomically; False when the limit is reached."""
    limit, window = _limit(kind)
    now = clock.now()
    expired = Q(last_at__lt=now - window)
    # get_or_create is safe under concurrency: the unique constraint makes a racing second insert fall back
    # to reading the first one's row.
    LoginCounter.objects.get_or_create(kind=kind, key=key, defaults={"last_at": now})
    # One statement: a quiet window starts the count afresh, otherwise the count rises only below the limit.
    taken = (
        LoginCounter.objects.filter(kind=kind, key=key)
        .filter(Q(count__lt=limit) | expired)
        .update(count=Case(When(expired, then=Value(1)), default=F("count") + 1), last_at=now)
    )
    return taken == 1


def _give_back(kind: str, key: str) -> None:
    LoginCounter.objects.filter(kind=kind, key=key).update(count=Greatest(F("count") - 1, Value(0)))


def reserve_attempt(username: str, ip: str | None) -> Lock | None:
    """Reserve a password check for `username` from `ip`: None when reserved, else the lock that refuses.

    Committed at once (its own transaction), so concurrent attempts see each other's reservations.
    """
    with transaction.atomic():
        if not _reserve(Kind.ACCOUNT, throttle_key(username)):
            return Lock.ACCOUNT
        if ip is not None and not _reserve(Kind.ADDRESS, ip):
            _give_back(Kind.ACCOUNT, throttle_key(username))  # refused by the address: nothing was checked
            return Lock.ADDRESS
    return None


@transaction.atomic
def release_attempt(username: str, ip: str | None) -> None:
    """Give back a reserved place without forgiving anything (a right password when a code must follow)."""
    _give_back(Kind.ACCOUNT, throttle_key(username))
    if ip is not None:
        _give_back(Kind.ADDRESS, ip)


def record_failure(username: str, ip: str | None) -> None:
    # The reservation already counts the failure; this row says who failed from where (and feeds unlock).
    LoginFailure.objects.create(username=throttle_key(username), ip=ip)


@transaction.atomic
def record_success(username: str, ip: str | None) -> None:
    """A right password: the account's failures are forgiven, and this attempt's place at the address is
    given back (but not the address's other failures: one valid account must not reset a spray)."""
    key = throttle_key(username)
    LoginCounter.objects.filter(kind=Kind.ACCOUNT, key=key).update(count=0)
    if ip is not None:
        _give_back(Kind.ADDRESS, ip)
    LoginFailure.objects.filter(username=key, ip=ip).delete()


def _is_locked(kind: str, key: str) -> bool:
    limit, window = _limit(kind)
    return LoginCounter.objects.filter(
        kind=kind, key=key, count__gte=limit, last_at__gte=clock.now() - window
    ).exists()


def is_locked_out_anywhere(username: str) -> bool:
    """Whether `username` is locked out now, as an account or from an address it failed from (the people
    page shows it, with the Unlock button)."""
    key = throttle_key(username)
    if _is_locked(Kind.ACCOUNT, key):
        return True
    addresses = LoginFailure.objects.filter(username=key, ip__isnull=False).values_list("ip", flat=True)
    return any(_is_locked(Kind.ADDRESS, ip) for ip in set(addresses) if ip)


@transaction.atomic
def unlock(*, actor: Actor, user: User) -> int:
    """Lift `user`'s lock-outs (the account's, and those of the addresses it failed from); the number of
    recorded failed sign-ins forgotten."""
    why = policy.refusal(actor, PeopleAction.UNLOCK, user)
    if why:
        raise NotPermitted(why)
    key = throttle_key(user.username)
    failures = LoginFailure.objects.filter(username=key)
    addresses = sorted({ip for ip in failures.values_list("ip", flat=True) if ip})
    LoginCounter.objects.filter(kind=Kind.ACCOUNT, key=key).update(count=0)
    LoginCounter.objects.filter(kind=Kind.ADDRESS, key__in=addresses).update(count=0)
    cleared, _ = failures.delete()
    record(
        actor=actor,
        action="user.unlock",
        target=user,
        data={"username": user.username, "cleared": cleared, "addresses": addresses},
    )
    return cleared


@dataclass(frozen=True)
class LockedAddress:
    address: str
    failures: int  # within the window, for any account
    last_at: dt.datetime


def locked_addresses() -> list[LockedAddress]:
    """The client addresses locked out now (the people page lists them, each with an Unlock button)."""
    limit, window = _limit(Kind.ADDRESS)
    rows = LoginCounter.objects.filter(
        kind=Kind.ADDRESS, count__gte=limit, last_at__gte=clock.now() - window
    ).order_by("-last_at")
    return [LockedAddress(r.key, r.count, r.last_at) for r in rows]


def normalise_address(text: str) -> str:
    """The address as the counters key it (the request's REMOTE_ADDR form); InvalidInput when it is none."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        shown = text.strip()[:60]
        raise InvalidInput(f"{shown!r} is not an IPv4 or IPv6 address", where="address") from None


@transaction.atomic
def unlock_address(*, actor: Actor, address: str) -> int:
    """Lift the lock-out of one client address: its count of recent failures (any account) is cleared and
    returned; 0, and nothing recorded, when there was none. No account's own lock-out is lifted, and the
    record of who failed from there stays (LoginFailure)."""
    why = policy.refusal(actor, PeopleAction.UNLOCK_ADDRESS)
    if why:
        raise NotPermitted(why)
    key = normalise_address(address)
    was_locked = _is_locked(Kind.ADDRESS, key)
    counter = LoginCounter.objects.select_for_update().filter(kind=Kind.ADDRESS, key=key, count__gt=0).first()
    if counter is None:
        return 0
    LoginCounter.objects.filter(pk=counter.pk).update(count=0)
    record(
        actor=actor,
        action="user.unlock_address",
        data={"address": key, "failures": counter.count, "was_locked": was_locked},
    )
    return counter.count
