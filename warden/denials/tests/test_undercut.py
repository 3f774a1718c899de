"""Undercut consultation: an application essentially identical to a partner's denial in force is flagged on
submission; no licence is issued on it until the denying state was consulted and answered and the notice
with our reasons is recorded; a refusal is never held up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from warden.cases import services as cases
from warden.cases.models import Case, Status
from warden.cases.tests import factories as f
from warden.denials import queries, services
from warden.denials.models import Consultation, FlagStatus, UndercutFlag
from warden.denials.tests.conftest import CONSIGNEE, DECCAN, import_file, to_deccan
from warden.flows import case_decision
from warden.flows.case_decision import issue_licence
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.testing import Personas


def _flag(case: Case) -> UndercutFlag:
    return UndercutFlag.objects.select_related("denial").get(case=case, status=FlagStatus.OPEN)


def test_a_submission_like_a_partners_denial_in_force_is_flagged(flagged: Case) -> None:
    flag = _flag(flagged)
    assert flag.denial.reference == "FR-DN-2026-0147"  # not the expired FR-DN-2022-0102 to the same end user
    assert (flag.party_name, flag.ratings) == ("Deccan Rotorcraft Overhaul Private Limited", ["ML10.d"])
    assert flag.score >= 0.85


@pytest.mark.parametrize(
    "overrides",
    [
        {"destination": "BD", "parties": [{**DECCAN, "country": "BD"}, CONSIGNEE]},  # another destination
        {"parties": [{**DECCAN, "name": "Deccan Aero Overhaul Pvt Ltd"}, CONSIGNEE]},  # another end user
        {
            "goods": [
                {
                    "description": "Body armour",
                    "rating": "ML13.d",
                    "quantity": 4,
                    "value": {"amount": 1000, "currency": "EUR"},
                }
            ]
        },
    ],
    ids=["destination", "end-user", "rating"],
)
def test_an_application_differing_in_destination_end_user_or_rating_is_not_flagged(
    personas: Personas, fr_denials: services.ImportResult, overrides: dict[str, object]
) -> None:
    case = f.submitted(personas, **to_deccan(**overrides))
    assert not UndercutFlag.objects.filter(case=case).exists()


def test_a_denial_imported_later_flags_the_open_cases_it_resembles(personas: Personas) -> None:
    case = f.submitted(personas, **to_deccan())
    assert not UndercutFlag.objects.filter(case=case).exists()
    result = import_file("fr-2026.json")
    assert result.flagged == [case.reference]
    assert _flag(case).denial.reference == "FR-DN-2026-0147"


def test_a_revocation_clears_the_flag_and_lets_the_grant_through(
    personas: Personas, fr_denials: services.ImportResult
) -> None:
    case = f.finalised(personas, **to_deccan())
    with pytest.raises(IllegalTransition, match="consult FR before granting"):
        issue_licence(actor=personas.officer, case=case)
    import_file("fr-2026-revised.json")
    issue_licence(actor=personas.officer, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).status == Status.LICENCE_ISSUED


def test_a_refusal_following_the_denial_needs_no_consultation(
    personas: Personas, fr_denials: services.ImportResult
) -> None:
    case = f.finalised(personas, decision="refused", **to_deccan())
    assert Case.objects.get(pk=case.pk).decision == "refused" and _flag(case).status == FlagStatus.OPEN


def test_granting_after_consultation_requires_the_answer_then_the_notice(
    personas: Personas, fr_denials: services.ImportResult
) -> None:
    p = personas
    case = f.under_final_review(p, **to_deccan())
    consultation = services.request_consultation(
        actor=p.policy, flag=_flag(case), note="Essentially identical?"
    )
    assert (consultation.requested_on, consultation.deadline) == (dt.date(2026, 12, 1), dt.date(2026, 12, 22))
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Verified")
    with pytest.raises(IllegalTransition, match="FR was consulted and has until 2026-12-22 to answer"):
        issue_licence(actor=p.officer, case=Case.objects.get(pk=case.pk))
    with pytest.raises(InvalidInput, match="record its answer first"):
        services.record_notice(actor=p.policy, consultation=consultation, reasons="Verified")

    services.record_answer(actor=p.officer, consultation=consultation, answer="FR maintains its denial")
    with pytest.raises(
        IllegalTransition, match="record the notice to FR with the reasons for granting first"
    ):
        issue_licence(actor=p.officer, case=Case.objects.get(pk=case.pk))

    services.record_notice(actor=p.policy, consultation=consultation, reasons="End user verified on a visit")
    issue_licence(actor=p.officer, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).status == Status.LICENCE_ISSUED
    assert queries.consultations(2026) == {"IN": 1} and queries.consultations(2025) == {}


def test_only_officers_record_consultations_and_bad_input_changes_nothing(
    flagged: Case, personas: Personas
) -> None:
    p = personas
    flag = _flag(flagged)
    for who in (p.exporter, p.oversight, p.adviser_fcdo, p.admin):
        with pytest.raises(NotPermitted):
            services.request_consultation(actor=who, flag=flag)
    with pytest.raises(InvalidInput, match="requested_on: 2026-12-02 is in the future"):
        services.request_consultation(actor=p.officer, flag=flag, requested_on=dt.date(2026, 12, 2))
    with pytest.raises(InvalidInput, match="deadline: 2026-11-01 is before the request"):
        services.request_consultation(actor=p.officer, flag=flag, deadline=dt.date(2026, 11, 1))
    assert not Consultation.objects.exists()
    c = services.request_consultation(actor=p.officer, flag=flag)
    with pytest.raises(InvalidInput, match="already consulted"):
        services.request_consultation(actor=p.officer, flag=flag)
    with pytest.raises(InvalidInput, match="answer: say what"):
        services.record_answer(actor=p.officer, consultation=c, answer="  ")


def test_an_expired_denial_no_longer_holds_up_the_grant(
    personas: Personas, fr_denials: services.ImportResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = f.finalised(personas, **to_deccan())
    # Three years after FR-DN-2026-0147 (18 June 2026) it lapses without a revision.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2029, 6, 19, 9, 0, tzinfo=dt.UTC))
    issue_licence(actor=personas.officer, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).status == Status.LICENCE_ISSUED


def test_an_amendment_that_changes_the_end_user_clears_the_flag_and_one_that_adds_it_raises_it(
    personas: Personas, fr_denials: services.ImportResult
) -> None:
    from warden.flows import amendment
    from warden.testing import sample_application

    p = personas
    case = f.submitted(p, **to_deccan())
    other = {**DECCAN, "name": "Mysore Helicopter Services Ltd"}
    req = cases.request_information(actor=p.officer, case=case, question="Who is the end user?")
    amendment.answer_information_request(
        actor=p.exporter,
        request=req,
        answer="Changed",
        document=sample_application(**to_deccan(parties=[other, CONSIGNEE])),
    )
    flag = UndercutFlag.objects.get(case=case)
    assert flag.status == FlagStatus.CLEARED and "amended" in flag.cleared_reason

    req = cases.request_information(actor=p.officer, case=Case.objects.get(pk=case.pk), question="Sure?")
    amendment.answer_information_request(
        actor=p.exporter, request=req, answer="Back", document=sample_application(**to_deccan())
    )
    assert _flag(case).denial.reference == "FR-DN-2026-0147"


def test_the_coarm_report_counts_the_consultations_recorded_in_its_year(
    flagged: Case, personas: Personas
) -> None:
    import json

    from warden.lib.actors import system
    from warden.reports import services as reports

    def consulted(year: int) -> int:
        doc = json.loads(reports.generate(actor=system("test"), kind="coarm", year=year, fmt="json").content)
        return int(doc["tables"]["consultations"]["rows"][0]["consultations_initiated_issue13"])

    assert consulted(2026) == 0
    services.request_consultation(actor=personas.officer, flag=_flag(flagged))
    assert (consulted(2026), consulted(2025)) == (1, 0)
