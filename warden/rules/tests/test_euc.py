"""End-user certificate findings as the law frames them: dates and validity refer under criterion 7; a
certificate silent on re-export gets a proposed licence condition, never a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from warden.lib.canonical import canonical_bytes
from warden.rules.euc import RE_EXPORT_CONDITION
from warden.rules.evaluate import assess_document, to_bytes
from warden.rules.tests.support import application, reference

ON = dt.date(2026, 3, 1)


def _findings(case: dict[str, Any], rule: str) -> list[dict[str, str]]:
    a = assess_document(application({"destination": "NO", **case}), reference(), ON)
    return [f for f in a["findings"] if f["rule"] == rule]


def test_a_silent_certificate_proposes_a_re_export_condition_under_criterion_7() -> None:
    [f] = _findings({"euc": {"re_export": None}}, "euc.re_export")
    assert (f["outcome"], f["criterion"]) == ("condition", "EU-CP:7")
    assert f["condition"] == RE_EXPORT_CONDITION
    assert "not a prohibition" in f["explanation"]


def test_no_certificate_clause_ever_makes_re_export_a_refusal() -> None:
    for clause in (None, "prohibited", "with_consent", "permitted"):
        outcomes = {f["outcome"] for f in _findings({"euc": {"re_export": clause}}, "euc.re_export")}
        assert "deny" not in outcomes, clause


def test_pass_findings_carry_no_condition_key_and_the_bytes_stay_canonical() -> None:
    a = assess_document(application({"destination": "NO", "euc": {"re_export": None}}), reference(), ON)
    assert all("condition" not in f for f in a["findings"] if f["outcome"] == "pass")
    assert to_bytes(a) == canonical_bytes(a, allow_floats=True)


def test_a_late_certificate_names_both_dates() -> None:
    [f] = _findings({"submitted_on": "2026-02-01", "euc": {"issued_on": "2026-02-10"}}, "euc.issue_date")
    assert (f["outcome"], f["criterion"]) == ("risk", "EU-CP:7")
    assert "2026-02-10" in f["explanation"] and "2026-02-01" in f["explanation"]


def test_a_lapsed_certificate_names_its_validity() -> None:
    [f] = _findings({"euc": {"issued_on": "2024-01-01", "valid_until": "2025-12-31"}}, "euc.expired")
    assert f["outcome"] == "risk" and "2025-12-31" in f["explanation"]


def test_an_embargo_exemption_with_notification_proposes_the_notification_as_a_condition() -> None:
    # UNSCR 2009 (2011): supplies to the Libyan authorities are exempt if notified to the Committee in advance.
    a = assess_document(application({"destination": "LY"}), reference(), dt.date(2012, 6, 1))
    [un] = [f for f in a["findings"] if f["rule"] == "embargo.un.arms"]
    assert un["outcome"] == "condition" and "sanctions committee" in un["condition"]
