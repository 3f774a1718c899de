"""End-use control after the licence (issue 13 §2; docs/enduse.md): delivery verification certificates and
post-shipment verification visits planned from risk, their findings and evidence, the end users' record of
findings, and the flags a diversion finding raises on the cases and licences of the same end user.

A check's status (planned, done, overdue) is never stored: it follows from its due date and completion, so
it cannot drift from them (EndUseCheck.status_on)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from warden.cases.models import Case
from warden.licences.models import Licence, Shipment


class CheckKind(models.TextChoices):
    DVC = "delivery_verification_certificate", "Delivery verification certificate"
    PSV = "post_shipment_verification", "Post-shipment verification visit"


class CheckStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    OVERDUE = "overdue", "Overdue"


class Finding(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    CONCERNS = "concerns", "Concerns"
    DIVERSION = "diversion", "Diversion"


class EndUseCheck(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="end_use_checks")
    # The shipment whose delivery is verified; empty for a check planned at issue, before anything shipped.
    shipment = models.ForeignKey(
        Shipment, null=True, blank=True, on_delete=models.PROTECT, related_name="end_use_checks"
    )
    kind = models.CharField(max_length=40, choices=CheckKind.choices)
    due_on = models.DateField(db_index=True)
    risk_score = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=list)  # why it was planned, one sentence each
    # The officer who planned it by hand; empty when the risk planning did (warden.enduse.planning).
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField()
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    finding_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    # The end user the check is about, copied from the case when planned (names on cases can be amended).
    end_user_name = models.CharField(max_length=500, blank=True)
    end_user_country = models.CharField(max_length=2, blank=True)
    # A diversion finding shown to be wrong (evidence, a later clean check) is withdrawn, not erased: the
    # finding stays readable with who withdrew it and why; it no longer counts (profile, planning, flags).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["completed_on", "due_on"], name="enduse_check_open_due")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    @property
    def reference(self) -> str:
        return f"EUC-CHK-{self.pk:06d}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def status_on(self, today: dt.date) -> str:
        if self.completed_on is not None:
            return CheckStatus.DONE
        return CheckStatus.OVERDUE if self.due_on < today else CheckStatus.PLANNED


class EvidenceFile(models.Model):
    """A document the inspector relies on (the returned DVC, a visit report). The bytes live under
    settings.UPLOAD_DIR by SHA-256, like case documents (warden.cases.services.documents)."""

    check_row = models.ForeignKey(EndUseCheck, on_delete=models.PROTECT, related_name="evidence")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class EndUserProfile(models.Model):
    """What our checks found about one end user, keyed by its normalised name and country
    (warden.enduse.matching.name_key): planning weighs it, the case page shows it."""

    name_key = models.CharField(max_length=500)
    country = models.CharField(max_length=2)
    name = models.CharField(max_length=500)  # as last seen on a check
    checks_done = models.PositiveIntegerField(default=0)
    concerns = models.PositiveIntegerField(default=0)
    diversions = models.PositiveIntegerField(default=0)  # standing diversion findings
    diversions_withdrawn = models.PositiveIntegerField(default=0)  # found, then withdrawn as wrong
    last_finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    last_finding_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["country", "name_key"]
        constraints = [
            models.UniqueConstraint(fields=["name_key", "country"], name="enduse_profile_unique_end_user")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class DiversionFlag(models.Model):
    """A diversion found by `check` concerns `case` (an open case, or the case of a live licence) because its
    end user is the same organisation. Shown on the case page with the offer to suspend the licence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diversion_flags")
    check_row = models.ForeignKey(EndUseCheck, on_delete=models.PROTECT, related_name="flags")
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="diversion_flags"
    )
    party_name = models.CharField(max_length=500)
    score = models.FloatField()
    created_at = models.DateTimeField()
    # Cleared by a senior officer with a reason (a false match, or the finding withdrawn): kept, shown as
    # cleared with who and why, no longer offering a suspension (warden.enduse.policy).
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "check_row"], name="enduse_flag_unique_case_check")
        ]

    @property
    def standing(self) -> bool:
        return self.cleared_at is None
