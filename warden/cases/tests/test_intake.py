"""Application intake: warden.application/1 validated against the project's JSON Schema; a valid document
becomes a draft case with its goods, parties and the exporter as a party; an invalid one stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from warden.cases import services
from warden.cases.models import Case, PartyRole
from warden.flows import submission
from warden.flows.submission import validate_application
from warden.lib import clock
from warden.testing import Personas, sample_application

# Ratings are checked against the live control list (the current reference revision), so every test here
# may read the database.
pytestmark = pytest.mark.django_db


def pointers(doc: dict[str, Any]) -> list[str]:
    return [e.pointer for e in validate_application(doc)]


def test_the_contract_example_is_valid() -> None:
    assert validate_application(sample_application()) == []


@pytest.mark.parametrize(
    ("mutate", "pointer", "words"),
    [
        (lambda d: d.update(destination="XX"), "/destination", "ISO 3166-1"),
        (lambda d: d["goods"][0]["value"].update(currency="EURO"), "/goods/0/value/currency", "ISO 4217"),
        (lambda d: d["goods"][0].update(rating="ML23"), "/goods/0/rating", "control-list rating"),
        (lambda d: d["goods"][0].update(quantity=0), "/goods/0/quantity", "positive whole number"),
        (lambda d: d["goods"][0].update(quantity=2.5), "/goods/0/quantity", "positive whole number"),
        (lambda d: d["goods"][0]["value"].update(amount=-1), "/goods/0/value/amount", ">= 0"),
        (lambda d: d.update(goods=[]), "/goods", "at least one goods line"),
        (lambda d: d.update(parties=[d["parties"][1]]), "/parties", "end_user"),
        (lambda d: d.update(licence_type="open"), "/licence_type", '"individual"'),
        (
            lambda d: d["end_user_certificate"].update(issued_on="2026-02-30"),
            "/end_user_certificate/issued_on",
            "YYYY-MM-DD",
        ),
        (
            lambda d: d["end_user_certificate"].update(re_export="maybe"),
            "/end_user_certificate/re_export",
            "prohibited",
        ),
        (lambda d: d["parties"][0].update(sector="militia"), "/parties/0/sector", "armed_forces"),
        (lambda d: d["parties"][0].update(date_of_birth="1970"), "/parties/0/date_of_birth", "only persons"),
        (lambda d: d.pop("end_use"), "/end_use", "required"),
        (lambda d: d.update(destinaton="NO"), "/destinaton", "unknown field"),
        (lambda d: d.update(format="warden.application/2"), "/format", "warden.application/1"),
        (lambda d: d["parties"][0].update(country="Norway"), "/parties/0/country", "ISO 3166-1"),
    ],
)
def test_each_contract_rule_names_the_field(mutate: Any, pointer: str, words: str) -> None:
    doc = sample_application()
    mutate(doc)
    errors = validate_application(doc)
    assert pointer in [e.pointer for e in errors], errors
    assert any(words in e.message for e in errors if e.pointer == pointer), errors


@pytest.mark.parametrize(
    "rating", ["ML1", "ML10.d", "ML8.c.4", "ML22", "5A002", "9A012.a", "1C350.b.2", "PL5001"]
)
def test_real_ratings_are_accepted(rating: str) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = rating
    assert pointers(doc) == []


def test_persons_may_have_partial_dates_of_birth_but_real_ones() -> None:
    doc = sample_application()
    doc["parties"].append(
        {
            "role": "intermediary",
            "type": "person",
            "name": "J. Smith",
            "date_of_birth": "1971-04",
            "nationality": "GB",
        }
    )
    assert pointers(doc) == []
    doc["parties"][-1]["date_of_birth"] = "1971-02-30"
    assert pointers(doc) == ["/parties/2/date_of_birth"]


def test_a_certificate_dated_in_the_future_is_accepted_for_the_assessment_to_refer() -> None:
    # Issue 10 section 4: a future or late issue date is a criterion-7 finding (euc.issue_date, refer), not a
    # document error, so the officer sees it on the case (warden/rules/tests/cases.yaml).
    doc = sample_application()
    doc["end_user_certificate"]["issued_on"] = (clock.today() + dt.timedelta(days=3)).isoformat()
    assert pointers(doc) == []


def test_a_certificate_cannot_lapse_before_it_was_issued() -> None:
    doc = sample_application()
    doc["end_user_certificate"]["valid_until"] = "2025-12-31"  # issued 2026-01-10
    assert pointers(doc) == ["/end_user_certificate/valid_until"]
    doc["end_user_certificate"]["valid_until"] = "2027-01-10"
    assert pointers(doc) == []


def test_not_an_object() -> None:
    assert pointers([1, 2]) == [""]  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_valid_document_becomes_a_draft_with_goods_parties_and_the_exporter(personas: Personas) -> None:
    doc = sample_application()
    doc["goods"].append(
        {
            "description": "Gearbox",
            "rating": "ML10.d",
            "quantity": 2,
            "value": {"amount": 99.99, "currency": "EUR"},
        }
    )
    case = submission.create_application(actor=personas.exporter, document=doc)
    assert case.organisation == personas.org_a and case.created_by == personas.exporter
    assert (case.licence_type, case.destination, case.euc_number) == ("individual", "NO", "EUC-NO-2026-17")
    assert case.client_reference == "APP-2026-000123"
    assert [(g.line_no, g.rating, g.quantity, str(g.value_amount)) for g in case.goods.all()] == [
        (0, "ML10.d", 4, "1250000.00"),
        (1, "ML10.d", 2, "99.99"),
    ]
    roles = [(p.index, p.role, p.name) for p in case.parties.all()]
    assert roles == [
        (0, PartyRole.END_USER, "Norwegian Defence Materiel Agency"),
        (1, PartyRole.CONSIGNEE, "Kjeller Aero Services AS"),
        (2, PartyRole.EXPORTER, "Northbridge Defence Ltd"),
    ]
    assert case.parties.get(role=PartyRole.EXPORTER).identifiers == [
        {"type": "registration_number", "number": "GB123"}
    ]
    assert case.document == doc


@pytest.mark.django_db
def test_an_invalid_document_stores_nothing(personas: Personas) -> None:
    doc = sample_application()
    doc["goods"][0]["quantity"] = -4
    with pytest.raises(services.InvalidDocument) as exc:
        submission.create_application(actor=personas.exporter, document=doc)
    assert [e.pointer for e in exc.value.errors] == ["/goods/0/quantity"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_only_exporters_create_applications(personas: Personas) -> None:
    with pytest.raises(services.NotPermitted):
        submission.create_application(actor=personas.officer, document=sample_application())


@pytest.mark.django_db
def test_editing_a_draft_replaces_goods_and_parties(personas: Personas) -> None:
    case = submission.create_application(actor=personas.exporter, document=sample_application())
    doc = sample_application(destination="SE")
    doc["goods"][0]["quantity"] = 8
    submission.update_draft(actor=personas.exporter, case=case, document=doc)
    case.refresh_from_db()
    assert case.destination == "SE" and [g.quantity for g in case.goods.all()] == [8]
    assert case.parties.count() == 3


@pytest.mark.django_db
def test_submit_application_creates_and_submits_in_one_go(personas: Personas) -> None:
    case = submission.submit_application(actor=personas.exporter, document=sample_application())
    assert case.status == "submitted" and case.submitted_at is not None and case.sla_deadline is not None


def test_end_use_flags_must_be_known_and_unique() -> None:
    doc = sample_application()
    doc["end_use_flags"] = ["wmd", "uav"]
    assert pointers(doc) == []
    doc["end_use_flags"] = ["wmd", "espionage"]
    assert pointers(doc) == ["/end_use_flags/1"]
    doc["end_use_flags"] = ["uav", "uav"]
    assert pointers(doc) == ["/end_use_flags"]
