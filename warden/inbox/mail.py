"""E-mail through Django's mail backends (console or file by default, SMTP in production: settings). A
person's MailPreference says each notification at once, a daily digest, or none. A failed send is logged
and left for the next digest; it never undoes the notification."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from warden.accounts.models import User
from warden.inbox.models import MailMode, MailPreference, Notification

log = logging.getLogger(__name__)


def mode_of(user: User) -> str:
    pref = MailPreference.objects.filter(user=user).first()
    return pref.mode if pref else MailMode.IMMEDIATE


def _link(url: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}" if url else ""


def _send(user: User, subject: str, text: str) -> bool:
    if not user.email:
        return False
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001  (any backend failure: SMTP, disk) is logged; the inbox still has it
        log.exception("notification e-mail to %s failed", user.username)
        return False
    return True


def send_immediate(made: list[Notification]) -> int:
    sent = 0
    for n in made:
        if mode_of(n.user) != MailMode.IMMEDIATE:
            continue
        text = f"{n.subject}\n\n{n.body}\n\n{_link(n.url)}\n".strip() + "\n"
        if _send(n.user, f"[Warden] {n.subject}", text):
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_digests(today: dt.date) -> int:
    """One e-mail per daily-digest person with what they have not had by e-mail; once a day."""
    prefs = (
        MailPreference.objects.filter(mode=MailMode.DAILY)
        .exclude(last_digest_on=today)
        .select_related("user")
    )
    sent = 0
    for pref in prefs:
        pending = list(
            Notification.objects.filter(user=pref.user, emailed_at__isnull=True).order_by("created_at")
        )
        if pending:
            by_kind: dict[str, list[Notification]] = defaultdict(list)
            for n in pending:
                by_kind[n.get_kind_display()].append(n)
            lines = [f"{len(pending)} notification(s) since your last digest:", ""]
            for kind, items in by_kind.items():
                lines.append(kind)
                lines += [f"  - {n.subject} {_link(n.url)}".rstrip() for n in items]
                lines.append("")
            if _send(pref.user, f"[Warden] Daily digest: {len(pending)} notification(s)", "\n".join(lines)):
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
                sent += 1
        pref.last_digest_on = today
        pref.save(update_fields=["last_digest_on"])
    return sent
