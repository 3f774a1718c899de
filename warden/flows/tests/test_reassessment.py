"""Every change to an input of an open case's assessment stores a new version, with its cause and what
changed, and the page, the API and the history show it (through the real services, API and web views)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from warden.cases import services as cases
from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.cases.tests.factories import MINIMAL_PDF
from warden.flows import amendment, law_change, rescreening, submission
from warden.flows import decisions as match_decisions
from warden.flows.tests.support import KOMID, TANGUN, fresh, import_un, stored
from warden.legislation import impact
from warden.legislation import services as legislation
from warden.legislation.loader import ASSESSMENT_KEYS
from warden.legislation.models import CaseAssessment
from warden.legislation.tests.support import load_embargo, load_initial
from warden.lib.actors import system
from warden.screening.models import Match
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _law_in_force(db: None) -> None:
    """Every test here starts from the bundled reference data as revision 1."""
    load_initial()


def _versions(case: Case) -> list[tuple[int, str, str]]:
    return list(
        CaseAssessment.objects.filter(case=case)
        .order_by("version")
        .values_list("version", "cause", "recommendation")
    )


def _submit(p: Personas, parties: list[dict[str, Any]]) -> Case:
    return submission.submit_application(actor=p.exporter, document=sample_application(parties=parties))


def test_a_list_import_then_a_match_decision_each_make_a_version_with_what_changed(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    case = _submit(p, [KOMID])
    assert _versions(case) == [(1, "submit", "approve_with_conditions")] or _versions(case)[0][:2] == (
        1,
        "submit",
    )
    first = _versions(case)[0][2]

    import_un(tmp_path, {"komid": "Pyongyang"})
    assert [s.list_name for s in rescreening.stale_lists(case)] == ["un-sc"]  # until the job runs
    result = rescreening.run_pending(actor=system("test"))
    assert result.cases == 1 and result.new_matches == 1 and rescreening.stale_lists(case) == []
    v2 = legislation.latest_assessment(case)
    assert v2 is not None and (v2.version, v2.cause, v2.recommendation) == (2, "list_import", "refuse")
    assert v2.caused_by == "list import un-sc v1"
    assert [f["rule"] for f in v2.diff["added"]] == ["screening.match"]
    assert v2.diff["recommendation"] == {"before": first, "after": "refuse"}

    match = Match.objects.get(case=case)
    match_decisions.dispose_match(
        actor=p.officer, match=match, decision="false_positive", reason="Other Komid, in NO"
    )
    v3 = legislation.latest_assessment(case)
    assert v3 is not None and (v3.version, v3.cause, v3.recommendation) == (3, "match_decided", first)
    assert v3.caused_by.startswith(p.officer.display_name) and "false positive" in v3.caused_by
    assert [f["rule"] for f in v3.diff["removed"]] == ["screening.match"] and not v3.diff["added"]
    assert stored(case) == fresh(case)

    # The API shows only the current version, with its as-of date; the history endpoint shows each one.
    body = f.api_for(p.officer).get(f"/api/legislation/cases/{case.reference}/assessment").json()
    assert body["recommendation"] == first and body["version"]["number"] == 3
    assert body["version"]["as_of"] == body["as_of"] and body["version"]["cause"] == "match_decided"
    hist = f.api_for(p.officer).get(f"/api/legislation/cases/{case.reference}/assessment/history").json()
    assert [(h["number"], h["cause"]) for h in hist] == [
        (3, "match_decided"),
        (2, "list_import"),
        (1, "submit"),
    ]
    assert hist[0]["changes"]["removed"][0]["rule"] == "screening.match"

    # The case page: the current recommendation and version, the history with who caused what.
    web = Client()
    web.force_login(p.officer)
    page = web.get(f"/cases/{case.pk}/").content.decode()
    assert (
        "version 3" in page
        and "Screening match decided" in page
        and "Re-screened after a list import" in page
    )
    assert "Removed:" in page and "list import un-sc v1" in page


def test_a_true_match_decision_turns_a_risk_into_a_confirmed_deny(personas: Personas, tmp_path: Path) -> None:
    weak = {**KOMID, "name": "Komid Trading"}  # a weaker match: below certainty
    case = _submit(personas, [weak])
    import_un(tmp_path, {"komid": "Pyongyang"})
    rescreening.run_pending(actor=system("test"))
    match = Match.objects.filter(case=case).first()
    if match is None:
        pytest.skip("the matcher does not raise this weaker name")
    match_decisions.dispose_match(actor=personas.officer, match=match, decision="true_match")
    ca = legislation.latest_assessment(case)
    assert ca is not None and ca.cause == "match_decided" and ca.recommendation == "refuse"
    assert stored(case) == fresh(case)


def test_an_answer_that_changes_the_parties_is_rescreened_and_reassessed(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    import_un(tmp_path, {"tangun": "Pyongyang"})
    case = _submit(p, [sample_application()["parties"][0]])
    assert _versions(case)[-1][0] == 1
    cases.start_initial_checks(actor=p.officer, case=case)
    req = cases.request_information(actor=p.officer, case=case, question="Who receives the goods?")
    doc = copy.deepcopy(case.document)
    doc["parties"].append(TANGUN)
    r = f.api_for(p.exporter).post(
        f"/api/applications/{case.reference}/requests/{req.pk}/answer",
        data=json.dumps({"answer": "The consignee is Tangun.", "document": doc}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    ca = legislation.latest_assessment(case)
    assert ca is not None and (ca.version, ca.cause, ca.recommendation) == (2, "information_answer", "refuse")
    assert ca.caused_by == p.exporter.display_name
    assert any(f["subject"] == "parties[1]" and f["rule"] == "screening.match" for f in ca.diff["added"])
    assert stored(case) == fresh(case)


def test_an_invalid_amended_document_changes_nothing(personas: Personas) -> None:
    p = personas
    case = _submit(p, [sample_application()["parties"][0]])
    cases.start_initial_checks(actor=p.officer, case=case)
    req = cases.request_information(actor=p.officer, case=case, question="?")
    bad = {**case.document, "goods": []}
    r = f.api_for(p.exporter).post(
        f"/api/applications/{case.reference}/requests/{req.pk}/answer",
        data=json.dumps({"answer": "Here", "document": bad}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"].startswith("/goods")
    req.refresh_from_db()
    assert req.answered_at is None and _versions(case)[-1][0] == 1


def test_a_law_change_reassesses_the_open_cases_it_touches_in_its_impact_run(personas: Personas) -> None:
    case = _submit(personas, [sample_application()["parties"][0]])  # to NO
    before = legislation.latest_assessment(case)
    assert before is not None
    rev = load_embargo("NO", dt.date(2000, 1, 1))
    run = impact.change_run_for(rev)  # written with the revision, in its transaction
    assert run is not None and run.status == "pending"
    law_change.execute(run)
    ca = legislation.latest_assessment(case)
    assert ca is not None and (ca.version, ca.cause, ca.recommendation) == (2, "reference_revision", "refuse")
    assert f"reference revision {rev.number}" in ca.caused_by and ca.revision == rev
    assert any(f["rule"].startswith("embargo") for f in ca.diff["added"])
    run.refresh_from_db()
    assert run.summary["reassessed"] == 1
    web = Client()
    web.force_login(personas.senior)
    assert (
        "1 open case got a new assessment version"
        in web.get(f"/legislation/impact/{run.pk}/").content.decode()
    )
    assert stored(case) == fresh(case)
    law_change.execute(run)  # queued twice (after commit and by a restart): computed once
    assert _versions(case)[-1][0] == 2


def test_a_country_assessment_edit_reassesses_as_a_country_change(personas: Personas) -> None:
    case = _submit(personas, [sample_application()["parties"][0]])
    rev = legislation.edit_country_profile(
        actor=personas.policy,
        code="NO",
        levels=dict.fromkeys(ASSESSMENT_KEYS, "high"),
        effective_from=dt.date(2026, 1, 2),
        citation="Test report",
        reason="deterioration",
    )
    run = impact.change_run_for(rev)
    assert run is not None
    law_change.execute(run)
    ca = legislation.latest_assessment(case)
    assert ca is not None and ca.cause == "country_assessment" and ca.version == 2
    assert ca.caused_by.startswith(personas.policy.display_name)
    assert stored(case) == fresh(case)


def test_an_input_change_that_changes_nothing_stores_no_version(personas: Personas) -> None:
    case = _submit(personas, [sample_application()["parties"][0]])
    amendment.upload_document(
        actor=personas.exporter,
        case=case,
        filename="euc.pdf",
        content=MINIMAL_PDF,
        kind="end_user_certificate",
    )
    assert [v[0] for v in _versions(case)] == [1]


def test_a_decided_case_keeps_the_assessment_its_decision_rested_on(
    personas: Personas, tmp_path: Path
) -> None:
    case = _submit(personas, [KOMID])
    Case.objects.filter(pk=case.pk).update(status="finalised")
    import_un(tmp_path, {"komid": "Pyongyang"})
    assert rescreening.run_pending(actor=system("test")).cases == 0
    assert [v[0] for v in _versions(case)] == [1]


def test_a_delisted_entry_no_longer_counts_and_a_changed_one_is_raised_afresh(
    personas: Personas, tmp_path: Path
) -> None:
    case = _submit(personas, [KOMID, TANGUN])
    import_un(tmp_path, {"komid": "Pyongyang", "tangun": "Pyongyang"}, name="v1")
    rescreening.run_pending(actor=system("test"))
    assert len(stored(case)["screening"]) == 2
    import_un(tmp_path, {"komid": "Nampo"}, name="v2")  # Tangun delisted, KOMID's record changed
    rescreening.run_pending(actor=system("test"))
    ca = legislation.latest_assessment(case)
    assert ca is not None and ca.cause == "list_import"
    subjects = {f["subject"] for f in ca.document["findings"] if f["rule"] == "screening.match"}
    assert subjects == {"parties[0]"}
    assert "version 2" in next(f["basis"] for f in ca.document["findings"] if f["rule"] == "screening.match")
    assert [f["subject"] for f in ca.diff["removed"]] == ["parties[1]"]
    assert Match.objects.filter(case=case, list_name="un-sc", entry_key="KPe.001").count() == 2
    assert stored(case) == fresh(case)


def test_until_the_rescreen_runs_the_case_page_and_api_say_screened_against_an_older_list(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    import_un(tmp_path, {"komid": "Pyongyang"}, name="v1")
    case = _submit(p, [KOMID])
    import_un(tmp_path, {"komid": "Pyongyang", "tangun": "Pyongyang"}, name="v2")  # job left pending
    web = Client()
    web.force_login(p.officer)
    page = web.get(f"/cases/{case.pk}/").content.decode()
    assert "Screened against an older list" in page
    assert "un-sc: screened against version 1, current is version 2" in page
    body = f.api_for(p.officer).get(f"/api/legislation/cases/{case.reference}/assessment").json()
    assert body["version"]["screened_against_older_list"] == [
        "un-sc: screened against version 1, current is version 2"
    ]
    rescreening.run_pending(actor=system("test"))
    assert "Screened against an older list" not in web.get(f"/cases/{case.pk}/").content.decode()
    body = f.api_for(p.officer).get(f"/api/legislation/cases/{case.reference}/assessment").json()
    assert body["version"]["screened_against_older_list"] == [] and body["version"]["number"] == 2


def test_the_exporter_answers_on_the_case_page_with_an_amended_application(
    personas: Personas, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = personas
    import_un(tmp_path, {"tangun": "Pyongyang"})
    case = _submit(p, [sample_application()["parties"][0]])
    cases.start_initial_checks(actor=p.officer, case=case)
    req = cases.request_information(actor=p.officer, case=case, question="Who is the consignee?")
    web = Client()
    web.force_login(p.exporter)
    url = f"/cases/{case.pk}/act/answer_request/"
    bad = SimpleUploadedFile(
        "app.json", b'{"format": "warden.application/1"', content_type="application/json"
    )
    r = web.post(url, {"request_id": req.pk, "answer": "See file", "amended_application": bad})
    assert r.status_code == 422 and "The amended application is not valid" in r.content.decode()
    req.refresh_from_db()
    assert req.answered_at is None and _versions(case)[-1][0] == 1

    doc = copy.deepcopy(case.document)
    doc["parties"].append(TANGUN)
    good = SimpleUploadedFile("app.json", json.dumps(doc).encode(), content_type="application/json")
    r = web.post(url, {"request_id": req.pk, "answer": "Tangun receives them", "amended_application": good})
    assert r.status_code == 302
    ca = legislation.latest_assessment(case)
    assert ca is not None and (ca.version, ca.cause, ca.recommendation) == (2, "information_answer", "refuse")
    assert [p["name"] for p in Case.objects.get(pk=case.pk).document["parties"]][-1] == TANGUN["name"]


def test_warden_reference_load_reassesses_the_open_cases_a_new_embargo_touches(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    import yaml

    from warden.cli import main
    from warden.legislation.loader import DATA_DIR, normalise, read_bundle
    from warden.legislation.tests.support import bundle_with_embargo

    case = _submit(personas, [sample_application()["parties"][0]])  # to NO
    data = tmp_path / "law"
    shutil.copytree(DATA_DIR, data)
    changed = bundle_with_embargo(normalise(read_bundle()), "NO", dt.date(2000, 1, 1))
    (data / "embargoes.yaml").write_text(yaml.safe_dump(changed["embargoes"], allow_unicode=True), "utf-8")
    assert main(["reference", "load", str(data)]) == 0
    assert "1 open cases have a new assessment version" in capsys.readouterr().out
    ca = legislation.latest_assessment(case)
    assert ca is not None and (ca.version, ca.cause, ca.recommendation) == (2, "reference_revision", "refuse")
    assert stored(case) == fresh(case)


def test_a_decision_applies_to_the_same_party_and_entry_open_in_another_case(
    personas: Personas, tmp_path: Path
) -> None:
    p = personas
    import_un(tmp_path, {"komid": "Pyongyang"})
    a, b = _submit(p, [KOMID]), _submit(p, [KOMID])
    assert _versions(b)[-1][2] == "refuse"
    match_decisions.dispose_match(
        actor=p.officer, match=Match.objects.get(case=a), decision="false_positive", reason="Norwegian firm"
    )
    other = Match.objects.get(case=b)
    assert other.status == "false_positive" and f"on {a.reference}: Norwegian firm" in other.reason
    ca = legislation.latest_assessment(b)
    assert ca is not None and (ca.version, ca.cause, ca.recommendation) == (
        2,
        "match_decided",
        "approve_with_conditions",
    )
    assert f"(decided on {a.reference})" in ca.caused_by
    assert stored(a) == fresh(a) and stored(b) == fresh(b)
