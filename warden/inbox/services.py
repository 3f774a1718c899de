"""A person's own inbox: read marks and the e-mail preference (only ever their own, so no role policy
beyond being signed in), and the one entry point the pages, the CLI and the task call to catch up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from warden.accounts.models import User
from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.inbox import bulletins, deadlines, delivery, mail
from warden.inbox.models import Cursor, MailMode, MailPreference, Notification
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotFound
from warden.ogl import returns


def catch_up() -> int:
    """Deliver every new audit entry, then make the bulletins of finished law-change runs."""
    made = delivery.deliver()
    while _more():  # a backlog larger than one batch
        made += delivery.deliver()
    bulletins.make_bulletins()
    return made


def _more() -> bool:
    cursor = Cursor.objects.filter(pk=1).first()
    return AuditEntry.objects.filter(seq__gt=cursor.last_seq if cursor else -1).exists()


def daily(today: dt.date) -> tuple[int, int]:
    """The daily task: missed OGL returns flagged (told from their audit entries by the catch-up), deadlines
    approaching, then the digests. (notifications made, digests sent)"""
    returns.flag_missed(actor=system("daily: missed open general licence returns"), today=today)
    catch_up()
    return deadlines.check(today), mail.send_digests(today)


def mark_read(*, user: User, pk: int) -> Notification:
    n = Notification.objects.filter(user=user, pk=pk).first()
    if n is None:
        raise NotFound("No such notification in your inbox")
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_mail_mode(*, user: User, mode: str) -> MailPreference:
    if mode not in MailMode.values:
        raise InvalidInput(f"e-mail: {mode!r} is not one of {', '.join(MailMode.values)}", where="mode")
    pref, _ = MailPreference.objects.get_or_create(user=user)
    if pref.mode != mode:
        pref.mode = mode
        pref.save(update_fields=["mode"])
        record(actor=user, action="inbox.mail_preference", target=pref, data={"mode": mode})
    return pref
