"""The demo's organisations and people: an exporter login per company and staff for every role."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from warden.accounts.actors import system
from warden.accounts.models import Organisation, Role, Team, User
from warden.accounts.services import create_user, ensure_reference_setup

DEMO_PASSWORD = "warden-demo-2026"
# The demo loader creates its people as the system (accounts.policy.SYSTEM_ACTS allows that).
DEMO = system("demo loader: the demo people")


EXPORTERS: list[tuple[str, str, str, str]] = [
    # name, registration number, address, demo login (None: its cases exist but nobody logs in as it)
    ("Northbridge Defence Ltd", "GB04417352", "Unit 4, Riverside Park, Bristol BS2 0JA", "exporter"),
    ("Southgate Arms plc", "GB01983321", "12 Southgate Street, Glasgow G1 5QR", "exporter2"),
    ("Harland Optics Ltd", "GB07781150", "Harland House, Leeds LS11 5DF", ""),
    ("Caledon Cryptographic Systems Ltd", "SC512207", "3 Quarry Road, Edinburgh EH6 4XX", ""),
    ("Pennine Aerospace Components Ltd", "GB09213456", "Hangar 7, Manchester Airport M90 3RA", ""),
]

STAFF: list[tuple[str, str, str, str, str]] = [
    # username, role, team code, first name, last name
    ("officer", Role.LICENSING_OFFICER, "licensing", "Olivia", "Okafor"),
    ("officer2", Role.LICENSING_OFFICER, "licensing", "Oscar", "Lindqvist"),
    ("senior", Role.SENIOR_OFFICER, "licensing", "Samira", "Haddad"),
    ("senior2", Role.SENIOR_OFFICER, "licensing", "Stuart", "MacLeod"),
    ("adviser.fa", Role.ADVISER, "foreign-affairs", "Fiona", "Achterberg"),
    ("adviser.defence", Role.ADVISER, "defence", "Marcus", "Reid"),
    ("adviser.intel", Role.ADVISER, "intelligence", "Imogen", "Park"),
    ("policy", Role.POLICY_OFFICER, "", "Priya", "Raman"),
    ("inspector", Role.COMPLIANCE_INSPECTOR, "", "Ines", "Varga"),
    ("oversight", Role.OVERSIGHT, "", "Owen", "Price"),
    ("admin", Role.ADMINISTRATOR, "", "Ada", "Byrne"),
]

LOGINS: list[tuple[str, str]] = [
    ("exporter", "Exporter at Northbridge Defence Ltd"),
    ("exporter2", "Exporter at Southgate Arms plc"),
    ("officer", "Licensing officer"),
    ("officer2", "Licensing officer"),
    ("senior", "Senior officer (countersigns and finalises)"),
    ("senior2", "Senior officer"),
    ("adviser.fa", "Adviser, Foreign Affairs"),
    ("adviser.defence", "Adviser, Defence"),
    ("adviser.intel", "Adviser, Intelligence"),
    ("policy", "Policy officer (legislation)"),
    ("inspector", "Compliance inspector (end-use checks)"),
    ("oversight", "Oversight (read-only)"),
    ("admin", "Administrator (users, not cases)"),
]


@dataclass
class People:
    exporters: list[User]  # one per organisation in EXPORTERS order
    officers: list[User]
    seniors: list[User]
    advisers: dict[str, User]  # team code -> adviser
    policy: User
    inspector: User
    teams: dict[str, Team]


def ensure_people() -> People:
    """The demo organisations and people (idempotent)."""
    teams = ensure_reference_setup()
    exporters = []
    for i, (name, reg, address, login) in enumerate(EXPORTERS):
        org = Organisation.objects.filter(name=name, kind=Organisation.Kind.EXPORTER).first()
        if org is None:
            org = Organisation.objects.create(
                name=name, registration_number=reg, address=address, country="GB"
            )
        username = login or f"exporter.{i + 1}"
        user = User.objects.filter(username=username).first() or create_user(
            actor=DEMO,
            username=username,
            role=Role.EXPORTER,
            organisation=org,
            password=None,
            first_name=["Ellen", "Emeka", "Harriet", "Calum", "Priti"][i],
            last_name=["Marsh", "Obi", "Lyle", "Ross", "Nair"][i],
            validate=False,
        )
        exporters.append(user)
    staff: dict[str, User] = {}
    for username, role, team, first, last in STAFF:
        staff[username] = User.objects.filter(username=username).first() or create_user(
            actor=DEMO,
            username=username,
            role=role,
            team=teams[team] if team else None,
            password=None,
            first_name=first,
            last_name=last,
            validate=False,
        )
    # One Argon2 hash of the published demo password for every demo login (hashing takes about a second
    # per user here, and these accounts share a published password anyway).
    logins = [
        u for u in [*exporters, *staff.values()] if u.username in dict(LOGINS) and not u.has_usable_password()
    ]
    if logins:
        User.objects.filter(pk__in=[u.pk for u in logins]).update(password=make_password(DEMO_PASSWORD))
    return People(
        exporters=exporters,
        officers=[staff["officer"], staff["officer2"]],
        seniors=[staff["senior"], staff["senior2"]],
        advisers={
            "foreign-affairs": staff["adviser.fa"],
            "defence": staff["adviser.defence"],
            "intelligence": staff["adviser.intel"],
        },
        policy=staff["policy"],
        inspector=staff["inspector"],
        teams=teams,
    )
