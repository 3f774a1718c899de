"""No decision over an open screening question: while a party has an unreviewed match at or above the review
threshold, or was screened against an older list version than the one in force, a case cannot be finalised
(or a proposed decision countersigned) and a licence cannot be issued: by service, by a direct POST, by the
API (409) or by the CLI (exit 1), each with the sentence naming the party and the match."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from warden.cases.models import Case, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import Action, IllegalTransition
from warden.cli import main
from warden.flows import case_decision
from warden.flows import decisions as match_decisions
from warden.flows import rescreening as list_import
from warden.flows.case_decision import issue_licence
from warden.lib.actors import system
from warden.licences.models import Licence
from warden.screening import services
from warden.screening.models import Match, MatchStatus
from warden.testing import Personas

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"

KOMID = {
    "role": "end_user",
    "type": "organisation",
    "sector": "commercial",
    "name": "Korea Mining Development Trading Corporation",
    "country": "KP",
}


def _import(path: Path | None = None) -> Any:
    return list_import.import_list(
        actor=system("test"),
        list_name="un-sc",
        fmt="un-xml",
        path=path or FIXTURES / "un.xml",
        rescreen="none",
    )


def _new_version(tmp_path: Path) -> Any:
    """A second version of the UN list (one entry changed)."""
    changed = tmp_path / "un2.xml"
    changed.write_text((FIXTURES / "un.xml").read_text().replace("<YEAR>1965</YEAR>", "<YEAR>1964</YEAR>"))
    return _import(changed)


def _listed_case(p: Personas) -> tuple[Case, Match]:
    """Under final review, recommended for approval, with an unreviewed 0.90+ match on the end user."""
    _import()
    case = f.under_final_review(p, parties=[KOMID])
    match = Match.objects.get(case=case, entry_key="KPe.001")
    assert match.status == MatchStatus.OPEN and match.score >= 0.9
    return case, match


def _reason(match: Match) -> str:
    return (
        f"Party 'Korea Mining Development Trading Corporation' has an unreviewed screening match with "
        f"'{match.entry.name}' (un-sc, {match.score:.2f})"
    )


def _refuse(p: Personas, case: Case) -> None:
    case_decision.finalise(
        actor=p.senior, case=case, decision="refused", reason="Listed", criteria=["EU-CP:1"]
    )


# ------------------------------------------------------------------------------------------ finalising


def test_a_senior_officer_cannot_finalise_over_an_unreviewed_match(personas: Personas) -> None:
    p = personas
    case, match = _listed_case(p)
    before = Case.objects.get(pk=case.pk).version
    for kwargs in (
        {"decision": "refused", "reason": "Listed", "criteria": ["EU-CP:1"]},
        {"decision": "approved", "reason": "Fine", "justification": "I know them"},
    ):
        with pytest.raises(IllegalTransition) as exc:
            case_decision.finalise(actor=p.senior, case=Case.objects.get(pk=case.pk), **kwargs)  # type: ignore[arg-type]
        assert (
            str(exc.value) == f"Cannot finalise {case.reference}: {_reason(match)}: decide each match "
            "(true match or false positive) first"
        )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.version, stored.decision) == (Status.UNDER_FINAL_REVIEW, before, "")
    assert case_decision.why_not(p.senior, stored, Action.FINALISE) == str(exc.value)
    assert Action.FINALISE not in case_decision.allowed_actions(p.senior, stored)


def test_once_the_match_is_reviewed_the_case_can_be_finalised(personas: Personas) -> None:
    p = personas
    case, match = _listed_case(p)
    match_decisions.dispose_match(actor=p.officer, match=match, decision=MatchStatus.TRUE_MATCH)
    _refuse(p, case)
    assert case.status == Status.FINALISED and case.decision == "refused"


def test_a_match_below_the_review_threshold_does_not_hold_the_decision(
    personas: Personas, settings: Any
) -> None:
    p = personas
    case, match = _listed_case(p)
    Match.objects.filter(pk=match.pk).update(score=0.75)
    settings.SCREENING_REVIEW_THRESHOLD = 0.80
    assert case_decision.why_not(p.senior, case, Action.FINALISE) is None
    settings.SCREENING_REVIEW_THRESHOLD = 0.75
    assert "(un-sc, 0.75)" in (case_decision.why_not(p.senior, case, Action.FINALISE) or "")


def test_a_direct_post_cannot_finalise_and_the_page_says_why(personas: Personas) -> None:
    p = personas
    case, match = _listed_case(p)
    sam = f.client_for(p.senior)
    page = sam.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="blocked-action" data-action="finalise"' in page
    assert "has an unreviewed screening match with" in page and f"{match.score:.2f}" in page
    assert f'action="/cases/{case.pk}/act/finalise/"' not in page
    r = sam.post(
        f"/cases/{case.pk}/act/finalise/",
        {"decision": "refused", "reason": "Listed", "criteria": ["EU-CP:1"]},
    )
    assert r.status_code == 403
    assert "has an unreviewed screening match with" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_the_api_answers_409_with_the_reason(personas: Personas) -> None:
    p = personas
    case, match = _listed_case(p)
    r = f.api_for(p.senior).post(
        f"/api/applications/{case.reference}/finalise",
        data=json.dumps({"decision": "refused", "reason": "Listed", "criteria": ["EU-CP:1"]}),
        content_type="application/json",
    )
    assert r.status_code == 409, r.content
    assert _reason(match) in r.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_the_cli_exits_non_zero_with_the_reason(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    p = personas
    case, match = _listed_case(p)
    argv = ["cases", "finalise", case.reference, "--as", p.senior.username, "--decision", "refused"]
    assert main([*argv, "--reason", "Listed", "--criterion", "EU-CP:1"]) == 1
    assert _reason(match) in capsys.readouterr().err.replace("\n", " ")
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_the_api_and_cli_finalise_once_the_gate_is_open(personas: Personas) -> None:
    p = personas
    case, match = _listed_case(p)
    match_decisions.dispose_match(actor=p.officer, match=match, decision=MatchStatus.TRUE_MATCH)
    r = f.api_for(p.senior).post(
        f"/api/applications/{case.reference}/finalise",
        data=json.dumps({"decision": "refused", "reason": "Listed", "criteria": ["EU-CP:1"]}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "finalised" and r.json()["decision"] == "refused"


# ------------------------------------------------------------------------------------------ list versions


def test_a_party_screened_against_an_older_list_version_holds_the_decision(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    _import()
    case = f.under_final_review(p)  # clean parties: screened against un-sc v1, no match
    _new_version(tmp_path)  # imported, its re-screen not yet run
    with pytest.raises(IllegalTransition) as exc:
        case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Fine")
    assert "Parties 'Norwegian Defence Materiel Agency'" in str(exc.value)
    assert "were screened against un-sc version 1; current is 2" in str(exc.value)
    services.screen_case(actor=system("test"), case=case)
    case_decision.finalise(
        actor=p.senior, case=Case.objects.get(pk=case.pk), decision="approved", reason="Fine"
    )
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED


def test_a_list_in_force_the_case_was_never_screened_against_holds_the_decision(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)  # submitted before any list was loaded
    _import()
    why = case_decision.why_not(p.senior, case, Action.FINALISE)
    assert why is not None and "never screened against un-sc (version 1 is in force)" in why


# ------------------------------------------------------------------------------------------ licences


def _approved_then_listed(p: Personas, tmp_path: Path) -> tuple[Case, Match]:
    """Finalised for approval on a clean screening; then a new list version lists the end user and the
    re-screen raises an open match before the licence is issued."""
    _import()
    case = f.finalised(p)
    listed = tmp_path / "un-listed.xml"
    listed.write_text(
        (FIXTURES / "un.xml")
        .read_text()
        .replace("KOREA MINING DEVELOPMENT TRADING CORPORATION", "NORWEGIAN DEFENCE MATERIEL AGENCY")
        # The listed body is the Norwegian one (a match on generic words across countries is not raised).
        .replace(
            "<CITY>Pyongyang</CITY><COUNTRY>DPRK</COUNTRY>", "<CITY>Kjeller</CITY><COUNTRY>Norway</COUNTRY>"
        )
    )
    _import(listed)
    services.screen_case(actor=system("test"), case=case)
    match = Match.objects.get(
        case=case, status=MatchStatus.OPEN, party__name="Norwegian Defence Materiel Agency"
    )
    return Case.objects.get(pk=case.pk), match


def test_no_licence_is_issued_over_an_open_match_by_any_path(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = personas
    case, match = _approved_then_listed(p, tmp_path)
    expected = (
        f"Cannot issue a licence on {case.reference}: Party 'Norwegian Defence Materiel Agency' has an "
        "unreviewed screening match"
    )
    with pytest.raises(IllegalTransition, match=expected):
        issue_licence(actor=p.officer, case=case)
    r = f.client_for(p.officer).post(f"/cases/{case.pk}/act/issue_licence/", {})
    assert r.status_code == 403 and expected in html.unescape(r.content.decode())
    r = f.api_for(p.officer).post(f"/api/applications/{case.reference}/licence")
    assert r.status_code == 409 and r.json()["detail"].startswith(expected)
    assert main(["licences", "issue", case.reference, "--as", p.officer.username]) == 1
    assert "has an unreviewed screening match" in capsys.readouterr().err.replace("\n", " ")
    assert not Licence.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED
    match_decisions.dispose_match(
        actor=p.officer, match=match, decision=MatchStatus.FALSE_POSITIVE, reason="Ours"
    )
    assert main(["licences", "issue", case.reference, "--as", p.officer.username]) == 0
    assert Licence.objects.filter(case=case).exists()


def test_no_licence_is_issued_against_an_older_list_version(personas: Personas, tmp_path: Path) -> None:
    p = personas
    _import()
    case = f.finalised(p)
    _new_version(tmp_path)
    with pytest.raises(IllegalTransition, match="screened against un-sc version 1; current is 2"):
        issue_licence(actor=p.officer, case=case)


def test_an_officer_re_screens_a_finalised_case_from_its_page(personas: Personas, tmp_path: Path) -> None:
    """A case finalised for approval is not re-screened with the open ones; its page offers the re-screen
    that opens the gate for its licence."""
    p = personas
    _import()
    case = f.finalised(p)
    _new_version(tmp_path)
    olivia = f.client_for(p.officer)
    page = html.unescape(olivia.get(f"/cases/{case.pk}/").content.decode())
    assert 'data-testid="rescreen"' in page and "screened against un-sc version 1; current is 2" in page
    assert f.client_for(p.exporter).post(f"/screening/cases/{case.pk}/rescreen/").status_code == 404
    assert f.client_for(p.oversight).post(f"/screening/cases/{case.pk}/rescreen/").status_code == 403
    assert olivia.post(f"/screening/cases/{case.pk}/rescreen/").status_code == 302
    assert 'data-testid="rescreen"' not in olivia.get(f"/cases/{case.pk}/").content.decode()
    issue_licence(actor=p.officer, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).status == Status.LICENCE_ISSUED


def test_a_proposed_overrule_is_not_countersigned_over_an_open_question(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    _import()
    case = f.under_final_review(p)  # the engine approves; refusing proposes an overrule
    case_decision.finalise(
        actor=p.senior,
        case=case,
        decision="refused",
        reason="Risk",
        criteria=["EU-CP:7"],
        justification="Reporting the engine does not hold",
    )
    _new_version(tmp_path)
    with pytest.raises(IllegalTransition, match="Cannot countersign the decision on .*current is 2"):
        case_decision.countersign(actor=p.senior2, case=case)
    services.screen_case(actor=system("test"), case=case)
    case_decision.countersign(actor=p.senior2, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED
