"""Read-only look-ups of cases that more than one caller makes, on the ORM.

The status API is called by exporters' systems in loops: one query for the case with its licence (joined,
the application document deferred since the call never shows it) and one for its open requests."""

from __future__ import annotations

from warden.cases.models import Case, InformationRequest


def case_with_licence(reference: str) -> Case | None:
    """The case with this reference, its licence joined (None when it has none), or None. No permission
    check: callers check policy.can_view_case on the result."""
    return Case.objects.select_related("licence").defer("document").filter(reference=reference).first()


def open_requests(case: Case) -> list[InformationRequest]:
    """The case's unanswered requests for information, oldest first."""
    return list(
        InformationRequest.objects.filter(case=case, answered_at__isnull=True).order_by("asked_at", "id")
    )
