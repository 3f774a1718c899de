"""Partner states' denial notifications (warden.denial/1), the flags they raise on our open cases, and the
undercut consultations an officer records (Common Position 2008/944/CFSP Art. 4; docs/denial-format.md).

Our own refusals are not stored here: they are the refused cases, exported as warden.denial/1 on demand
(warden.denials.exchange), so there is one source of truth for what we refused.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from warden.cases.models import Case

# A denial stays relevant for three years from its date (CP Art. 4(2); Reg. 2021/821 Art. 16); the
# User's Guide gives the consulted state about three weeks to answer.
VALIDITY_YEARS = 3
ANSWER_DAYS = 21


def three_years_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + VALIDITY_YEARS, day=28)


class Denial(models.Model):
    """One partner's denial notification as last received (a revised file updates the row)."""

    issuing_state = models.CharField(max_length=2, db_index=True)
    reference = models.CharField(max_length=80)
    denied_on = models.DateField(db_index=True)
    destination = models.CharField(max_length=2, db_index=True)
    # [{"rating": "ML10.d", "description": "..."}], as the notification lists them
    goods = models.JSONField(default=list)
    consignee_name = models.CharField(max_length=500, blank=True)
    consignee_address = models.TextField(blank=True)
    consignee_country = models.CharField(max_length=2, blank=True)
    end_user_name = models.CharField(max_length=500)
    end_user_address = models.TextField(blank=True)
    end_user_country = models.CharField(max_length=2, blank=True)
    end_use = models.TextField(blank=True)
    criteria = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    revoked = models.BooleanField(default=False)
    revoked_reason = models.TextField(blank=True)
    # The notification as the partner sent it (normalised to the JSON shape), for the record.
    document = models.JSONField(default=dict)
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    source_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-denied_on", "issuing_state", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_state", "reference"], name="denial_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.issuing_state} {self.reference}"

    @property
    def valid_until(self) -> dt.date:
        return three_years_after(self.denied_on)

    def in_force_on(self, day: dt.date) -> bool:
        return not self.revoked and self.denied_on <= day < self.valid_until

    @property
    def ratings(self) -> list[str]:
        return [str(g.get("rating", "")) for g in self.goods]


class FlagStatus(models.TextChoices):
    OPEN = "open", "In force"
    CLEARED = "cleared", "Cleared"


class UndercutFlag(models.Model):
    """A case 'essentially identical' to a partner's denial in force: same destination, same rating, and an
    end user whose name the screening matcher matches with the denial's end user."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="undercut_flags")
    denial = models.ForeignKey(Denial, on_delete=models.PROTECT, related_name="flags")
    party_name = models.CharField(max_length=500)
    score = models.FloatField()
    ratings = models.JSONField(default=list)  # the ratings the case and the denial share
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["case", "denial"], name="undercut_flag_unique")]


class Consultation(models.Model):
    """The consultation of the denying state about one flag: request, deadline, answer, and (when we grant
    anyway) the notice to that state with our reasons."""

    flag = models.OneToOneField(UndercutFlag, on_delete=models.PROTECT, related_name="consultation")
    requested_on = models.DateField(db_index=True)
    deadline = models.DateField()
    request_note = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    answer_on = models.DateField(null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_reasons = models.TextField(blank=True)
    notice_on = models.DateField(null=True, blank=True)
    notice_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def answered(self) -> bool:
        return self.answer_on is not None

    @property
    def notified(self) -> bool:
        return self.notice_on is not None

    def closed_on(self, day: dt.date) -> bool:
        """The denying state answered, or its deadline passed without an answer (no grant before either)."""
        return self.answered or day > self.deadline
