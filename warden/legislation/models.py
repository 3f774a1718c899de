"""Reference-data revisions (the law as data, versioned), country profiles, the assessment stored with
each case, and law-change impact runs with their review queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.cases.models import Case
from warden.licences.models import Licence


class RevisionSource(models.TextChoices):
    BUNDLED = "bundled", "Bundled data files"
    UPLOAD = "upload", "Uploaded change"
    COUNTRY_EDIT = "country_edit", "Country profile edit"


class ReferenceRevision(models.Model):
    """One complete, validated set of reference data. Never edited: a change is a new revision, so any
    stored assessment can be rebuilt from the revision it names."""

    number = models.PositiveIntegerField(unique=True)
    digest = models.CharField(max_length=80, db_index=True)  # over the per-kind digests
    digests = models.JSONField()  # {kind: "sha256:..."}
    bundle = models.JSONField()  # the normalised data itself
    source = models.CharField(max_length=20, choices=RevisionSource.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"revision {self.number}"


class CountryProfile(models.Model):
    """The current profile of a country (membership and dated assessments), mirrored from the latest
    revision for listing and editing; the revision's bundle stays the source of truth."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)
    data = models.JSONField()
    revision = models.ForeignKey(ReferenceRevision, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CaseAssessment(models.Model):
    """A warden.assessment/1 document computed for a case, with what it was computed from. The rows of a
    case are its assessment's versions (1, 2, ...): every change to an input (screening, a match decision,
    the law, an amendment) adds one that names its cause and what changed against the version before; the
    highest version is the current one (warden.flows.reassessment)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    revision = models.ForeignKey(ReferenceRevision, null=True, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    recommendation = models.CharField(max_length=30, db_index=True)
    criteria = models.JSONField(default=list)  # criteria with a non-pass finding
    document = models.JSONField()
    ruleset_digest = models.CharField(max_length=80)
    trigger = models.CharField(max_length=20, default="submit")  # submit | manual | impact
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # What event made this version (warden.flows.reassessment.Cause) and who or what: an actor's name or a
    # system reason such as "list import un-sc v4".
    cause = models.CharField(max_length=40, default="submit")
    caused_by = models.CharField(max_length=200, blank=True)
    # Against the version before: {"added": [finding], "removed": [finding], "changed": [{"before", "after"}],
    # "recommendation": {"before", "after"}}; empty for version 1.
    diff = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-version", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="case_assessment_version_unique")
        ]


class RunKind(models.TextChoices):
    CHANGE = "change", "Law change"
    WHAT_IF = "what_if", "What-if"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImpactRun(models.Model):
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    from_revision = models.ForeignKey(
        ReferenceRevision, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_revision = models.ForeignKey(ReferenceRevision, null=True, on_delete=models.PROTECT, related_name="+")
    proposal = models.JSONField(null=True, blank=True)  # what-if: the proposed bundle, never made live
    years = models.PositiveIntegerField(default=3)  # what-if: how far back decisions are replayed
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    affected = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"impact run {self.pk} ({self.kind})"


class ItemState(models.TextChoices):
    PENDING = "pending", "To review"
    REVIEWED = "reviewed", "Reviewed, no action"
    SUSPENDED = "suspended", "Licence suspended"


class ImpactItem(models.Model):
    """A case or live licence whose assessment changes under the new law: the review queue."""

    run = models.ForeignKey(ImpactRun, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    licence = models.ForeignKey(Licence, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    destination = models.CharField(max_length=2)
    before_recommendation = models.CharField(max_length=30)
    after_recommendation = models.CharField(max_length=30)
    before_criteria = models.JSONField(default=list)
    after_criteria = models.JSONField(default=list)
    added = models.JSONField(default=list)  # findings new under the changed law
    removed = models.JSONField(default=list)  # findings that no longer apply
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        indexes = [models.Index(fields=["run", "state"])]
