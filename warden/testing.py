"""Test personas and small builders shared by every app's tests (pytest fixtures live in conftest.py).

The personas mirror who uses Warden: two exporters of different companies, licensing officers, a senior
officer, advisers of two consulted departments, an oversight reader and an administrator.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password

from warden.accounts.models import Organisation, Role, Team, User

PASSWORD = "correct-horse-battery-staple"

SAMPLE_APPLICATION: dict[str, Any] = {
    "format": "warden.application/1",
    "reference": "APP-2026-000123",
    "licence_type": "individual",
    "exporter": {"name": "Northbridge Defence Ltd", "country": "GB", "registration_number": "GB123"},
    "destination": "NO",
    "end_use": "Replacement parts for the armed forces' transport helicopter fleet",
    "end_user_certificate": {
        "number": "EUC-NO-2026-17",
        "issued_on": "2026-01-10",
        "re_export": "with_consent",
        "delivery_verification": True,
        "post_shipment_verification": True,
    },
    "goods": [
        {
            "description": "Main rotor blade set",
            "rating": "ML10.d",
            "quantity": 4,
            "value": {"amount": 1250000, "currency": "EUR"},
        }
    ],
    "parties": [
        {
            "role": "end_user",
            "type": "organisation",
            "sector": "armed_forces",
            "name": "Norwegian Defence Materiel Agency",
            "aliases": [],
            "country": "NO",
            "address": "Kjeller, Norway",
            "identifiers": [],
        },
        {
            "role": "consignee",
            "type": "organisation",
            "sector": "commercial",
            "name": "Kjeller Aero Services AS",
            "country": "NO",
        },
    ],
    "submitted_on": "2026-03-01",
}


def sample_application(**overrides: Any) -> dict[str, Any]:
    doc = copy.deepcopy(SAMPLE_APPLICATION)
    doc.update(overrides)
    return doc


def sample_global_application(*, third: str = "BY", **overrides: Any) -> dict[str, Any]:
    """A global licence for the sample goods to Norway, Sweden and `third` (Belarus, under the EU arms
    embargo, unless told otherwise), one destination line each, with caps on Sweden's line."""
    doc = sample_application(licence_type="global")
    doc["goods"].append(
        {
            "description": "Tail rotor gearbox",
            "rating": "ML10.d",
            "quantity": 10,
            "value": {"amount": 200000, "currency": "EUR"},
        }
    )
    doc["parties"] += [
        {
            "role": "end_user",
            "type": "organisation",
            "sector": "armed_forces",
            "name": "Swedish Defence Materiel Administration",
            "country": "SE",
        },
        {
            "role": "end_user",
            "type": "organisation",
            "sector": "armed_forces",
            "name": f"Air Force Logistics Command {third}",
            "country": third,
        },
    ]
    doc["destinations"] = [
        {"country": "NO", "parties": [0, 1]},
        {
            "country": "SE",
            "parties": [2],
            "goods": [1],
            "quantity": 4,
            "value": {"amount": 80000, "currency": "EUR"},
        },
        {"country": third, "parties": [3], "goods": [0]},
    ]
    doc.update(overrides)
    return doc


def exporter_of(org: Organisation) -> dict[str, Any]:
    """The `exporter` object of a document for `org`: services refuse any exporter but the applicant's own."""
    out: dict[str, Any] = {"name": org.name, "country": org.country}
    if org.registration_number:
        out["registration_number"] = org.registration_number
    return out


def application_for(user: User, **overrides: Any) -> dict[str, Any]:
    """The sample application as `user`'s organisation would send it."""
    assert user.organisation is not None
    return sample_application(exporter=exporter_of(user.organisation), **overrides)


@dataclass
class Personas:
    org_a: Organisation
    org_b: Organisation
    authority: Organisation
    licensing: Team
    fcdo: Team
    mod: Team
    exporter: User
    exporter_b: User
    officer: User
    officer2: User
    senior: User
    senior2: User
    adviser_fcdo: User
    adviser_mod: User
    policy: User
    oversight: User
    admin: User


@cache
def _password_hash() -> str:
    # A fast hasher in tests would hide Argon2 problems, so personas get a real Argon2 hash of PASSWORD; but it
    # is computed once per process (about 0.25 s each, 17 personas per test made the suite crawl).
    return make_password(PASSWORD)


def make_user(username: str, role: str, *, org: Organisation | None = None, team: Team | None = None) -> User:
    user = User(username=username, role=role, organisation=org, team=team, first_name=username.title())
    user.password = _password_hash()
    user.save()
    return user


def make_personas() -> Personas:
    org_a = Organisation.objects.create(
        name="Northbridge Defence Ltd", country="GB", registration_number="GB123"
    )
    org_b = Organisation.objects.create(name="Southgate Arms plc", country="GB", registration_number="GB456")
    authority = Organisation.objects.create(name="Export Control Authority", kind=Organisation.Kind.AUTHORITY)
    licensing, _ = Team.objects.get_or_create(code="licensing", defaults={"name": "Licensing Unit"})
    fcdo, _ = Team.objects.get_or_create(
        code="foreign-affairs", defaults={"name": "Foreign Affairs", "is_advisory": True}
    )
    mod, _ = Team.objects.get_or_create(code="defence", defaults={"name": "Defence", "is_advisory": True})
    return Personas(
        org_a=org_a,
        org_b=org_b,
        authority=authority,
        licensing=licensing,
        fcdo=fcdo,
        mod=mod,
        exporter=make_user("alice", Role.EXPORTER, org=org_a),
        exporter_b=make_user("bob", Role.EXPORTER, org=org_b),
        officer=make_user("olivia", Role.LICENSING_OFFICER, org=authority, team=licensing),
        officer2=make_user("oscar", Role.LICENSING_OFFICER, org=authority, team=licensing),
        senior=make_user("sam", Role.SENIOR_OFFICER, org=authority, team=licensing),
        senior2=make_user("sara", Role.SENIOR_OFFICER, org=authority, team=licensing),
        adviser_fcdo=make_user("fiona", Role.ADVISER, org=authority, team=fcdo),
        adviser_mod=make_user("max", Role.ADVISER, org=authority, team=mod),
        policy=make_user("paula", Role.POLICY_OFFICER, org=authority),
        oversight=make_user("owen", Role.OVERSIGHT, org=authority),
        admin=make_user("ada", Role.ADMINISTRATOR, org=authority),
    )
