"""The refusal criteria a decision may cite come from the ruleset in force (warden.legislation.criteria):
the EU Common Position criteria, the ATT articles and every national rule of the live reference revision.
The case page, the API and the CLI offer and check exactly that list; anything else is refused with the list
of what may be cited, and nothing is stored."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.models import Case, Referral, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import InvalidInput
from warden.cli import main
from warden.demo.scenarios import SCENARIOS
from warden.flows import case_decision
from warden.legislation import citable as live
from warden.legislation import services as legislation_services
from warden.legislation.criteria import INSTRUMENT_CRITERIA, citable
from warden.legislation.loader import bundled_reference, normalise, read_bundle
from warden.legislation.models import RevisionSource
from warden.lib.actors import system
from warden.testing import Personas

NATIONAL = "NATIONAL:salw-non-state"  # a national rule of the bundled ruleset, in force since 2010
UNKNOWN = "NATIONAL:UK-5"
CWC = {
    "id": "cwc-schedule-2",
    "effective_from": "2020-01-01",
    "citation": "National chemical weapons precursor policy (illustrative)",
    "when": {"ratings": ["1C350"]},
    "outcome": "risk",
    "explanation": "National policy: Schedule 2 precursors need a verified end user. Refer.",
}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_citable_criteria_are_the_instruments_and_the_national_rules_in_force() -> None:
    ref = bundled_reference()
    codes = [c.code for c in citable(ref, dt.date(2026, 1, 1))]
    assert codes[:8] == [f"EU-CP:{n}" for n in range(1, 9)]
    assert {"ATT:6.1", "ATT:6.2", "ATT:6.3", "ATT:7", "ATT:11"} <= set(codes)
    assert {NATIONAL, "NATIONAL:ai-surveillance-review"} <= set(codes)
    # Before a rule applies it cannot be cited: no ATT before the treaty, no AI rule before June 2024.
    early = [c.code for c in citable(ref, dt.date(2012, 1, 1))]
    assert NATIONAL in early and "NATIONAL:ai-surveillance-review" not in early
    assert not [c for c in early if c.startswith("ATT:")]
    national = next(c for c in citable(ref, dt.date(2026, 1, 1)) if c.code == NATIONAL)
    assert national.citation and "small arms" in national.label


@pytest.mark.django_db
def test_a_national_rule_of_a_newly_loaded_revision_becomes_citable() -> None:
    assert "NATIONAL:cwc-schedule-2" not in live.citable_map()
    bundle = normalise(read_bundle())
    bundle["national_rules"]["rules"].append(CWC)
    legislation_services.load_reference(
        actor=system("test"), bundle=bundle, source=RevisionSource.UPLOAD, note="CWC precursors"
    )
    assert live.citable_map()["NATIONAL:cwc-schedule-2"].startswith(
        "NATIONAL:cwc-schedule-2 National policy: Schedule 2 precursors need a verified end user"
    )


@pytest.mark.django_db
def test_the_case_page_cites_a_national_criterion_and_shows_its_label(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")  # the engine refuses too: no countersignature
    sam = _client(p.senior)
    page = html.unescape(sam.get(f"/cases/{case.pk}/").content.decode())
    assert f'value="{NATIONAL}"' in page
    r = sam.post(
        f"/cases/{case.pk}/act/finalise/",
        {"decision": "refused", "reason": "National policy", "criteria": ["EU-CP:7", NATIONAL]},
    )
    assert r.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.FINALISED and case.decision_criteria == ["EU-CP:7", NATIONAL]
    page = html.unescape(_client(p.exporter).get(f"/cases/{case.pk}/").content.decode())
    assert "EU-CP:7 Risk of diversion or re-export" in page
    assert f"{NATIONAL} National policy: no small arms" in page


@pytest.mark.django_db
def test_the_case_page_refuses_an_unknown_criterion(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")
    r = _client(p.senior).post(
        f"/cases/{case.pk}/act/finalise/", {"decision": "refused", "reason": "No", "criteria": [UNKNOWN]}
    )
    assert r.status_code == 422 and UNKNOWN in html.unescape(r.content.decode())
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


@pytest.mark.django_db
def test_the_service_refuses_an_uncitable_criterion_listing_what_is_citable(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")
    with pytest.raises(InvalidInput, match="not a refusal criterion of the ruleset in force") as exc:
        case_decision.finalise(
            actor=p.senior,
            case=case,
            decision="refused",
            reason="No",
            criteria=[UNKNOWN],
            citable=live.citable_map(),
        )
    assert exc.value.field == "criteria"
    assert "EU-CP:1" in str(exc.value) and NATIONAL in str(exc.value)
    consulted = f.in_consultation(p)
    referral = Referral.objects.get(case=consulted, team=p.adviser_fcdo.team)
    with pytest.raises(InvalidInput, match=UNKNOWN):
        case_decision.give_advice(
            actor=p.adviser_fcdo,
            referral=referral,
            kind="refuse",
            text="No",
            criteria=[UNKNOWN],
            citable=live.citable_map(),
        )
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


@pytest.mark.django_db
def test_the_api_and_cli_refuse_an_unknown_national_criterion(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")
    _, token = create_api_token(actor=p.senior, user=p.senior, name="tests")
    body = {"decision": "refused", "reason": "No", "criteria": [UNKNOWN]}
    r = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/applications/{case.reference}/finalise", data=json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 422
    assert UNKNOWN in r.json()["detail"] and NATIONAL in r.json()["detail"]
    argv = ["cases", "finalise", case.reference, "--as", p.senior.username, "--decision", "refused"]
    assert main([*argv, "--reason", "No", "--criterion", UNKNOWN]) == 2
    err = capsys.readouterr().err
    assert "not a refusal criterion of the ruleset in force" in err and NATIONAL in err
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW
    assert main([*argv, "--reason", "National policy", "--criterion", NATIONAL]) == 0
    assert Case.objects.get(pk=case.pk).decision_criteria == [NATIONAL]


def test_only_the_criteria_module_lists_the_instrument_criteria() -> None:
    root = Path(__file__).resolve().parents[2]
    # A copy of the list, or of a regex or message spelling it out (examples such as "EU-CP:7" are fine).
    listing = re.compile(r"EU-CP:8|EU-CP:\[1-8\]|EU-CP:1\.\.|6\.1, ATT:6\.2|6\.1/6\.2|6\\\.\[123\]|6\\\.1\|")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in {".py", ".html"}
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "criteria.py"
        and listing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert len(INSTRUMENT_CRITERIA) == 13


@pytest.mark.django_db
def test_the_case_page_labels_the_recommended_and_advised_criteria(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, decision="refused")  # recommended refusal under EU-CP:7
    page = html.unescape(_client(p.senior).get(f"/cases/{case.pk}/").content.decode())
    assert "Criteria: EU-CP:7 Risk of diversion or re-export." in page


def test_every_demo_refusal_cites_criteria_of_the_bundled_ruleset() -> None:
    codes = {c.code for c in citable(bundled_reference(), dt.date(2026, 1, 1))}
    assert {c for sc in SCENARIOS for c in sc.criteria} - codes == set()


@pytest.mark.django_db
def test_the_recommend_and_advice_forms_offer_and_check_the_same_criteria(personas: Personas) -> None:
    p = personas
    consulted = f.in_consultation(p)
    fiona = _client(p.adviser_fcdo)
    assert f'value="{NATIONAL}"' in fiona.get(f"/cases/{consulted.pk}/").content.decode()
    advice = {"kind": "refuse", "text": "National policy", "criteria": [NATIONAL]}
    r = fiona.post(f"/cases/{consulted.pk}/act/give_advice/", {**advice, "criteria": [UNKNOWN]})
    assert r.status_code == 422 and UNKNOWN in html.unescape(r.content.decode())
    assert fiona.post(f"/cases/{consulted.pk}/act/give_advice/", advice).status_code == 302
    assert Referral.objects.get(case=consulted, team=p.adviser_fcdo.team).advice.criteria == [NATIONAL]
    case = f.advised(p)
    r = _client(p.officer).post(
        f"/cases/{case.pk}/act/recommend/",
        {"decision": "refused", "reason": "Policy", "criteria": [NATIONAL]},
    )
    assert r.status_code == 302 and Case.objects.get(pk=case.pk).recommended_criteria == [NATIONAL]
