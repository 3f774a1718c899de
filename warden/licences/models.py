"""Licences issued on finalised cases, their goods lines with licensed quantity and value, and the
shipments drawn down against them."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from django.conf import settings
from django.db import models

from warden.cases.models import Case, GoodsLine


class LicenceStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SURRENDERED = "surrendered", "Surrendered"
    EXPIRED = "expired", "Expired"
    EXHAUSTED = "exhausted", "Exhausted"


LIVE_LICENCE_STATUSES = frozenset({LicenceStatus.ISSUED, LicenceStatus.SUSPENDED})
# What a licence document and the public verification page must flag on every page: the holder may not
# rely on the licence any more (or for now), whatever the paper in their hands says.
NOT_VALID_STATUSES = frozenset(
    {LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.EXPIRED, LicenceStatus.SURRENDERED}
)


def new_verification_code() -> str:
    """128 random bits in base32 (26 characters, no padding): the public verification code of a licence.
    Random rather than derived from the number, so that nobody can guess the code of a licence they only
    know the number of, nor walk the codes in order."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


def normalise_verification_code(raw: str) -> str:
    """A code as typed or scanned: case, spaces and hyphens do not matter (people copy it from paper)."""
    return "".join(raw.split()).replace("-", "").upper()


class Licence(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="licence")
    number = models.CharField(max_length=40, unique=True)
    status = models.CharField(
        max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.ISSUED, db_index=True
    )
    valid_from = models.DateField()
    valid_until = models.DateField(db_index=True)
    conditions = models.TextField(blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)
    verification_code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    # A temporary licence: the day the goods must be back (from the application), and the day they were.
    return_due = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.number

    def effective_status(self, on: dt.date) -> str:
        """The status a reader must act on at `on`: the stored one, except that an issued licence past its
        last valid day is expired even before the nightly expiry job has recorded it."""
        if self.status == LicenceStatus.ISSUED and self.valid_until < on:
            return LicenceStatus.EXPIRED
        return self.status

    def return_overdue(self, on: dt.date) -> bool:
        return self.return_due is not None and self.returned_on is None and self.return_due < on

    def verification_url(self) -> str:
        """Where anyone can check this licence's current status (printed and QR-coded on the PDF). Built from
        settings.PUBLIC_BASE_URL and the public route /verify/<code>/ (warden.transparency.urls)."""
        return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/verify/{self.verification_code}/"


class LicenceLine(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="lines")
    goods_line = models.ForeignKey(GoodsLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    value_amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipped_quantity = models.PositiveIntegerField(default=0)
    shipped_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)


class LicenceDestination(models.Model):
    """One destination line of a global licence (the application's destinations[index], approved): the
    country, the goods lines and parties it covers, and its own caps, drawn down by the shipments to it
    separately from the goods lines' totals (warden.licences.shipments). A licence without these rows is
    for its case's one destination."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="destinations")
    index = models.PositiveIntegerField()  # destinations[index] in the application
    country = models.CharField(max_length=2)
    goods_lines = models.JSONField(default=list)  # line_no of the goods lines it covers
    parties = models.JSONField(default=list)  # [{"index", "role", "name", "country"}] as on the application
    quantity_cap = models.PositiveIntegerField(null=True, blank=True)
    value_cap = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)  # the value cap's (the goods lines' currency)
    shipped_quantity = models.PositiveIntegerField(default=0)
    shipped_value = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["licence", "index"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "country"], name="licence_destination_once")
        ]


class LicenceTransition(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=40)  # a licences.policy.LicenceAction
    from_status = models.CharField(max_length=20, choices=LicenceStatus.choices, blank=True)  # "" for issue
    to_status = models.CharField(max_length=20, choices=LicenceStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Shipment(models.Model):
    """A shipment drawn down against a licence line (quantity and value used), in the line's currency.

    `idempotency_key` is the caller's name for this one shipment (the API's Idempotency-Key header, the
    licence form's hidden one-time key, a CSV return's declaration reference): the same key from the same
    recorder on the same licence records nothing new (warden.licences.services.record_shipment_once).
    Empty when none was given; the constraint is partial (a condition PostgreSQL and SQLite both support), so
    shipments recorded without a key never collide."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="shipments")
    line = models.ForeignKey(LicenceLine, on_delete=models.PROTECT, related_name="shipments")
    # The destination line of a global licence it went to (None on a licence for one destination).
    destination = models.ForeignKey(
        LicenceDestination, null=True, blank=True, on_delete=models.PROTECT, related_name="shipments"
    )
    quantity = models.PositiveIntegerField()
    value_amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    shipped_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "recorded_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="shipment_idempotency_key_once",
            )
        ]


class LicenceAmendment(models.Model):
    """A proposed change to a live licence, assessed as its own case (screened, assessed, consulted and decided
    under the same separation of duties as an application); granting it makes a new LicenceVersion.

    The case's document holds the licence's terms as amended (goods, quantities, values, parties, end use);
    `valid_until` a proposed new last day of validity, when the change is to the validity."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="amendments")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="licence_amendment")
    based_on = models.PositiveIntegerField()  # the licence version the proposal amends
    reason = models.TextField()
    valid_until = models.DateField(null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class LicenceVersion(models.Model):
    """One version of a licence's terms, kept readable after it is superseded. Version 1 is the licence as
    issued (recorded when the first amendment is granted); each granted amendment adds the next. A shipment
    is checked against the version in force on its date (warden.licences.versions.version_on)."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    effective_from = models.DateField()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")  # whose terms these are
    valid_until = models.DateField()
    conditions = models.TextField(blank=True)
    # [{"line": LicenceLine pk, "line_no", "description", "rating", "quantity", "value_amount", "currency"}]
    lines = models.JSONField(default=list)
    # Against the version before: {"goods": [...], "parties": [...], "fields": {...}}; {} for version 1.
    diff = models.JSONField(default=dict, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["licence", "number"]
        constraints = [models.UniqueConstraint(fields=["licence", "number"], name="licence_version_once")]
