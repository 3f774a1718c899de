"""Properties of the engine that must hold for any input (hypothesis)."""

from __future__ import annotations

import copy
import datetime as dt
import doctest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warden.lib.canonical import canonical_bytes
from warden.rules import effective, model
from warden.rules.evaluate import assess_document, findings_for, to_bytes
from warden.rules.model import RECOMMENDATION_RANK, Application, Finding, recommendation
from warden.rules.reference import Reference
from warden.rules.tests.support import application, reference

OUTCOMES = st.sampled_from(["deny", "risk", "condition", "pass"])
FINDINGS = st.builds(
    Finding,
    st.sampled_from(["EU-CP:1", "EU-CP:7", "ATT:6.1"]),
    st.just("r"),
    st.just("destination"),
    OUTCOMES,
    st.just(""),
    st.just(""),
)
COUNTRIES = st.sampled_from(
    ["NO", "LY", "IR", "CF", "SO", "IQ", "RU", "CN", "SA", "KP", "HT", "YE", "FR", "XX"]
)
SECTORS = st.sampled_from(
    ["armed_forces", "police", "government", "commercial", "non_state_armed_group", "unknown"]
)
RATINGS = st.sampled_from(["ML1.a", "ML4.a", "ML6.a", "ML10.b", "3A001", "0B001", "5A001.j", "NLR"])
DATES = st.dates(min_value=dt.date(1985, 1, 1), max_value=dt.date(2030, 12, 31))
CASES = st.fixed_dictionaries(
    {
        "destination": COUNTRIES,
        "sector": SECTORS,
        "goods": st.lists(RATINGS, min_size=1, max_size=3),
        "licence_type": st.sampled_from(["individual", "brokering", "transit", "temporary"]),
    }
)


def test_doctests_of_the_date_lookup_and_model() -> None:
    for mod in (effective, model):
        assert doctest.testmod(mod).failed == 0


@given(st.lists(FINDINGS, max_size=6))
def test_adding_a_deny_finding_never_improves_a_recommendation(findings: list[Finding]) -> None:
    before = recommendation(findings)
    after = recommendation([*findings, Finding("EU-CP:1", "x", "destination", "deny", "", "")])
    assert after == "refuse"
    assert RECOMMENDATION_RANK[after] >= RECOMMENDATION_RANK[before]


@given(st.lists(FINDINGS, max_size=6), FINDINGS)
def test_adding_any_finding_never_improves_a_recommendation(findings: list[Finding], extra: Finding) -> None:
    assert (
        RECOMMENDATION_RANK[recommendation([*findings, extra])]
        >= RECOMMENDATION_RANK[recommendation(findings)]
    )


def _with_new_embargo(ref: Reference, target: str, start: dt.date) -> Reference:
    bundle = copy.deepcopy(ref.bundle)
    bundle["embargoes"]["embargoes"].append(
        {
            "id": "test-new",
            "target": target,
            "body": "UN",
            "title": "Test embargo",
            "versions": [
                {
                    "effective_from": start.isoformat(),
                    "applies_to": "all",
                    "to_goods": ["arms", "dual_use"],
                    "citation": "UNSCR 9999 (test)",
                }
            ],
        }
    )
    return Reference(bundle)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CASES, DATES, st.integers(min_value=1, max_value=5000))
def test_assessing_before_a_records_start_ignores_it(case: dict, on: dt.date, days: int) -> None:
    start = on + dt.timedelta(days=days)
    base = reference()
    changed = _with_new_embargo(base, case["destination"] if case["destination"] != "XX" else "NO", start)
    app = Application.from_document(application(case))
    assert findings_for(app, base, on) == findings_for(app, changed, on)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    CASES, st.dates(min_value=dt.date(1986, 1, 1), max_value=dt.date(2030, 12, 31))
)  # embargo rules start 1986
def test_a_record_in_force_on_the_date_applies(case: dict, on: dt.date) -> None:
    dest = case["destination"] if case["destination"] != "XX" else "NO"
    changed = _with_new_embargo(reference(), dest, on)
    a = assess_document(application({**case, "destination": dest}), changed, on)
    # The test embargo covers every military and dual-use rating; "NLR" (not listed) is outside it.
    if any(r != "NLR" for r in case["goods"]):
        assert a["recommendation"] == "refuse"


@settings(max_examples=40, deadline=None)
@given(CASES, DATES)
def test_same_inputs_and_date_give_the_same_bytes(case: dict, on: dt.date) -> None:
    doc = application(case)
    first = to_bytes(assess_document(doc, reference(), on))
    again = to_bytes(assess_document(copy.deepcopy(doc), reference(), on))
    assert first == again
    assert first == canonical_bytes(assess_document(doc, reference(), on), allow_floats=True)
