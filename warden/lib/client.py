"""The client's network address, for login throttling and the audit of sign-ins.

REMOTE_ADDR is the peer that opened the connection. Behind a reverse proxy that is the proxy, and the
client's address is the last entry the proxy appended to X-Forwarded-For. That header is believed only when
the peer is a proxy named in settings.TRUSTED_PROXIES (WARDEN_TRUSTED_PROXY): from anyone else it is
whatever the client chose, and believing it would let an attacker pick a fresh "address" for every guess."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    peer: str | None = request.META.get("REMOTE_ADDR") or None
    trusted: frozenset[str] = getattr(settings, "TRUSTED_PROXIES", frozenset())
    if peer in trusted:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [a.strip() for a in header.split(",") if a.strip()]
        if forwarded:
            return forwarded[-1][:45]  # the address the trusted proxy itself appended (IPv6 at most 45)
    return peer
