"""Licence applications and their cases. An application document (warden.application/1) becomes a Case
with goods lines and parties; everything that happens to it is a CaseTransition row (see transitions.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from warden.accounts.models import Organisation, Team


class LicenceType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GLOBAL = "global", "Global"
    BROKERING = "brokering", "Brokering"
    TRANSIT = "transit", "Transit"
    TEMPORARY = "temporary", "Temporary"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    INITIAL_CHECKS = "initial_checks", "Initial checks"
    CONSULTATION = "consultation", "Consultation"
    UNDER_FINAL_REVIEW = "under_final_review", "Under final review"
    FINALISED = "finalised", "Finalised"
    LICENCE_ISSUED = "licence_issued", "Licence issued"
    UNDER_APPEAL = "under_appeal", "Under appeal"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.INITIAL_CHECKS,
        Status.CONSULTATION,
        Status.UNDER_FINAL_REVIEW,
        Status.UNDER_APPEAL,
    }
)


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REFUSED = "refused", "Refused"


class Case(models.Model):
    reference = models.CharField(max_length=40, unique=True)  # assigned by Warden: APP-<year>-<pk, 6 digits>
    # The exporter's own reference from the document ("reference"), if it gave one; informational only.
    client_reference = models.CharField(max_length=60, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    licence_type = models.CharField(max_length=20, choices=LicenceType.choices)
    destination = models.CharField(max_length=2, db_index=True)
    end_use = models.TextField()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The application exactly as the exporter gave it (warden.application/1), the source of truth for re-assessment.
    document = models.JSONField()

    # End-user certificate
    euc_number = models.CharField(max_length=100, blank=True)
    euc_issued_on = models.DateField(null=True, blank=True)
    euc_re_export = models.CharField(max_length=20, blank=True)  # prohibited | with_consent | permitted
    euc_delivery_verification = models.BooleanField(default=False)
    euc_post_shipment_verification = models.BooleanField(default=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Caseworking
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Service level: a deadline in working days, pushed back by the days spent waiting for the exporter.
    sla_days = models.PositiveIntegerField(default=20)
    sla_deadline = models.DateField(null=True, blank=True, db_index=True)
    paused_since = models.DateTimeField(null=True, blank=True)  # set while a request for information is open
    sla_paused_days = models.PositiveIntegerField(default=0)  # working days the clock has stood still so far

    # Recommendation (officer) and decision (senior officer): kept on the case for queues and reports;
    # the CaseTransition rows hold the full history.
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommended_decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    recommendation_reason = models.TextField(blank=True)
    recommended_criteria = models.JSONField(default=list, blank=True)  # required when recommending refusal
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True, db_index=True)
    decision_criteria = models.JSONField(default=list, blank=True)  # e.g. ["EU-CP:1", "EU-CP:7"]
    decision_reason = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    # A global application approved with some destination lines refused: [{"line", "country", "criteria"}]
    # (warden.cases.destination_lines); [] otherwise.
    refused_destinations = models.JSONField(default=list, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True, db_index=True)

    # Optimistic concurrency: every transition bumps it; a stale version is a conflict, not an overwrite.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The queue reads each open status in deadline order, ties by id (cases.web.queue.merged_ids);
            # paused_since lets the overdue filter and count read the index alone (migration 0004).
            models.Index(
                fields=["status", "sla_deadline", "id", "paused_since"], name="case_status_deadline_id"
            ),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["team", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class GoodsLine(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goods")
    line_no = models.PositiveIntegerField()  # 0-based, as goods[i] in the document and findings
    description = models.CharField(max_length=500)
    rating = models.CharField(max_length=40, db_index=True)
    quantity = models.PositiveIntegerField()
    value_amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["line_no"]
        constraints = [models.UniqueConstraint(fields=["case", "line_no"], name="goods_line_unique")]


class PartyRole(models.TextChoices):
    END_USER = "end_user", "End user"
    CONSIGNEE = "consignee", "Consignee"
    ULTIMATE_END_USER = "ultimate_end_user", "Ultimate end user"
    INTERMEDIARY = "intermediary", "Intermediary"
    BROKER = "broker", "Broker"
    EXPORTER = "exporter", "Exporter"


class Party(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    index = models.PositiveIntegerField()  # parties[i] in the document; the exporter is stored last
    role = models.CharField(max_length=30, choices=PartyRole.choices)
    party_type = models.CharField(max_length=20)  # organisation | person
    sector = models.CharField(max_length=30, default="unknown")
    name = models.CharField(max_length=500)
    aliases = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, blank=True)
    address = models.TextField(blank=True)
    identifiers = models.JSONField(default=list, blank=True)
    date_of_birth = models.CharField(max_length=10, blank=True)
    nationality = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["index"]


class Document(models.Model):
    """An uploaded PDF (end-user certificate, technical specification...). The bytes live under
    settings.UPLOAD_DIR, named by their SHA-256, never under a web root."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=40, default="end_user_certificate")
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class CaseTransition(models.Model):
    """One row per workflow step: who, when, from, to, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=40)  # a transitions.Action
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)  # "" for create
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    # Structured details of the step (decision and criteria, teams referred to, licence number...).
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Referral(models.Model):
    """A request for advice from a consulted department (a Team with is_advisory)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "team"], name="one_referral_per_team")]


