"""Public licence verification: /verify/<code>/ answers anyone with the licence's status and validity dates,
nothing confidential; an unknown or malformed code gets one "not found" answer; codes cannot be guessed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus, new_verification_code
from warden.testing import Personas
from warden.transparency.tests import seed

pytestmark = pytest.mark.django_db


def verify(client: Client, code: str) -> tuple[int, str]:
    response = client.get(f"/verify/{code}/")
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (LicenceStatus.ISSUED, "Valid"),
        (LicenceStatus.SUSPENDED, "Suspended"),
        (LicenceStatus.REVOKED, "Revoked"),
        (LicenceStatus.EXPIRED, "Expired"),
        (LicenceStatus.EXHAUSTED, "Exhausted"),
        (LicenceStatus.SURRENDERED, "Surrendered"),
    ],
)
def test_it_shows_the_current_status_and_validity(
    anonymous: Client, personas: Personas, status: str, shown: str
) -> None:
    lic = seed.licence(personas, "FR", status=status, year=clock.today().year)
    code, html = verify(anonymous, lic.verification_code)
    assert code == 200
    assert re.search(rf'data-testid="licence-status">{shown}<', html)
    assert lic.number in html
    assert lic.valid_from.strftime("%-d %B %Y") in html and lic.valid_until.strftime("%-d %B %Y") in html


def test_an_issued_licence_past_its_last_day_reads_expired(anonymous: Client, personas: Personas) -> None:
    lic = seed.licence(personas, "FR", year=2020, valid_until=dt.date(2021, 1, 31))
    assert lic.status == LicenceStatus.ISSUED  # the nightly expiry has not run
    _, html = verify(anonymous, lic.verification_code)
    assert 'data-testid="licence-status">Expired<' in html


def test_it_shows_nothing_confidential(anonymous: Client, personas: Personas) -> None:
    lic = seed.licence(personas, "FR")
    _, html = verify(anonymous, lic.verification_code)
    for secret in ("Northbridge", "GB123", "Harbour Logistics", "987654", "987,654", "ML1.a", "Goods rated"):
        assert secret not in html
    assert "France" not in html  # not even the destination


def test_a_code_typed_in_lower_case_with_spaces_is_found(anonymous: Client, personas: Personas) -> None:
    lic = seed.licence(personas, "FR")
    typed = " ".join([lic.verification_code[:6].lower(), lic.verification_code[6:]])
    assert verify(anonymous, typed)[0] == 200


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAAAAAAAAAAAAA", "not-a-code!", "x" * 200])
def test_an_unknown_or_malformed_code_gets_the_same_not_found_page(
    anonymous: Client, personas: Personas, code: str
) -> None:
    seed.licence(personas, "FR")
    status, html = verify(anonymous, code)
    assert status == 404
    assert "No licence has this verification code" in html


def test_answers_are_not_cached_or_indexed(anonymous: Client, personas: Personas) -> None:
    lic = seed.licence(personas, "FR")
    for code in (lic.verification_code, "AAAAAAAAAAAAAAAAAAAAAAAAAA"):
        response = anonymous.get(f"/verify/{code}/")
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex"


def test_the_form_sends_the_code_to_its_page(anonymous: Client) -> None:
    response = anonymous.get("/verify/", {"code": "ABC234"})
    assert response.status_code == 302 and response["Location"] == "/verify/ABC234/"
    assert anonymous.get("/verify/").status_code == 200


def test_codes_are_random_128_bit_and_unrelated_to_the_number(personas: Personas) -> None:
    a, b = seed.licence(personas, "FR"), seed.licence(personas, "FR")
    for lic in (a, b):
        assert re.fullmatch(r"[A-Z2-7]{26}", lic.verification_code)
        assert lic.number not in lic.verification_code
    assert a.verification_code != b.verification_code
    assert len({new_verification_code() for _ in range(1000)}) == 1000


def test_a_licence_issued_through_the_service_gets_a_code(personas: Personas) -> None:
    from warden.cases.tests import factories as f

    lic = f.licensed(personas).licence
    assert re.fullmatch(r"[A-Z2-7]{26}", lic.verification_code)
    assert lic.verification_url().endswith(f"/verify/{lic.verification_code}/")


def test_the_verification_url_is_the_public_route(personas: Personas, settings: Any) -> None:
    from django.urls import reverse

    settings.PUBLIC_BASE_URL = "https://licensing.example.gov/"
    lic = seed.licence(personas, "FR")
    path = reverse("transparency:verify", args=[lic.verification_code])
    assert lic.verification_url() == f"https://licensing.example.gov{path}"


def test_the_migration_gives_an_existing_licence_without_a_code_its_own(personas: Personas) -> None:
    import importlib

    from django.apps import apps as global_apps

    migration = importlib.import_module("warden.licences.migrations.0003_licence_verification_code")
    lic, other = seed.licence(personas, "FR"), seed.licence(personas, "DE")
    # As the migration finds a licence issued before it: no code (NULL in the migration, "" here, since the
    # column of the migrated schema is NOT NULL).
    Licence.objects.filter(pk=lic.pk).update(verification_code="")
    migration.backfill_codes(global_apps, None)
    lic.refresh_from_db()
    assert re.fullmatch(r"[A-Z2-7]{26}", lic.verification_code)
    assert Licence.objects.get(pk=other.pk).verification_code == other.verification_code
