"""The committee's own space: saved searches (anyone's, per user) and committee notes (oversight only).

Nothing here points into a case's own tables but a foreign key: the committee reads cases, never changes
them, and the authority never reads the committee's notes (policy.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.cases.models import Case


class SavedSearch(models.Model):
    """A search or list a person wants to come back to: its path and query string, under a name of theirs."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    path = models.CharField(max_length=200)  # e.g. /search/ or /oversight/cases/
    query = models.CharField(max_length=1000, blank=True)  # the query string, without "?"
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class CommitteeNote(models.Model):
    """A note of the oversight committee, on a case or general (case None). Append-only; read and written by
    the oversight role alone."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["case", "at"], name="committee_note_case")]
