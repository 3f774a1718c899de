"""Sanctions lists and their versions, screening runs, matches and remembered decisions.

Every import is a new ListVersion holding a full copy of the list's entries, so that a past match can
always be explained against the exact entry it was raised on. Decisions (true match / false positive)
are remembered per (party fingerprint, list, entry id, entry digest): a changed party or a changed
entry is screened afresh.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.cases.models import Case, Party


class ScreeningList(models.Model):
    name = models.SlugField(max_length=40, unique=True)  # e.g. un-sc, eu-fsf, uk, us-csl
    title = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self) -> ListVersion | None:
        return self.versions.filter(is_current=True).first()


class ListVersion(models.Model):
    list = models.ForeignKey(ScreeningList, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    entries_count = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    is_current = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["list", "-number"]
        constraints = [models.UniqueConstraint(fields=["list", "number"], name="list_version_unique")]

    def __str__(self) -> str:
        return f"{self.list.name} v{self.number}"


class ListEntry(models.Model):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)  # person | organisation | vessel
    name = models.CharField(max_length=1000)
    # The parsed record (importers.ParsedEntry): every alias, weak alias, original-script name, date of
    # birth, nationality, address and identifier.
    data = models.JSONField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "entry_id"], name="list_entry_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.name}"


class ScreeningRun(models.Model):
    class Trigger(models.TextChoices):
        SUBMIT = "submit", "Application submitted"
        LIST_UPDATE = "list_update", "List updated"
        AMENDMENT = "amendment", "Application changed"
        MANUAL = "manual", "Manual"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screening_runs")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    list_versions = models.JSONField(default=list)  # ["un-sc v3", ...]
    # The exact list versions screened against: a case is "screened against an older list" when a list's
    # current version is not among those of its latest run (warden.flows.rescreening.stale_lists).
    versions = models.ManyToManyField(ListVersion, related_name="+", blank=True)
    threshold = models.FloatField()
    new_matches = models.PositiveIntegerField(default=0)


class RescreenJob(models.Model):
    """The re-screening of open cases owed after a list import, written in the import's transaction so that it
    survives a crash between the import's commit and the re-screen: `warden serve` startup, the task worker
    and `warden lists rescreen` finish every pending job (warden.flows.rescreening.run_pending)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"

    list_version = models.ForeignKey(ListVersion, on_delete=models.PROTECT, related_name="rescreen_jobs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cases = models.PositiveIntegerField(default=0)  # open cases re-screened by the run that finished it
    new_matches = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]


class MatchStatus(models.TextChoices):
    OPEN = "open", "Awaiting review"
    TRUE_MATCH = "true_match", "True match"
    FALSE_POSITIVE = "false_positive", "False positive"


class Match(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screening_matches")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="screening_matches")
    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="matches")
    list_name = models.CharField(max_length=40)
    entry_key = models.CharField(max_length=200)  # the list's own id for the entry
    entry_digest = models.CharField(max_length=64)
    party_fingerprint = models.CharField(max_length=64, db_index=True)
    query_name = models.CharField(max_length=500)
    matched_name = models.CharField(max_length=1000)
    score = models.FloatField()
    features = models.JSONField(default=dict)
    explanation = models.TextField()
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "list_name", "entry_key", "entry_digest"],
                name="match_once_per_entry_version",
            )
        ]


class Disposition(models.Model):
    """A remembered decision: the same party against the same version of the same entry is not raised
    again. Written by dispose_match; never edited, a new decision on a new match adds a new row."""

    party_fingerprint = models.CharField(max_length=64)
    list_name = models.CharField(max_length=40)
    entry_key = models.CharField(max_length=200)
    entry_digest = models.CharField(max_length=64)
    decision = models.CharField(max_length=20, choices=MatchStatus.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    # SET_NULL: an amendment replaces a case's parties (and so their matches); the decision is still
    # remembered for the party's fingerprint and applied when the re-screen raises the same entry again.
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="dispositions"
    )

    class Meta:
        indexes = [models.Index(fields=["party_fingerprint", "list_name", "entry_key", "entry_digest"])]
