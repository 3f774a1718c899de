"""Catch-all referrals: the exporter's duty-to-notify ("I have reason to believe...", Reg. (EU) 2021/821
Art. 4(2) and 5(2)) and the authority's own concern about an unlisted item, each decided as "a licence is
required" (the inform letter) or "not required" (after-licence.md §5.4 and §8.9).

While a referral is open the goods must not be exported. A "licence required" decision names its legal
basis and keeps the destination's embargo status as of the decision date, so the letter can be defended
later even after the embargo data changes; the exporter's licence application is then linked to it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from warden.accounts.models import Organisation
from warden.cases.models import Case

# Ireland's rule (Control of Exports Act 2023 s.10): notify at least 60 days before the export.
NOTICE_DAYS = 60


class Origin(models.TextChoices):
    EXPORTER = "exporter_notified", "Notified by the exporter"
    AUTHORITY = "authority_concern", "Raised by the authority"


class Status(models.TextChoices):
    ASSESSING = "assessing", "Being assessed: do not export"
    INFORMED = "informed", "Licence required (exporter informed)"
    NOT_REQUIRED = "not_required", "No licence required"
    APPLIED = "licence_application", "Licence applied for"


class Basis(models.TextChoices):
    ART4_1A = "art4_1a", "Reg. (EU) 2021/821 Art. 4(1)(a): weapons of mass destruction"
    ART4_1B = "art4_1b", "Reg. (EU) 2021/821 Art. 4(1)(b): military end use, embargoed destination"
    ART4_1C = "art4_1c", "Reg. (EU) 2021/821 Art. 4(1)(c): parts of illegally exported military items"
    ART5 = "art5", "Reg. (EU) 2021/821 Art. 5: cyber-surveillance, internal repression"
    NATIONAL = "national", "National measure (Reg. (EU) 2021/821 Art. 9)"


class Letter(models.TextChoices):
    """The inform letter's template (the UK's: WMD, military end use, both)."""

    WMD = "wmd", "Weapons of mass destruction"
    MILITARY = "military", "Military end use"
    BOTH = "military_and_wmd", "Military end use and weapons of mass destruction"
    REPRESSION = "repression", "Internal repression (cyber-surveillance)"
    NATIONAL = "national", "National measure"


# The letter a basis is written on unless the officer chooses otherwise.
DEFAULT_LETTER = {
    Basis.ART4_1A: Letter.WMD,
    Basis.ART4_1B: Letter.MILITARY,
    Basis.ART4_1C: Letter.MILITARY,
    Basis.ART5: Letter.REPRESSION,
    Basis.NATIONAL: Letter.NATIONAL,
}


class CatchAllReferral(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASSESSING, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="catch_all_referrals"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    # What is to be exported, and to whom.
    destination = models.CharField(max_length=2)
    goods_description = models.CharField(max_length=500)
    rating = models.CharField(max_length=40, blank=True)  # "" when the exporter believes it unlisted
    end_user_name = models.CharField(max_length=300)
    end_user_country = models.CharField(max_length=2)
    end_use = models.TextField()
    flags = models.JSONField(default=list)  # warden.rules.catch_all.END_USE_FLAGS the grounds point to
    grounds = models.TextField()  # what the exporter knows or suspects, or the authority's concern
    intended_export_on = models.DateField(null=True, blank=True)
    # The decision.
    basis = models.CharField(max_length=20, choices=Basis.choices, blank=True)
    letter = models.CharField(max_length=20, choices=Letter.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    embargo_status = models.JSONField(default=list, blank=True)  # the destination's embargoes on decided_on
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="catch_all_referral"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def open(self) -> bool:
        return self.status == Status.ASSESSING

    def short_notice(self) -> bool:
        """Notified fewer than NOTICE_DAYS before the intended export (the exporter is told; not refused)."""
        if self.intended_export_on is None:
            return False
        return (self.intended_export_on - self.raised_at.date()) < dt.timedelta(days=NOTICE_DAYS)


# How long a customs notice stands unless withdrawn earlier. The Regulation sets no term (the requirement is
# for the notified transaction); a year is Warden's default for one intended export (docs/catchall-format.md).
NOTICE_VALID_MONTHS = 12


class CatchAllNotice(models.Model):
    """What a "licence required" decision tells the other member states, the Commission and our customs
    (Reg. (EU) 2021/821 Art. 4(4)-(6), 5(4), 9(2), 10): written in the decision's transaction, exported as
    `warden.catchall/1` (docs/catchall-format.md) and shown to customs as a notice to stop the goods.

    The goods, parties and decision are the referral's, which no longer change once decided; the notice
    holds only what is its own: the issuing state and the days it stands."""

    referral = models.OneToOneField(CatchAllReferral, on_delete=models.PROTECT, related_name="notice")
    issuing_state = models.CharField(max_length=2)
    issued_on = models.DateField(db_index=True)
    valid_until = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"Notice {self.referral.reference}"

    @property
    def reference(self) -> str:
        return self.referral.reference

    def in_force_on(self, day: dt.date) -> bool:
        return self.issued_on <= day <= self.valid_until
