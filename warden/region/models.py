"""Arms transfers from the SIPRI Arms Transfers Database, as the user imported them (a trade-register CSV in
either of SIPRI's two export formats), for the regional-stability view (Common Position Criterion 4).

One Transfer row per deal and delivery year, as SIPRI's current export gives them. The legacy export gives
one row per deal with its delivery years listed and the numbers for all of them together; those rows are
spread evenly over the listed years (`spread`), which SIPRI does not do: the view says so where it shows
them. Unknown and non-state suppliers or recipients are kept with an empty code, never dropped."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TransferFile(models.Model):
    """One imported file: what it was and what SIPRI said about it (the `Data generated:` line)."""

    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    fmt = models.CharField(max_length=20)  # "register" (current) | "legacy"
    title = models.TextField(blank=True)  # the export's first line: which suppliers, recipients, years
    data_generated = models.CharField(max_length=100, blank=True)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class Transfer(models.Model):
    source = models.ForeignKey(TransferFile, on_delete=models.CASCADE, related_name="transfers")
    deal_id = models.CharField(max_length=20, blank=True)  # the register's id; the legacy export has none
    supplier = models.CharField(max_length=200)  # as SIPRI writes it ("Soviet Union", "unknown supplier(s)")
    supplier_code = models.CharField(max_length=2, blank=True, db_index=True)  # ISO; "" unknown/non-state
    recipient = models.CharField(max_length=200)
    recipient_code = models.CharField(max_length=2, blank=True, db_index=True)
    designation = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=40)  # SIPRI armament category (given, or derived: legacy)
    order_year = models.PositiveIntegerField(null=True)
    order_estimated = models.BooleanField(default=False)
    delivery_year = models.PositiveIntegerField(null=True, db_index=True)
    delivery_estimated = models.BooleanField(default=False)
    number = models.PositiveIntegerField(null=True)
    number_estimated = models.BooleanField(default=False)
    status = models.CharField(max_length=40, blank=True)  # New | Second hand | Second hand but modernized
    tiv_unit = models.DecimalField(max_digits=14, decimal_places=4, null=True)  # SIPRI TIV, millions
    tiv_delivered = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    local_production = models.BooleanField(default=False)
    spread = models.BooleanField(default=False)  # a legacy row's numbers divided over its delivery years

    class Meta:
        indexes = [models.Index(fields=["recipient_code", "delivery_year"])]

    def __str__(self) -> str:
        return f"{self.supplier} -> {self.recipient}: {self.designation} ({self.delivery_year})"
