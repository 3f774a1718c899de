"""Clearing a diversion flag (a false match) and withdrawing a diversion finding shown to be wrong: only a
senior officer, always with a reason, audited; the flag and finding stay readable as cleared / withdrawn;
the end user's record and the next check's planning stop counting the withdrawn finding. Through the
services, the case page, the API and the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cli import main
from warden.enduse import services
from warden.enduse.models import CheckKind, DiversionFlag, EndUseCheck, EndUserProfile, Finding
from warden.enduse.tests.conftest import Inspectors, licence_of, parties_for
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.licences.models import Licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def diverted(personas: Personas, licensed: Licence, dvc: EndUseCheck, inspectors: Inspectors) -> EndUseCheck:
    """A diversion found on the sample licence's end user, flagging it and an open case of the same one."""
    f.submitted(personas, parties=parties_for("Norwegian Defence Material Agency"))
    services.record_finding(
        actor=inspectors.ines,
        check=dvc,
        finding=Finding.DIVERSION,
        notes="Blades seen at a third country depot.",
    )
    return dvc


def _data(action: str) -> dict[str, Any]:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return json.loads(entry.entry)["data"]  # type: ignore[no-any-return]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_senior_officer_clears_one_flag_with_a_reason_and_it_stays_readable(
    personas: Personas, diverted: EndUseCheck
) -> None:
    flag, other = DiversionFlag.objects.order_by("pk")
    services.clear_flag(actor=personas.senior, flag=other, reason="A different agency: checked the register.")
    other.refresh_from_db()
    assert not other.standing and other.cleared_by == personas.senior
    assert flag.standing  # the others stand
    assert _data("enduse.flag_cleared")["reason"] == "A different agency: checked the register."
    with pytest.raises(IllegalTransition, match="already cleared"):
        services.clear_flag(actor=personas.senior, flag=other, reason="again")
    with pytest.raises(InvalidInput, match="cleared"):
        services.suspend_flagged_licence(actor=personas.senior, flag=other)


def test_only_a_senior_officer_clears_and_a_reason_is_required(
    personas: Personas, diverted: EndUseCheck, inspectors: Inspectors
) -> None:
    flag = DiversionFlag.objects.order_by("pk").first()
    assert flag is not None
    for who in (inspectors.ines, personas.officer, personas.policy, personas.exporter):
        with pytest.raises(NotPermitted):
            services.clear_flag(actor=who, flag=flag, reason="Wrong")
        with pytest.raises(NotPermitted):
            services.withdraw_finding(actor=who, check=diverted, reason="Wrong")
    with pytest.raises(InvalidInput) as exc:
        services.clear_flag(actor=personas.senior, flag=flag, reason="  ")
    assert exc.value.where == "reason"
    flag.refresh_from_db()
    assert flag.standing and not AuditEntry.objects.filter(action="enduse.flag_cleared").exists()


def test_withdrawing_the_finding_clears_its_flags_and_the_end_users_record_stops_counting_it(
    personas: Personas, diverted: EndUseCheck
) -> None:
    assert EndUserProfile.objects.get().diversions == 1
    cleared = services.withdraw_finding(
        actor=personas.senior, check=diverted, reason="The depot was the end user's own; see the lease."
    )
    assert len(cleared) == 2 and not DiversionFlag.objects.filter(cleared_at__isnull=True).exists()
    profile = EndUserProfile.objects.get()
    assert (profile.diversions, profile.diversions_withdrawn) == (0, 1)
    diverted.refresh_from_db()
    assert diverted.withdrawn and diverted.finding == Finding.DIVERSION  # kept, marked withdrawn
    assert _data("enduse.finding_withdrawn")["profile_diversions"] == 0
    assert AuditEntry.objects.filter(action="enduse.flag_cleared").count() == 2
    with pytest.raises(IllegalTransition):
        services.withdraw_finding(actor=personas.senior, check=diverted, reason="again")
    # The next licence to that end user is planned as if there had been no diversion.
    third = licence_of(f.licensed(personas))
    reasons = [r for c in EndUseCheck.objects.filter(licence=third) for r in c.reasons]
    assert not any("diverted goods before" in r for r in reasons)
    assert not EndUseCheck.objects.filter(
        licence=third, kind=CheckKind.PSV, reasons__icontains="diver"
    ).exists()


