"""Notifications from the audit log: who is told of what, once, never of their own act; e-mail at once or as
a daily digest; deadlines approaching; law-change bulletins to the affected people, acknowledged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.test import Client

from warden.cases import services as case_services
from warden.cases.tests import factories
from warden.flows import law_change
from warden.inbox import services
from warden.inbox.models import BulletinRecipient, Kind, MailPreference, Notification
from warden.legislation.models import ImpactRun, RunKind
from warden.legislation.tests.support import load_embargo, load_initial, submit_to
from warden.lib import clock
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _mine(user: object, kind: str | None = None) -> list[Notification]:
    qs = Notification.objects.filter(user=user)
    return list(qs.filter(kind=kind) if kind else qs)


def test_the_exporter_is_told_of_a_request_for_information_once_and_by_email(personas: Personas) -> None:
    personas.exporter.email = "alice@example.org"
    personas.exporter.save()
    case = factories.in_initial_checks(personas)
    case_services.request_information(actor=personas.officer, case=case, question="Which unit will use them?")
    services.catch_up()
    services.catch_up()  # nothing twice
    [n] = _mine(personas.exporter, Kind.REQUEST)
    assert n.subject == f"{case.reference}: the authority asks for information"
    assert "Which unit" in n.body and n.url == f"/cases/{case.pk}/"
    assert [m.to for m in django_mail.outbox if "asks for information" in m.subject] == [
        ["alice@example.org"]
    ]
    assert not _mine(personas.officer, Kind.REQUEST)  # never told of one's own act


def test_officers_are_told_of_assignment_referral_and_final_review(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    case_services.assign_case(actor=personas.senior, case=case, officer=personas.officer2)
    case_services.refer_case(actor=personas.officer2, case=case, teams=[personas.fcdo], note="Views?")
    services.catch_up()
    assert [n.subject for n in _mine(personas.officer2, Kind.ASSIGNED)] == [
        f"{case.reference} is assigned to you"
    ]
    assert _mine(personas.adviser_fcdo, Kind.REFERRAL) and not _mine(personas.adviser_mod, Kind.REFERRAL)


def test_the_decision_and_the_licence_reach_the_exporter(personas: Personas) -> None:
    case = factories.licensed(personas)
    services.catch_up()
    subjects = [n.subject for n in _mine(personas.exporter)]
    assert f"{case.reference}: approved" in subjects
    assert any(s.startswith(f"{case.reference}: licence ") and s.endswith("issued") for s in subjects)
    assert not _mine(personas.exporter_b)  # another exporter's case says nothing to them


def test_a_daily_digest_gathers_what_was_not_emailed(personas: Personas) -> None:
    personas.exporter.email = "alice@example.org"
    personas.exporter.save()
    services.set_mail_mode(user=personas.exporter, mode="daily")
    factories.licensed(personas)
    services.catch_up()
    assert not [m for m in django_mail.outbox if m.to == ["alice@example.org"]]
    made, digests = services.daily(clock.today())
    assert digests == 1
    [digest] = [m for m in django_mail.outbox if m.to == ["alice@example.org"]]
    assert "Daily digest" in digest.subject and "approved" in digest.body
    assert services.daily(clock.today())[1] == 0  # once a day
    assert MailPreference.objects.get(user=personas.exporter).last_digest_on == clock.today()


def test_a_bad_mail_mode_is_refused(personas: Personas) -> None:
    with pytest.raises(Exception, match="is not one of"):
        services.set_mail_mode(user=personas.exporter, mode="hourly")


def test_a_decision_due_soon_is_told_to_the_case_officer_once(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    case.refresh_from_db()
    assert case.sla_deadline is not None
    day_before = case.sla_deadline - dt.timedelta(days=1)
    services.daily(day_before)
    services.daily(day_before)
    [n] = _mine(personas.officer, Kind.DEADLINE)
    assert f"decision due {case.sla_deadline}" in n.subject


def test_a_law_change_bulletin_reaches_the_affected_and_tracks_acknowledgement(personas: Personas) -> None:
    before = load_initial()
    affected = submit_to(personas, "BR")
    submit_to(personas, "NO")
    after = load_embargo("BR", clock.today() - dt.timedelta(days=1))
    assert before != after
    law_change.execute(ImpactRun.objects.get(kind=RunKind.CHANGE, to_revision=after))
    services.catch_up()
    [row] = BulletinRecipient.objects.filter(user=personas.exporter)
    assert any(affected.reference in i for i in row.items) and len(row.items) == 1
    assert _mine(personas.exporter, Kind.LAW)
    c = Client()
    c.force_login(personas.exporter)
    page = c.get(f"/inbox/bulletins/{row.bulletin.pk}/").content.decode()
    assert affected.reference in page and "I have read this" in page
    assert c.post(f"/inbox/bulletins/{row.bulletin.pk}/acknowledge/").status_code == 302
    row.refresh_from_db()
    assert row.acknowledged_at is not None
    other = Client()
    other.force_login(personas.exporter_b)
    assert other.get(f"/inbox/bulletins/{row.bulletin.pk}/").status_code == 404
    tracker = Client()
    tracker.force_login(personas.policy)
    assert "Acknowledgements" in tracker.get(f"/inbox/bulletins/{row.bulletin.pk}/").content.decode()


def test_the_inbox_page_lists_unread_first_and_opening_marks_read(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    case_services.request_information(actor=personas.officer, case=case, question="EUC?")
    c = Client()
    c.force_login(personas.exporter)
    page = c.get("/inbox/").content.decode()  # the page catches up itself
    assert "the authority asks for information" in page
    n = Notification.objects.get(user=personas.exporter, kind=Kind.REQUEST)
    r = c.post(f"/inbox/{n.pk}/open/")
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None
    assert Client().get("/inbox/").status_code == 302  # sign in first
    other = Client()
    other.force_login(personas.exporter_b)
    assert other.post(f"/inbox/{n.pk}/open/").status_code == 404


def test_a_suspended_open_licence_registration_is_told_to_the_company(personas: Personas) -> None:
    from warden.ogl import services as ogl_services
    from warden.ogl.demo import ensure_demo_ogl
    from warden.ogl.models import OglRegistration

    ensure_demo_ogl(actor=personas.policy, exporter=personas.exporter)
    reg = OglRegistration.objects.get(organisation=personas.org_a)
    ogl_services.change_status(
        actor=personas.senior, registration=reg, action="suspend", reason="Under investigation"
    )
    services.catch_up()
    [n] = [n for n in _mine(personas.exporter) if "suspended" in n.subject]
    assert reg.reference in n.subject and n.body == "Under investigation"


def test_the_navigation_counts_unread_notifications(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    case_services.request_information(actor=personas.officer, case=case, question="EUC?")
    services.catch_up()
    c = Client()
    c.force_login(personas.exporter)
    page = c.get("/").content.decode()
    assert 'data-testid="unread-count">1<span class="visually-hidden"> unread</span>' in page
    services.mark_all_read(user=personas.exporter)
    assert 'data-testid="unread-count"' not in c.get("/").content.decode()
