"""A change of law lists exactly the open cases and live licences whose assessment changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from warden.audit.models import AuditEntry
from warden.cases.models import Case, Status
from warden.cases.transitions import NotPermitted
from warden.flows import law_change, submission
from warden.legislation import impact, services
from warden.legislation.loader import ASSESSMENT_KEYS, normalise, read_bundle
from warden.legislation.models import ImpactItem, ImpactRun, ItemState, RunKind
from warden.legislation.tests.support import (
    bundle_with_embargo,
    load_embargo,
    load_initial,
    submit_to,
    with_live_licence,
)
from warden.lib import clock
from warden.lib.actors import system
from warden.licences.models import LicenceStatus
from warden.testing import PASSWORD, Personas

TODAY = clock.today()


def _run(before, after):  # type: ignore[no-untyped-def]
    run = impact.create_change_run(actor=system("test"), from_revision=before, to_revision=after)
    return law_change.execute(run)


def test_a_new_embargo_flips_open_cases_and_live_licences_to_that_country_only(personas: Personas) -> None:
    before = load_initial()
    open_br = submit_to(personas, "BR")
    licensed_br = submit_to(personas, "BR")
    licence = with_live_licence(personas, licensed_br)
    open_no = submit_to(personas, "NO")
    closed_br = submit_to(personas, "BR")
    Case.objects.filter(pk=closed_br.pk).update(status=Status.WITHDRAWN)
    after = load_embargo("BR", TODAY - dt.timedelta(days=1))

    run = _run(before, after)

    items = {i.case_id: i for i in run.items.all()}
    assert set(items) == {open_br.pk, licensed_br.pk}
    assert items[licensed_br.pk].licence_id == licence.pk
    assert items[open_br.pk].after_recommendation == "refuse"
    assert items[open_br.pk].before_recommendation != "refuse"
    assert "EU-CP:1" in items[open_br.pk].after_criteria
    assert any("UNSCR 9999" in f["basis"] for f in items[open_br.pk].added)
    assert run.summary["scope"] == ["BR"] and run.total == 2  # pre-filtered: NO was never re-assessed
    assert open_no.pk not in items


def test_an_embargo_starting_in_the_future_changes_nothing_today(personas: Personas) -> None:
    before = load_initial()
    submit_to(personas, "BR")
    after = load_embargo("BR", TODAY + dt.timedelta(days=30))
    assert _run(before, after).affected == 0


def test_a_broker_in_the_newly_embargoed_country_is_found(personas: Personas) -> None:
    from warden.legislation.tests.support import application_to

    before = load_initial()
    doc = application_to("NO")
    doc["licence_type"] = "brokering"
    doc["parties"].append(
        {
            "role": "broker",
            "type": "organisation",
            "sector": "commercial",
            "name": "Rio Brokers",
            "country": "BR",
        }
    )
    case = submission.submit_application(actor=personas.exporter, document=doc)
    after = load_embargo("BR", TODAY - dt.timedelta(days=1))
    run = _run(before, after)
    assert [i.case_id for i in run.items.all()] == [case.pk]


def test_officers_suspend_affected_licences_in_bulk_each_audited(personas: Personas) -> None:
    before = load_initial()
    lic1 = with_live_licence(personas, submit_to(personas, "BR"))
    lic2 = with_live_licence(personas, submit_to(personas, "BR"))
    run = _run(before, load_embargo("BR", TODAY - dt.timedelta(days=1)))
    ids = list(run.items.values_list("pk", flat=True))

    with pytest.raises(NotPermitted):  # the licences service decides who may suspend
        impact.suspend_affected(actor=personas.officer, run=run, item_ids=ids, reason="UN embargo")
    assert (
        impact.suspend_affected(actor=personas.senior, run=run, item_ids=ids, reason="UN embargo on BR") == 2
    )

    for lic in (lic1, lic2):
        lic.refresh_from_db()
        assert lic.status == LicenceStatus.SUSPENDED
    assert set(run.items.values_list("state", flat=True)) == {ItemState.SUSPENDED}
    assert AuditEntry.objects.filter(action="legislation.impact_suspended").count() == 1
    assert AuditEntry.objects.filter(object_type="licences.licence").count() >= 2


def test_the_review_queue_page_shows_before_and_after_and_suspends(personas: Personas) -> None:
    before = load_initial()
    lic = with_live_licence(personas, submit_to(personas, "BR"))
    run = _run(before, load_embargo("BR", TODAY - dt.timedelta(days=1)))
    item = run.items.get()
    c = Client()
    c.login(username=personas.senior.username, password=PASSWORD)
    page = c.get(f"/legislation/impact/{run.pk}/").content.decode()
    assert lic.number in page and "refuse" in page
    progress = c.get(f"/legislation/impact/{run.pk}/?progress=1", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="run-progress"' in progress and "<html" not in progress and "1 affected" in progress
    r = c.post(
        f"/legislation/impact/{run.pk}/action/",
        {"items": [item.pk], "action": "suspend", "reason": "UN embargo"},
    )
    assert r.status_code == 302
    lic.refresh_from_db()
    assert lic.status == LicenceStatus.SUSPENDED
    exporter = Client()
    exporter.login(username=personas.exporter.username, password=PASSWORD)
    assert exporter.get(f"/legislation/impact/{run.pk}/").status_code == 404


def test_a_policy_officer_edits_a_country_profile_audited_and_impact_follows(personas: Personas) -> None:
    load_initial()
    case = submit_to(personas, "NO")
    levels = dict.fromkeys(ASSESSMENT_KEYS, "low")
    levels["human_rights"] = "critical"
    with pytest.raises(PermissionDenied):
        services.edit_country_profile(
            actor=personas.oversight,
            code="NO",
            levels=levels,
            effective_from=TODAY - dt.timedelta(days=1),
            citation="x",
            reason="y",
        )
    with pytest.raises(services.ProfileEditError) as exc:
        services.edit_country_profile(
            actor=personas.policy,
            code="NO",
            levels=levels,
            effective_from=dt.date(2010, 1, 1),
            citation="Report",
            reason="Test",
        )
    assert exc.value.field == "effective_from"

    rev = services.edit_country_profile(
        actor=personas.policy,
        code="NO",
        levels=levels,
        effective_from=TODAY - dt.timedelta(days=1),
        citation="Ministry report 2026",
        reason="Crackdown on protests",
    )
    versions = next(c for c in rev.bundle["countries"]["countries"] if c["id"] == "NO")["assessments"]
    assert versions[-2]["effective_until"] == versions[-1]["effective_from"]
    entry = AuditEntry.objects.get(action="legislation.country_profile_edited")
    assert "Crackdown on protests" in entry.entry
    run = ImpactRun.objects.get(to_revision=rev)  # created by the edit, queued on commit
    c = Client()
    c.login(username=personas.policy.username, password=PASSWORD)
    assert "Compute now" in c.get(f"/legislation/impact/{run.pk}/").content.decode()
    c.post(f"/legislation/impact/{run.pk}/action/", {"action": "run_now"})  # no worker in tests
    run.refresh_from_db()
    assert [i.case_id for i in run.items.all()] == [case.pk]
    assert run.items.get().after_recommendation == "refuse"


def test_the_country_page_is_read_only_for_oversight(personas: Personas) -> None:
    load_initial()
    c = Client()
    c.login(username=personas.oversight.username, password=PASSWORD)
    page = c.get("/legislation/countries/NO/").content.decode()
    assert "Norway" in page and "Record a new assessment" not in page
    assert c.post("/legislation/countries/NO/", {}).status_code == 403
    p = Client()
    p.login(username=personas.policy.username, password=PASSWORD)
    assert "Record a new assessment" in p.get("/legislation/countries/NO/").content.decode()
    r = p.post("/legislation/countries/NO/", {"effective_from": "not a date", "citation": "", "reason": ""})
    assert r.status_code == 200 and "error-summary" in r.content.decode()


def test_what_if_replays_past_decisions_without_touching_live_data(personas: Personas) -> None:
    from django.utils import timezone

    rev = load_initial()
    decided = submit_to(personas, "BR")
    Case.objects.filter(pk=decided.pk).update(
        status=Status.FINALISED, decision="approved", finalised_at=timezone.now()
    )
    other = submit_to(personas, "NO")
    Case.objects.filter(pk=other.pk).update(
        status=Status.FINALISED, decision="approved", finalised_at=timezone.now()
    )
    proposal = bundle_with_embargo(normalise(read_bundle()), "BR", dt.date(2000, 1, 1))
    run = impact.create_what_if(actor=personas.policy, bundle=proposal, years=3)
    run = law_change.execute(run)
    assert run.kind == RunKind.WHAT_IF
    assert [i.case_id for i in run.items.all()] == [decided.pk]
    assert run.summary["by_destination"]["BR"]["flipped"] == 1
    assert run.summary["by_criterion"]["EU-CP:1"]["after"] == 1
    assert services.current_revision() == rev  # live data untouched
    assert not ImpactItem.objects.filter(run=run, state=ItemState.PENDING).exists()


def test_a_policy_officer_uploads_a_what_if_proposal_in_the_ui(personas: Personas) -> None:
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    load_initial()
    proposal = bundle_with_embargo(normalise(read_bundle()), "BR", dt.date(2000, 1, 1))
    upload = SimpleUploadedFile("embargoes.yaml", yaml.safe_dump(proposal["embargoes"]).encode())
    c = Client()
    c.login(username=personas.policy.username, password=PASSWORD)
    r = c.post("/legislation/what-if/", {"files": upload, "years": 3})
    run = ImpactRun.objects.get(kind=RunKind.WHAT_IF)
    assert r.status_code == 302 and r["Location"] == f"/legislation/impact/{run.pk}/"
    bad = SimpleUploadedFile("embargoes.yaml", b"format: warden.embargoes/1\nembargoes: [{id: x}]\n")
    r = c.post("/legislation/what-if/", {"files": bad, "years": 3}, follow=True)
    assert "embargoes.yaml: record" in r.content.decode()
    officer = Client()
    officer.login(username=personas.officer.username, password=PASSWORD)
    assert officer.post("/legislation/what-if/", {"years": 3}).status_code == 403
