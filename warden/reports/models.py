"""What the authority records for its returns beyond the licensing data: the UN Register's background
forms (military holdings, procurement through national production) per category and year, and an
officer's per-line category where a control-list rating alone does not decide the ATT/UNROCA row."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.cases.models import GoodsLine


class BackgroundForm(models.TextChoices):
    HOLDINGS = "holdings", "Military holdings"
    PRODUCTION = "production", "Procurement through national production"


UNROCA_CATEGORIES = ("I", "II", "III", "IV", "V", "VI", "VII")


class UnrocaBackground(models.Model):
    """One row of a background form: the state's items in a UNROCA category (I-VII) at the end of the
    calendar year (holdings) or procured through national production during it. A category with no row
    is not reported; a form with no row at all is reported as nil."""

    form = models.CharField(max_length=12, choices=BackgroundForm.choices)
    year = models.PositiveIntegerField()
    category = models.CharField(max_length=3)
    number_of_items = models.PositiveIntegerField()
    description = models.CharField(max_length=500, blank=True)
    comments = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "year", "category"], name="unroca_background_unique")
        ]
        ordering = ["form", "year", "category"]


class LineCategory(models.Model):
    """The ATT/UNROCA row an officer gave one goods line (a code of categories.yaml `line_categories`),
    used instead of the rating's default where the rating covers several rows (ML6.a tanks or armoured
    vehicles, ML10.a aircraft or helicopters, ML1.a the small-arms sub-rows...)."""

    goods_line = models.OneToOneField(GoodsLine, on_delete=models.CASCADE, related_name="report_category")
    code = models.CharField(max_length=12)
    reason = models.CharField(max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()
