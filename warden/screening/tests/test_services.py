"""Importing versions, screening on submit, decisions remembered, re-screening raises only what is new."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.audit.models import AuditEntry
from warden.flows import decisions as match_decisions
from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.lib.actors import system
from warden.screening import services
from warden.screening.importers import ListFormatError
from warden.screening.models import Disposition, ListVersion, Match, MatchStatus
from warden.testing import sample_application

FIXTURES = Path(__file__).parent / "fixtures"


def _import(
    name: str = "un.xml", fmt: str = "un-xml", list_name: str = "un-sc", path: Path | None = None
) -> ListVersion:
    return list_import.import_list(
        actor=system("test"), list_name=list_name, fmt=fmt, path=path or FIXTURES / name, rescreen="none"
    )


def _submit(personas, parties):  # type: ignore[no-untyped-def]
    doc = sample_application(parties=parties)
    return submission.submit_application(actor=personas.exporter, document=doc)


KOMID = {"role": "end_user", "type": "organisation", "sector": "commercial", "name": "Komid", "country": "KP"}
SALEK = {
    "role": "end_user",
    "type": "person",
    "sector": "individual",
    "name": "Salek, Abdulhai",
    "country": "AF",
    "date_of_birth": "1965",
}
SALIK = {k: v for k, v in SALEK.items() if k != "date_of_birth"} | {"name": "Abdulhay Salek"}
CLEAN = {
    "role": "end_user",
    "type": "organisation",
    "sector": "armed_forces",
    "name": "Norwegian Defence Materiel Agency",
    "country": "NO",
}


@pytest.mark.django_db
def test_each_import_is_a_new_version_with_counts_and_the_previous_kept(tmp_path: Path) -> None:
    v1 = _import()
    assert (v1.number, v1.entries_count, v1.added, v1.changed, v1.removed) == (1, 2, 2, 0, 0)
    changed = tmp_path / "un2.xml"
    changed.write_text(
        (FIXTURES / "un.xml")
        .read_text()
        .replace("<YEAR>1965</YEAR>", "<YEAR>1964</YEAR>")
        .replace(
            "<ENTITIES>",
            "<ENTITIES><ENTITY><FIRST_NAME>NEW CO</FIRST_NAME>"
            "<REFERENCE_NUMBER>KPe.002</REFERENCE_NUMBER></ENTITY>",
        )
    )
    v2 = _import(path=changed)
    assert (v2.number, v2.added, v2.changed, v2.removed) == (2, 1, 1, 0)
    v1.refresh_from_db()
    assert not v1.is_current and v2.is_current and v1.entries.count() == 2  # old version kept
    assert AuditEntry.objects.filter(action="screening.list_imported").count() == 2


@pytest.mark.django_db
def test_a_broken_file_changes_nothing() -> None:
    v1 = _import()
    with pytest.raises(ListFormatError, match="line 14"):
        _import("un_broken.xml")
    assert list(ListVersion.objects.values_list("pk", "is_current")) == [(v1.pk, True)]


@pytest.mark.django_db
def test_submit_screens_every_party_including_the_exporter(personas) -> None:  # type: ignore[no-untyped-def]
    _import()
    case = _submit(personas, [KOMID, SALEK, CLEAN])
    matches = {(m.party.name, m.entry_key) for m in Match.objects.filter(case=case)}
    assert matches == {("Komid", "KPe.001"), ("Salek, Abdulhai", "TAi.001")}
    assert case.screening_runs.get().trigger == "submit"
    assert AuditEntry.objects.filter(action="screening.case_screened", case_id=case.pk).count() == 1


@pytest.mark.django_db
def test_exporter_party_is_screened(personas) -> None:  # type: ignore[no-untyped-def]
    _import("csl.csv", "us-csl-csv", "us-csl")
    # The exporter party is the applicant's organisation (never the document's word), so the account's
    # organisation is the listed one here.
    org = personas.org_a
    org.name, org.country, org.registration_number = "Gazprom Bank", "RU", ""
    org.save()
    doc = sample_application(exporter={"name": "Gazprom Bank", "country": "RU"})
    case = submission.submit_application(actor=personas.exporter, document=doc)
    m = Match.objects.get(case=case)
    assert m.party.role == "exporter" and m.entry_key == "c-1"
    out = services.screening_for_assessment(case)
    assert out["findings"][0]["subject"] == "application"


@pytest.mark.django_db
def test_assessment_shapes_deny_and_risk(personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCREENING_CERTAINTY = 0.99
    _import()
    case = _submit(personas, [KOMID, SALIK])
    out = services.screening_for_assessment(case)
    assert [s["party"] for s in out["screening"]] == [0, 1]
    first = out["screening"][0]["matches"][0]
    assert set(first) == {"list", "entry", "name", "matched_name", "score", "explanation"}
    outcomes = {f["subject"]: f["outcome"] for f in out["findings"]}
    assert outcomes == {"parties[0]": "deny", "parties[1]": "risk"}  # exact alias 1.0 vs near miss
    assert all(f["criterion"] == "EU-CP:1" for f in out["findings"])


@pytest.mark.django_db
def test_false_positive_is_excluded_and_remembered_until_the_entry_changes(personas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import()
    case = _submit(personas, [SALEK])
    m = Match.objects.get(case=case)
    with pytest.raises(services.ScreeningError, match="reason"):
        match_decisions.dispose_match(actor=personas.officer, match=m, decision="false_positive", reason=" ")
    match_decisions.dispose_match(
        actor=personas.officer, match=m, decision="false_positive", reason="Different DOB, passport"
    )
    assert services.screening_for_assessment(case) == {"screening": [], "findings": []}
    assert AuditEntry.objects.filter(action="screening.match_decided", case_id=case.pk).count() == 1

    # Same party on another case: remembered, not raised.
    case2 = _submit(personas, [SALEK])
    assert not Match.objects.filter(case=case2).exists()
    # The entry changes (new list version with another alias): raised again.
    changed = tmp_path / "un2.xml"
    changed.write_text((FIXTURES / "un.xml").read_text().replace("Mullah Salek", "Mullah Saleq"))
    _import(path=changed)
    assert list_import.rescreen_open_cases(actor=system("test")) == 2  # both open cases, once each
    assert list_import.rescreen_open_cases(actor=system("test")) == 0  # nothing new the second time


@pytest.mark.django_db
def test_true_match_is_a_deny_finding_and_remembered_for_the_same_party(personas) -> None:  # type: ignore[no-untyped-def]
    _import()
    case = _submit(personas, [SALIK])
    m = Match.objects.get(case=case)
    match_decisions.dispose_match(actor=personas.senior, match=m, decision="true_match", reason="Confirmed")
    f = services.screening_for_assessment(case)["findings"]
    assert [x["outcome"] for x in f] == ["deny"] and "confirmed" in f[0]["explanation"]
    case2 = _submit(personas, [SALIK])
    assert Match.objects.get(case=case2).status == MatchStatus.TRUE_MATCH
    assert Disposition.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_party_is_not_covered_by_the_old_decision(personas) -> None:  # type: ignore[no-untyped-def]
    _import()
    m = Match.objects.get(case=_submit(personas, [SALEK]))
    match_decisions.dispose_match(
        actor=personas.officer, match=m, decision="false_positive", reason="Other person"
    )
    case2 = _submit(personas, [{**SALEK, "date_of_birth": "1966"}])
    assert Match.objects.filter(case=case2).count() == 1


@pytest.mark.django_db
def test_only_officers_decide_and_a_decision_is_final(personas) -> None:  # type: ignore[no-untyped-def]
    _import()
    m = Match.objects.get(case=_submit(personas, [SALEK]))
    for who in (personas.oversight, personas.exporter, personas.policy):
        with pytest.raises(services.NotPermitted):
            match_decisions.dispose_match(actor=who, match=m, decision="true_match")
    match_decisions.dispose_match(actor=personas.officer, match=m, decision="true_match")
    with pytest.raises(services.ScreeningError, match="already decided"):
        match_decisions.dispose_match(actor=personas.officer2, match=m, decision="false_positive", reason="x")


@pytest.mark.django_db
def test_rescreen_after_a_list_update_raises_only_new_entries(personas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import()
    case = _submit(personas, [SALEK, {**KOMID, "name": "Tactical Missiles Corp"}])
    assert Match.objects.filter(case=case).count() == 1
    _import("eu.xml", "eu-fsf-xml", "eu-fsf")
    assert list_import.rescreen_open_cases(actor=system("test")) == 1
    assert set(Match.objects.filter(case=case).values_list("entry_key", flat=True)) == {"TAi.001", "EU.2.22"}


def test_an_import_queues_a_rescreen_after_commit_and_the_task_rescreens(  # type: ignore[no-untyped-def]
    personas, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from warden.flows import rescreening as tasks

    real = tasks.rescreen_open_cases_task
    queued: list[int] = []

    class Fake:
        def enqueue(self) -> None:
            queued.append(1)

    monkeypatch.setattr(tasks, "rescreen_open_cases_task", Fake())
    _import("csl.csv", "us-csl-csv", "us-csl")
    case = _submit(personas, [SALEK])
    with django_capture_on_commit_callbacks(execute=True):
        list_import.import_list(
            actor=system("test"), list_name="un-sc", fmt="un-xml", path=FIXTURES / "un.xml"
        )
    assert queued == [1]
    assert real.call() == 1
    assert Match.objects.get(case=case).entry_key == "TAi.001"
