"""The risk planning (warden.enduse.planning, pure): which check, when, and why."""

from __future__ import annotations

import datetime as dt

from warden.enduse import planning
from warden.enduse.planning import DVC, PSV, Certificate, EndUserRecord, Inputs

DAY = dt.date(2026, 6, 1)
CLEAN_CERT = Certificate(present=True, re_export="prohibited")


def _plan(**kw: object) -> planning.Plan:
    base: dict[str, object] = {
        "destination": "NO",
        "country_levels": {"diversion": "low"},
        "ratings": ["5A002"],
        "certificate": CLEAN_CERT,
        "starts_on": DAY,
    }
    base.update(kw)
    return planning.plan(Inputs(**base))  # type: ignore[arg-type]


def test_a_low_risk_export_with_a_clean_certificate_needs_no_check() -> None:
    p = _plan()
    assert (p.planned, p.kind, p.due_on, p.score) == (False, None, None, 5)
    assert p.reasons[-1] == "score 5 is below 30: no check planned"


def test_military_goods_to_a_high_diversion_risk_destination_get_a_dvc_due_90_days_after_shipment() -> None:
    p = _plan(country_levels={"diversion": "high"}, ratings=["ML10.d"])
    assert (p.planned, p.kind, p.score) == (True, DVC, 50)
    assert p.due_on == DAY + dt.timedelta(days=90)
    assert "NO: diversion risk assessed high (+30)" in p.reasons
    assert "military goods (ML10.d) (+20)" in p.reasons


def test_an_end_user_that_diverted_before_gets_a_post_shipment_visit_due_180_days_after() -> None:
    p = _plan(ratings=["ML10.d"], end_user=EndUserRecord(diversions=1))
    assert (p.kind, p.score, p.due_on) == (PSV, 75, DAY + dt.timedelta(days=180))
    assert "the end user diverted goods before (1 finding(s)) (+50)" in p.reasons
    assert "the certificate gives no consent to on-site checks: ask the importing government" in p.reasons


def test_the_certificates_delivery_verification_clause_plans_a_dvc_even_at_low_risk() -> None:
    p = _plan(certificate=Certificate(present=True, re_export="with_consent", delivery_verification=True))
    assert (p.planned, p.kind, p.score) == (True, DVC, 5)
    assert p.reasons[-1] == "the end-user certificate provides for a delivery verification certificate"


def test_re_export_clauses_weigh_permitted_and_missing_ones() -> None:
    assert _plan(certificate=Certificate(present=True, re_export="permitted")).score == 20
    assert _plan(certificate=Certificate(present=True, re_export="")).score == 15
    p = _plan(certificate=Certificate())
    assert p.score == 15 and "no end-user certificate, so no re-export undertaking (+10)" in p.reasons


def test_proliferation_sensitive_dual_use_ratings_weigh_like_military_ones() -> None:
    assert (
        planning.is_sensitive("1C350") and planning.is_sensitive("0A001") and planning.is_sensitive("9A101")
    )
    assert not planning.is_sensitive("5A002") and not planning.is_sensitive("ML10.d")
    assert (
        planning.is_military("ML10.d") and planning.is_military("ml4") and not planning.is_military("5A002")
    )
    p = _plan(ratings=["1C350"], country_levels={"diversion": "medium"})
    assert (p.kind, p.score) == (DVC, 35)


def test_instability_and_our_own_earlier_diversion_findings_in_the_destination_add_up() -> None:
    levels = {"diversion": "medium", "internal_conflict": "high", "terrorism": "critical"}
    p = _plan(country_levels=levels, destination_diversions=3)
    assert "NO: internal conflict, terrorism risk high (+10)" in p.reasons
    assert "NO: 3 diversion(s) found by earlier checks (+30)" in p.reasons  # capped at 30
    assert (p.score, p.kind) == (55, DVC)


def test_concerns_about_the_end_user_are_capped() -> None:
    assert _plan(end_user=EndUserRecord(concerns=5)).score == 5 + 30
