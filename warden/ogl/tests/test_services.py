"""The OGL services: publishing versions, registering, status changes and use reports, each check and
refusal, the version in force on the shipment date, and the audit entries."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from warden.audit.models import AuditEntry
from warden.audit.presentation import ACTION_LABELS
from warden.lib.actors import system
from warden.lib.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from warden.ogl import services
from warden.ogl import terms as t
from warden.ogl.models import END_USE_FLAGS, OglRegistration, OglUse, OpenGeneralLicence, RegistrationStatus
from warden.ogl.tests.conftest import REF, V1, V2, at, use
from warden.testing import Personas

S = RegistrationStatus


def _data(action: str) -> dict[str, object]:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return json.loads(entry.entry)["data"]  # type: ignore[no-any-return]


# Publishing


def test_a_new_version_closes_the_one_before_on_its_first_day(ogl: OpenGeneralLicence) -> None:
    v1, v2 = ogl.versions.order_by("number")
    assert (v1.number, v1.effective_from, v1.effective_until) == (1, dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    assert (v2.number, v2.effective_until) == (2, None)
    assert ogl.version_on(dt.date(2026, 5, 31)) == v1
    assert ogl.version_on(dt.date(2026, 6, 1)) == v2
    assert ogl.version_on(dt.date(2024, 12, 31)) is None
    assert _data("ogl.publish")["version"] == 2


def test_only_the_policy_officer_or_the_system_publishes(personas: Personas) -> None:
    for who in (personas.exporter, personas.senior, personas.officer):
        with pytest.raises(NotPermitted):
            services.publish(actor=who, reference="OGL-X", title="X", terms=t.parse_terms(V1))
    services.publish(actor=personas.policy, reference="OGL-X", title="X", terms=t.parse_terms(V1))
    assert OpenGeneralLicence.objects.get(reference="OGL-X").versions.get().published_by == personas.policy


def test_a_version_may_not_start_before_the_latest_one(ogl: OpenGeneralLicence) -> None:
    with pytest.raises(InvalidInput, match="effective_from: 2026-03-01 is not after the start of version 2"):
        services.publish(
            actor=system("tests"),
            reference=REF,
            title="t",
            terms=t.parse_terms({**V2, "effective_from": "2026-03-01"}),
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"permitted_destinations": ["NO", "ZZ"]},
            "permitted_destinations: 'ZZ' is not an ISO 3166-1 country code",
        ),
        ({"permitted_destinations": []}, "permitted_destinations: name at least one country"),
        ({"excluded_destinations": ["NO"]}, "excluded_destinations: NO also permitted"),
        ({"permitted_ratings": "ML10.d, ML/5"}, "permitted_ratings: 'ML/5' is not a control-list rating"),
        ({"excluded_end_use_flags": ["nuclear"]}, "excluded_end_use_flags: 'nuclear' is not an end-use flag"),
        ({"max_value": "-5"}, "max_value: must be a positive amount"),
        ({"max_value_currency": "pounds"}, "max_value_currency: 'pounds' is not an ISO 4217 currency code"),
        ({"effective_until": "2024-01-01"}, "effective_until: must be after effective_from"),
        ({"citation": " "}, "citation: required"),
    ],
)
def test_terms_name_the_field_they_refuse(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        t.parse_terms({**V1, **change})


def test_the_excluded_flags_are_the_catch_all_ones() -> None:
    assert set(END_USE_FLAGS) == {
        "wmd",
        "military_end_use",
        "illegal_military_parts",
        "internal_repression",
        "uav",
    }


# Registering


def test_an_exporter_registers_and_gets_a_reference_for_customs(registration: OglRegistration) -> None:
    assert registration.reference == f"{REF}-{registration.pk:06d}"
    assert registration.status == S.EXTANT
    assert registration.organisation.name == "Northbridge Defence Ltd"
    assert _data("ogl.register") == {
        "registration": registration.reference,
        "ogl": REF,
        "organisation": "Northbridge Defence Ltd",
    }


def test_a_second_registration_is_refused_while_one_is_extant_suspended_or_revoked(
    personas: Personas, registration: OglRegistration
) -> None:
    ogl = registration.ogl
    with pytest.raises(Conflict, match="Northbridge Defence Ltd already holds OGL-TEST-PARTS"):
        services.register(actor=personas.exporter, ogl=ogl)
    services.change_status(
        actor=personas.senior, registration=registration, action="suspend", reason="audit finding"
    )
    with pytest.raises(Conflict, match="is suspended from OGL-TEST-PARTS"):
        services.register(actor=personas.exporter, ogl=ogl)
    services.change_status(
        actor=personas.senior, registration=registration, action="revoke", reason="no progress"
    )
    with pytest.raises(Conflict, match="had its registration revoked for OGL-TEST-PARTS"):
        services.register(actor=personas.exporter, ogl=ogl)
    # Another company is not concerned.
    assert services.register(actor=personas.exporter_b, ogl=ogl).status == S.EXTANT


def test_after_deregistering_the_company_may_register_again(
    personas: Personas, registration: OglRegistration
) -> None:
    services.change_status(actor=personas.exporter, registration=registration, action="deregister")
    again = services.register(actor=personas.exporter, ogl=registration.ogl)
    assert again.pk != registration.pk and again.status == S.EXTANT


def test_officers_and_the_system_do_not_register(personas: Personas, ogl: OpenGeneralLicence) -> None:
    for who in (personas.officer, personas.senior, personas.policy, system("tests")):
        with pytest.raises(NotPermitted):
            services.register(actor=who, ogl=ogl)
    assert not OglRegistration.objects.exists()


def test_an_ogl_not_in_force_today_cannot_be_registered(personas: Personas) -> None:
    services.publish(
        actor=system("tests"),
        reference="OGL-OLD",
        title="Old",
        terms=t.parse_terms({**V1, "effective_until": "2026-01-01"}),
    )
    with pytest.raises(Conflict, match="OGL-OLD is not in force today"):
        services.register(actor=personas.exporter, ogl=OpenGeneralLicence.objects.get(reference="OGL-OLD"))


# Status changes


def test_the_senior_officer_suspends_with_a_reason_and_reinstates(
    personas: Personas, registration: OglRegistration
) -> None:
    with pytest.raises(InvalidInput, match="reason: required"):
        services.change_status(actor=personas.senior, registration=registration, action="suspend", reason="")
    for who in (personas.officer, personas.exporter, personas.policy):
        with pytest.raises(NotPermitted):
            services.change_status(actor=who, registration=registration, action="suspend", reason="x")
    services.change_status(
        actor=personas.senior, registration=registration, action="suspend", reason="records missing"
    )
    registration.refresh_from_db()
    assert (registration.status, registration.status_reason) == (S.SUSPENDED, "records missing")
    assert _data("ogl.suspend") == {
        "registration": registration.reference,
        "from": "extant",
        "to": "suspended",
        "reason": "records missing",
    }
    # A suspended holder may not deregister itself out of the suspension.
    with pytest.raises(IllegalTransition, match="is suspended: it cannot be deregistered"):
        services.change_status(actor=personas.exporter, registration=registration, action="deregister")
    services.change_status(
        actor=personas.senior, registration=registration, action="reinstate", reason="records found"
    )
    registration.refresh_from_db()
    assert registration.status == S.EXTANT


def test_another_company_may_not_surrender_the_registration(
    personas: Personas, registration: OglRegistration
) -> None:
    with pytest.raises(NotPermitted):
        services.change_status(actor=personas.exporter_b, registration=registration, action="surrender")
    services.change_status(actor=personas.exporter, registration=registration, action="surrender")
    assert _data("ogl.surrender")["to"] == "surrendered"


# Reporting a use


def test_a_use_is_recorded_against_the_version_in_force_on_the_shipment_date(
    personas: Personas, registration: OglRegistration
) -> None:
    u, created = services.report_use(actor=personas.exporter, registration=registration, report=use())
    assert created and u.version.number == 2 and u.value_amount == 12500 and u.currency == "GBP"
    early, _ = services.report_use(
        actor=personas.exporter,
        registration=registration,
        report=use(shipped_on="2026-04-10", destination="TR", customs_declaration="26GB-2"),
    )
    # Turkey was permitted under version 1, in force on 10 Apr 2026, though excluded today.
    assert early.version.number == 1 and early.destination == "TR"
    assert _data("ogl.use")["version"] == 1


def test_the_same_declaration_reported_twice_is_one_use(
    personas: Personas, registration: OglRegistration
) -> None:
    first, _ = services.report_use(actor=personas.exporter, registration=registration, report=use())
    again, created = services.report_use(actor=personas.exporter, registration=registration, report=use())
    assert again.pk == first.pk and not created
    assert OglUse.objects.count() == 1 and AuditEntry.objects.filter(action="ogl.use").count() == 1
    with pytest.raises(Conflict, match="customs_declaration: 26GB000000000001A1 was already reported"):
        services.report_use(actor=personas.exporter, registration=registration, report=use(quantity=5))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"destination": "TR"},
            "destination: TR is excluded by OGL-TEST-PARTS (version 2, in force from 2026-06-01)",
        ),
        (
            {"destination": "FR"},
            "destination: FR is not a permitted destination of OGL-TEST-PARTS (version 2",
        ),
        ({"destination": "ZZ"}, "destination: 'ZZ' is not an ISO 3166-1 country code"),
        ({"ratings": ["ML10.d", "ML1.a"]}, "ratings: ML1.a is not within the ratings OGL-TEST-PARTS"),
        (
            {"ratings": ["ML5.c"]},
            "ratings: ML5.c is excluded by OGL-TEST-PARTS (version 2, in force from 2026-06-01) (excluded: ML5.c)",
        ),
        ({"ratings": []}, "ratings: at least one control-list rating"),
        (
            {"end_use_flags": ["uav"]},
            "end_use_flags: OGL-TEST-PARTS (version 2, in force from 2026-06-01) may not be used where there is a uav end-use concern",
        ),
        ({"value": "200000.01"}, "value: 200000.01 GBP is over the cap of 200000.00 GBP per shipment"),
        (
            {"currency": "EUR"},
            "currency: OGL-TEST-PARTS (version 2, in force from 2026-06-01) caps a shipment at 200000.00 GBP",
        ),
        ({"shipped_on": "2026-12-02"}, "shipped_on: 2026-12-02 is in the future"),
        ({"shipped_on": "2026-02-28"}, "shipped_on: 2026-02-28 is before the registration (2026-03-01)"),
        ({"shipped_on": "yesterday"}, "shipped_on: 'yesterday' is not a date"),
        ({"quantity": 0}, "quantity: must be between 1 and"),
        ({"value": "lots"}, "value: 'lots' is not an amount"),
        ({"consignee_name": ""}, "consignee_name: required"),
        ({"customs_declaration": ""}, "customs_declaration: required"),
    ],
)
def test_each_condition_broken_is_refused_naming_the_field(
    personas: Personas, registration: OglRegistration, change: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.report_use(actor=personas.exporter, registration=registration, report=use(**change))
    assert message in str(exc.value)
    assert exc.value.field == message.split(":")[0]
    assert not OglUse.objects.exists()


def test_the_uav_exclusion_did_not_apply_before_version_two(
    personas: Personas, registration: OglRegistration
) -> None:
    u, _ = services.report_use(
        actor=personas.exporter,
        registration=registration,
        report=use(shipped_on="2026-05-31", end_use_flags=["uav"]),
    )
    assert u.version.number == 1


def test_a_shipment_while_suspended_is_refused_even_after_reinstatement(
    personas: Personas, registration: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC))
    services.change_status(actor=personas.senior, registration=registration, action="suspend", reason="audit")
    at(monkeypatch, dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC))
    services.change_status(
        actor=personas.senior, registration=registration, action="reinstate", reason="fixed"
    )
    at(monkeypatch, dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(InvalidInput, match="shipped_on: on 2026-09-15 registration .* was suspended"):
        services.report_use(
            actor=personas.exporter, registration=registration, report=use(shipped_on="2026-09-15")
        )
    # Before the suspension, and after the reinstatement, the registration covered shipments.
    services.report_use(
        actor=personas.exporter,
        registration=registration,
        report=use(shipped_on="2026-08-31", customs_declaration="A"),
    )
    services.report_use(
        actor=personas.exporter,
        registration=registration,
        report=use(shipped_on="2026-10-02", customs_declaration="B"),
    )


def test_a_use_after_the_registration_ended_is_refused_but_an_earlier_one_may_still_be_reported(
    personas: Personas, registration: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    services.change_status(actor=personas.exporter, registration=registration, action="surrender")
    at(monkeypatch, dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(InvalidInput, match="was surrendered; it did not cover the shipment"):
        services.report_use(
            actor=personas.exporter, registration=registration, report=use(shipped_on="2026-11-10")
        )
    u, _ = services.report_use(
        actor=personas.exporter, registration=registration, report=use(shipped_on="2026-10-10")
    )
    assert u.shipped_on == dt.date(2026, 10, 10)


def test_a_use_after_the_ogl_version_ended_is_refused(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.publish(
        actor=system("tests"),
        reference="OGL-END",
        title="Ends",
        terms=t.parse_terms({**V1, "effective_until": "2026-11-15"}),
    )
    ogl = OpenGeneralLicence.objects.get(reference="OGL-END")
    at(monkeypatch, dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC))
    reg = services.register(actor=personas.exporter, ogl=ogl)
    at(monkeypatch, dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(InvalidInput, match="shipped_on: OGL-END was not in force on 2026-11-20"):
        services.report_use(actor=personas.exporter, registration=reg, report=use())


def test_only_the_holders_exporters_report_uses(personas: Personas, registration: OglRegistration) -> None:
    for who in (personas.exporter_b, personas.officer, personas.senior, system("tests")):
        with pytest.raises(NotPermitted):
            services.report_use(actor=who, registration=registration, report=use())


def test_every_ogl_action_recorded_has_an_audit_label() -> None:
    actions = {"ogl.publish", "ogl.register", "ogl.use"} | {f"ogl.{a}" for a in services.CHANGES}
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_the_flags_match_the_catch_all_rules_once_they_exist() -> None:
    catch_all = pytest.importorskip("warden.rules.catch_all")
    if not hasattr(catch_all, "END_USE_FLAGS"):
        pytest.skip("warden.rules.catch_all has no END_USE_FLAGS yet")
    assert set(END_USE_FLAGS) == set(catch_all.END_USE_FLAGS)
