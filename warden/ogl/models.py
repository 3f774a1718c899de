"""Open general licences (OGLs): published by the authority as dated versions (law as data, like the embargo
and control-list files), registered for by exporters, and the exporters' reports of each use.

An OGL version is in force from `effective_from` (first day) until `effective_until` (the first day it is NO
LONGER in force; empty while in force), the convention of warden/legislation/data/*.yaml. A use is checked
against the version in force on its shipment date, never against today's version.

A registration's history is its `events` (registered, suspended, reinstated, deregistered, surrendered,
revoked): whether a registration covered a shipment is read from the history on the shipment date, so a use
reported late for a day before a suspension is accepted, and one shipped while suspended is refused even
after a reinstatement.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from warden.accounts.models import Organisation
from warden.lib import clock
from warden.rules.catch_all import END_USE_FLAGS as END_USE_FLAGS  # re-exported: the one list

# The end-use concerns that rule out an open licence (Reg. 2021/821 Art. 4 and 5 "informed"/"aware", the UAV
# flag of the application): the one list, the catch-all rules' (warden.rules.catch_all).
FLAG_LABELS = {
    "wmd": "WMD programme (weapons of mass destruction)",
    "military_end_use": "Military end use in an embargoed destination",
    "illegal_military_parts": "Parts of military items exported illegally",
    "internal_repression": "Internal repression (cyber-surveillance)",
    "uav": "Unmanned aerial vehicle (UAV)",
}


class OpenGeneralLicence(models.Model):
    """One open general licence, named by its reference (OGL-MIL-COMPONENTS); its terms are its versions."""

    reference = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    def version_on(self, day: dt.date) -> OglVersion | None:
        """The version in force on `day`, or None (not yet published for that day, or ended)."""
        for v in self.versions.all():  # ordered by effective_from; prefetched by the queries
            if v.in_force_on(day):
                return v
        return None


class OglVersion(models.Model):
    """The terms of an OGL from a date: conditions, destinations, ratings, end-use exclusions, value cap and
    the reporting rule. Never edited once published: a change is a new version."""

    ogl = models.ForeignKey(OpenGeneralLicence, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    citation = models.CharField(max_length=500)
    url = models.URLField(max_length=500, blank=True)
    conditions = models.TextField()
    permitted_destinations = models.JSONField(default=list)  # ISO 3166-1 alpha-2 codes
    excluded_destinations = models.JSONField(default=list)
    permitted_ratings = models.JSONField(default=list)  # control-list prefixes (rules.model.rating_matches)
    excluded_ratings = models.JSONField(default=list)
    excluded_end_use_flags = models.JSONField(default=list)  # of END_USE_FLAGS
    max_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    max_value_currency = models.CharField(max_length=3, blank=True)
    first_report_days = models.PositiveIntegerField(default=30)  # first use reported within N days
    report_every_months = models.PositiveIntegerField(default=6)  # then a return every N months
    note = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["ogl_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["ogl", "number"], name="ogl_version_unique_number"),
            models.UniqueConstraint(fields=["ogl", "effective_from"], name="ogl_version_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.ogl.reference} v{self.number}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day < self.effective_until)


class RegistrationStatus(models.TextChoices):
    EXTANT = "extant", "Extant"
    SUSPENDED = "suspended", "Suspended"
    DEREGISTERED = "deregistered", "Deregistered"
    SURRENDERED = "surrendered", "Surrendered"
    REVOKED = "revoked", "Revoked"


# Statuses after which a registration is over for good (a new registration is needed, or refused).
ENDED = frozenset(
    {RegistrationStatus.DEREGISTERED, RegistrationStatus.SURRENDERED, RegistrationStatus.REVOKED}
)


class OglRegistration(models.Model):
    """An organisation's registration to use an OGL. Its reference is quoted on customs declarations."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ogl_registrations")
    ogl = models.ForeignKey(OpenGeneralLicence, on_delete=models.PROTECT, related_name="registrations")
    reference = models.CharField(max_length=40, unique=True)
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=15, choices=RegistrationStatus.choices, default=RegistrationStatus.EXTANT
    )
    status_changed_at = models.DateTimeField()
    status_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_extant(self) -> bool:
        return self.status == RegistrationStatus.EXTANT

    def status_on(self, day: dt.date) -> str | None:
        """The status at the end of `day` from the history (None before the registration): a change made
        during a day counts for the whole day, so a shipment on the day of a suspension is not covered."""
        status = None
        for event in self.events.all():  # ordered by time
            if clock.local_date(event.at) > day:
                break
            status = event.status
        return status


class OglRegistrationEvent(models.Model):
    """One change of a registration's status, with who and why (the audit entry says the same, hashed)."""

    registration = models.ForeignKey(OglRegistration, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=15, choices=RegistrationStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class OglUse(models.Model):
    """One use reported by the exporter: a shipment made under the registration, as declared to customs."""

    registration = models.ForeignKey(OglRegistration, on_delete=models.PROTECT, related_name="uses")
    version = models.ForeignKey(OglVersion, on_delete=models.PROTECT, related_name="uses")
    shipped_on = models.DateField()
    destination = models.CharField(max_length=2)
    ratings = models.JSONField(default=list)
    description = models.TextField()
    quantity = models.PositiveIntegerField()
    value_amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    consignee_name = models.CharField(max_length=500)
    end_user_name = models.CharField(max_length=500)
    end_use_flags = models.JSONField(default=list)  # the concerns the exporter declared (none: empty)
    customs_declaration = models.CharField(max_length=80)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-shipped_on", "-pk"]
        constraints = [
            # A retried report of the same declaration is the same use, never a second one.
            models.UniqueConstraint(
                fields=["registration", "customs_declaration"], name="ogl_use_unique_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.reference} {self.customs_declaration}"


class OglReturn(models.Model):
    """One periodic return of a registration (warden.ogl.returns computes when each is due): a row exists
    once the holder files it, or once the daily sweep finds it missed. `missed_at` is the compliance flag on
    the registration, kept after a late filing (the record shows the return was late)."""

    registration = models.ForeignKey(OglRegistration, on_delete=models.PROTECT, related_name="returns")
    number = models.PositiveIntegerField()  # 1: the first-use return, then one every report_every_months
    period_start = models.DateField()
    due_on = models.DateField()
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uses = models.PositiveIntegerField(default=0)  # uses reported for the period when filed (0: a nil return)
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registration_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"], name="ogl_return_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.registration.reference} return {self.number}"