def test_only_a_diversion_finding_is_withdrawn(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    with pytest.raises(InvalidInput, match="only a diversion finding"):
        services.withdraw_finding(actor=personas.senior, check=dvc, reason="nothing to withdraw")
    services.record_finding(actor=inspectors.ines, check=dvc, finding=Finding.SATISFACTORY)
    with pytest.raises(InvalidInput, match="found no diversion"):
        services.withdraw_finding(actor=personas.senior, check=dvc, reason="nothing to withdraw")


def test_the_case_page_offers_clearing_to_a_senior_officer_and_then_shows_who_and_why(
    personas: Personas, licensed: Licence, diverted: EndUseCheck, inspectors: Inspectors
) -> None:
    case_url = f"/cases/{licensed.case_id}/"
    assert "clear-flag-form" not in _client(inspectors.ines).get(case_url).content.decode()
    senior = _client(personas.senior)
    assert "clear-flag-form" in senior.get(case_url).content.decode()
    flag = DiversionFlag.objects.get(case_id=licensed.case_id)
    assert (
        _client(inspectors.ines).post(f"/end-use/flags/{flag.pk}/clear/", {"reason": "x"}).status_code == 403
    )
    page = senior.post(f"/end-use/flags/{flag.pk}/clear/", {"reason": "Other agency."}, follow=True)
    text = page.content.decode()
    assert 'data-testid="diversion-flag-cleared"' in text and "Other agency." in text
    r = senior.post(f"/end-use/flags/{flag.pk}/clear/", {"reason": "again"}, follow=True)
    assert "already cleared" in r.content.decode()


def test_the_check_page_withdraws_the_finding(personas: Personas, diverted: EndUseCheck) -> None:
    senior = _client(personas.senior)
    assert "withdraw-form" in senior.get(f"/end-use/{diverted.pk}/").content.decode()
    assert senior.post(f"/end-use/{diverted.pk}/withdraw/", {"reason": ""}).status_code == 422
    page = senior.post(f"/end-use/{diverted.pk}/withdraw/", {"reason": "Lease found."}, follow=True)
    assert 'data-testid="finding-withdrawn"' in page.content.decode()


def test_the_api_clears_and_withdraws_under_the_same_policy(
    personas: Personas, diverted: EndUseCheck, inspectors: Inspectors
) -> None:
    def api(user: Any) -> Client:
        _, token = create_api_token(actor=user, user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    flag = DiversionFlag.objects.order_by("pk").first()
    assert flag is not None
    body = json.dumps({"reason": "False match."})
    url = f"/api/end-use/flags/{flag.pk}/clear"
    assert api(inspectors.ines).post(url, body, content_type="application/json").status_code == 403
    r = api(personas.senior).post(url, body, content_type="application/json")
    assert r.status_code == 200 and r.json()["cleared"]["by"] == personas.senior.username
    assert api(personas.senior).post(url, body, content_type="application/json").status_code == 409
    assert (
        api(personas.senior)
        .post("/api/end-use/flags/999999/clear", body, content_type="application/json")
        .status_code
        == 404
    )
    w = api(personas.senior).post(
        f"/api/end-use/{diverted.pk}/withdraw",
        json.dumps({"reason": "Lease."}),
        content_type="application/json",
    )
    assert w.status_code == 200 and w.json()["withdrawn"]["reason"] == "Lease."
    assert len(w.json()["cleared_flags"]) == 1  # the other was cleared already


def test_the_cli_withdraws_and_clears(
    personas: Personas, diverted: EndUseCheck, inspectors: Inspectors
) -> None:
    flag = DiversionFlag.objects.order_by("pk").first()
    assert flag is not None
    assert (
        main(["end-use", "clear-flag", str(flag.pk), "--reason", "x", "--as", inspectors.ines.username]) == 1
    )
    assert (
        main(["end-use", "clear-flag", str(flag.pk), "--reason", " ", "--as", personas.senior.username]) == 2
    )
    assert (
        main(
            [
                "end-use",
                "clear-flag",
                str(flag.pk),
                "--reason",
                "False match",
                "--as",
                personas.senior.username,
            ]
        )
        == 0
    )
    assert (
        main(
            ["end-use", "withdraw", diverted.reference, "--reason", "Lease", "--as", personas.senior.username]
        )
        == 0
    )
    assert not DiversionFlag.objects.filter(cleared_at__isnull=True).exists()
