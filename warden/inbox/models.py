"""What Warden tells people: notifications in an in-app inbox (and by e-mail, at once or as a daily digest)
and law-change bulletins whose acknowledgement is tracked.

Notifications are derived from the audit log, not raised by the services: `warden.inbox.delivery` reads the
entries after its cursor and works out who must be told. Every state change already writes exactly one entry
in its own transaction, so nothing that happened can be missed or told twice, and no service needs to know
the inbox exists (no signals; docs/decisions/0008-inbox-from-the-audit-log.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.legislation.models import ImpactRun, ReferenceRevision


class Kind(models.TextChoices):
    REQUEST = "request", "Request for information"
    ANSWER = "answer", "Answer received"
    DECISION = "decision", "Decision"
    LICENCE = "licence", "Licence"
    ASSIGNED = "assigned", "Case assigned"
    REFERRAL = "referral", "Case referred for advice"
    ADVICE = "advice", "Advice given"
    REVIEW = "review", "Ready for final review"
    DEADLINE = "deadline", "Deadline approaching"
    LAW = "law", "Law change"
    CATCH_ALL = "catch_all", "Catch-all referral"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Once per person per cause: an audit entry's number, or a deadline's own key ("sla:12:2026-12-10").
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"])]


class MailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Each one by e-mail as it happens"
    DAILY = "daily", "One e-mail a day (digest)"
    OFF = "off", "No e-mail: the inbox only"


class MailPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    mode = models.CharField(max_length=10, choices=MailMode.choices, default=MailMode.IMMEDIATE)
    last_digest_on = models.DateField(null=True, blank=True)


class Cursor(models.Model):
    """One row: the last audit entry delivery has read (entries are numbered densely, in order)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=-1)


class Bulletin(models.Model):
    """A law change told to the exporters and officers whose cases or licences it touches."""

    revision = models.ForeignKey(ReferenceRevision, on_delete=models.PROTECT, related_name="+")
    run = models.OneToOneField(ImpactRun, null=True, on_delete=models.PROTECT, related_name="bulletin")
    title = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class BulletinRecipient(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulletins")
    items = models.JSONField(default=list)  # this person's affected cases and licences, as references
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulletin", "user"], name="bulletin_recipient_once")]