class AdviceKind(models.TextChoices):
    APPROVE = "approve", "Approve"
    PROVISO = "proviso", "Approve with proviso"
    REFUSE = "refuse", "Refuse"
    NO_VIEW = "no_view", "No view"


class Advice(models.Model):
    """Internal advice from a consulted department. Never shown to the exporter."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="advice")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AdviceKind.choices)
    proviso = models.TextField(blank=True)
    criteria = models.JSONField(default=list, blank=True)  # required for refuse, e.g. ["EU-CP:2"]
    text = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)


class InformationRequest(models.Model):
    """A question to the exporter; while open, the case waits and its SLA clock is paused."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)


class CaseNote(models.Model):
    """An internal note by the authority. Never shown to the exporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()


class OverruleState(models.TextChoices):
    PENDING = "pending", "Awaiting countersignature"
    COUNTERSIGNED = "countersigned", "Countersigned"
    REJECTED = "rejected", "Rejected by the countersigning officer"


class DecisionOverrule(models.Model):
    """A final decision that goes against the criteria engine's recommendation (warden.cases.decisions): the
    finaliser's decision and written justification, held until a second senior officer (neither the finaliser
    nor the recommender) countersigns it, which finalises the case, or rejects it. One row per attempt, never
    deleted, so integrity indicators can count overrules, countersignatures and rejections."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="overrules")
    decision = models.CharField(max_length=30, choices=Decision.choices)
    criteria = models.JSONField(default=list, blank=True)
    reason = models.TextField()  # the reasons the exporter will read
    conditions = models.TextField(blank=True)
    justification = models.TextField()  # internal: why the engine is overruled
    # The provisos left out of the conditions, {advice pk (str): reason}, applied when countersigned.
    omitted_provisos = models.JSONField(default=dict, blank=True)
    engine_recommendation = models.CharField(max_length=30)
    engine_deny_criteria = models.JSONField(default=list, blank=True)
    assessment_id = models.PositiveIntegerField(
        null=True, blank=True
    )  # legislation.CaseAssessment it overrules
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        max_length=20, choices=OverruleState.choices, default=OverruleState.PENDING, db_index=True
    )
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersign_note = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(state="pending"), name="one_pending_overrule_per_case"
            )
        ]


class ProvisoOutcome(models.Model):
    """What became of an adviser's proviso when the case was decided: carried into the licence conditions, or
    left out with the officer's recorded reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proviso_outcomes")
    advice = models.ForeignKey(Advice, on_delete=models.PROTECT, related_name="outcomes")
    carried = models.BooleanField()
    reason = models.TextField(blank=True)  # required when not carried
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
