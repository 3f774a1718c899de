"""Demo data: people for every role and a realistic caseload, for `warden demo`.

`load_demo` replays the last months of a licensing authority through the real services, in time order:
the clock (django.utils.timezone.now) is set to each step's moment, so every case, transition, audit entry,
SLA deadline, assessment and licence date is what it would have been had people done it then. That keeps
the audit log's entries in time order and the history believable (overdue cases, expired licences...).
Idempotent: a second run finds the demo organisations' cases and only tops up to the requested number.

`bulk_cases` is for BENCHMARKS ONLY (bench/load.py): it bulk-inserts rows straight into the tables, with
no services, no audit entries and no screening or assessment, to reach 100,000 cases in minutes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from warden.accounts.models import Organisation, Role, Team, User
from warden.accounts.services import create_user, ensure_reference_setup
from warden.cases import services
from warden.cases.models import (
    Case,
    CaseTransition,
    Decision,
    GoodsLine,
    InformationRequest,
    LicenceType,
    Party,
    PartyRole,
    Referral,
    Status,
)
from warden.cases.sla import deadline_from, sla_days_for
from warden.flows import amendment, submission
from warden.lib import clock

DEMO_PASSWORD = "warden-demo-2026"

# ---------------------------------------------------------------------------------------------- people

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
            actor=None,
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
            actor=None,
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
        teams=teams,
    )


# ---------------------------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    destination: str
    end_user: tuple[str, str, str]  # name, sector, address
    goods: tuple[tuple[str, str, int, int, str], ...]  # description, rating, quantity, amount, currency
    end_use: str
    outcome: str  # approve | conditions | refuse
    criteria: tuple[str, ...] = ()
    teams: tuple[str, ...] = ("foreign-affairs",)
    consignee: tuple[str, str] | None = None  # name, sector
    why: str = ""


SCENARIOS: list[Scenario] = [
    Scenario(
        "NO",
        ("Norwegian Defence Materiel Agency", "armed_forces", "Kjeller, Norway"),
        (
            ("Main rotor blade set", "ML10.d", 4, 1250000, "EUR"),
            ("Tail rotor gearbox", "ML10.d", 2, 310000, "EUR"),
        ),
        "Replacement parts for the armed forces' transport helicopter fleet",
        "approve",
        teams=("defence",),
        consignee=("Kjeller Aero Services AS", "commercial"),
    ),
    Scenario(
        "US",
        ("US Army Contracting Command", "armed_forces", "Redstone Arsenal, Alabama"),
        (("Fire control computer", "ML5.b", 12, 2400000, "USD"),),
        "Integration into vehicle-mounted fire control systems",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "AU",
        ("Department of Defence, Capability Acquisition and Sustainment Group", "government", "Canberra"),
        (("Thermal imaging weapon sight", "ML15.c", 150, 900000, "AUD"),),
        "Equipment for army infantry units",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "JP",
        ("Japan Ground Self-Defense Force", "armed_forces", "Tokyo"),
        (("Radar signal processor modules", "ML11.a", 30, 1800000, "JPY"),),
        "Spares for air defence radar",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "PL",
        ("Polish Armaments Group", "government", "Radom, Poland"),
        (("Armoured vehicle suspension units", "ML6.a", 40, 2100000, "EUR"),),
        "Upgrade of infantry fighting vehicles",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "UA",
        ("Ministry of Defence of Ukraine", "armed_forces", "Kyiv"),
        (
            ("Counter-UAS jamming system", "ML11.a", 20, 3100000, "EUR"),
            ("Body armour plates", "ML13.d", 4000, 1600000, "EUR"),
        ),
        "Self-defence of the armed forces",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IN",
        ("Bharat Dynamics Limited", "government", "Hyderabad, India"),
        (("Missile seeker test equipment", "ML4.c", 3, 780000, "GBP"),),
        "Production test line for surface-to-air missiles",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IN",
        ("Tata Consultancy Services", "commercial", "Mumbai, India"),
        (("Network encryption appliances", "5A002.a", 60, 420000, "GBP"),),
        "Securing a bank's inter-branch network",
        "approve",
        teams=("intelligence",),
    ),
    Scenario(
        "AE",
        ("UAE Armed Forces General Headquarters", "armed_forces", "Abu Dhabi"),
        (("Military communications radios", "ML11.a", 300, 4500000, "USD"),),
        "Communications for the land forces",
        "conditions",
        teams=("foreign-affairs", "intelligence"),
    ),
    Scenario(
        "SA",
        ("Royal Saudi Land Forces", "armed_forces", "Riyadh"),
        (("155 mm artillery ammunition", "ML4.a", 5000, 9000000, "USD"),),
        "Stockpile replenishment",
        "refuse",
        ("EU-CP:2", "EU-CP:6", "ATT:7"),
        teams=("foreign-affairs", "defence"),
        why="clear risk of use in violation of humanitarian law",
    ),
    Scenario(
        "SA",
        ("Saudi Arabian Military Industries", "government", "Riyadh"),
        (("Aircraft maintenance tooling", "ML10.g", 25, 650000, "GBP"),),
        "Maintenance of training aircraft",
        "conditions",
        teams=("foreign-affairs",),
    ),
    Scenario(
        "LY",
        ("Libyan National Army Logistics Directorate", "non_state_armed_group", "Benghazi"),
        (("Assault rifles", "ML1.a", 800, 1200000, "USD"),),
        "Equipping security units",
        "refuse",
        ("EU-CP:1", "ATT:6.1"),
        teams=("foreign-affairs", "intelligence"),
        why="UN arms embargo (UNSCR 1970 (2011))",
    ),
    Scenario(
        "KP",
        ("Korea Mining Development Trading Corporation", "government", "Pyongyang"),
        (("CNC machine tools", "2B001.a", 6, 700000, "EUR"),),
        "Industrial machining",
        "refuse",
        ("EU-CP:1",),
        teams=("intelligence",),
        why="UN sanctions; the end user is a designated entity (KOMID)",
    ),
    Scenario(
        "RU",
        ("Uralvagonzavod", "government", "Nizhny Tagil, Russia"),
        (("Tank fire-control thermal cameras", "ML15.c", 40, 1900000, "EUR"),),
        "Upgrade of main battle tanks",
        "refuse",
        ("EU-CP:1", "EU-CP:4"),
        teams=("foreign-affairs", "intelligence"),
        why="EU arms embargo on Russia (Council Decision 2014/512/CFSP)",
    ),
    Scenario(
        "CN",
        ("Shenzhen Longwei Electronics Co.", "commercial", "Shenzhen, China"),
        (("High-speed analogue-to-digital converters", "3A001.a", 2000, 380000, "USD"),),
        "Telecommunications base stations",
        "refuse",
        ("EU-CP:7",),
        teams=("intelligence",),
        why="risk of diversion to military end use",
    ),
    Scenario(
        "TR",
        ("Turkish Aerospace Industries", "government", "Ankara"),
        (("UAV flight control computers", "9A012.b", 10, 1400000, "EUR"),),
        "Production of unmanned aerial vehicles",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "BR",
        ("Polícia Federal", "police", "Brasília"),
        (("Surveillance camera systems", "6A003.b", 80, 300000, "EUR"),),
        "Border surveillance",
        "conditions",
        teams=("foreign-affairs",),
    ),
    Scenario(
        "SG",
        ("Jurong Speciality Chemicals Pte Ltd", "commercial", "Singapore"),
        (("Thiodiglycol", "1C350.b", 2000, 90000, "SGD"),),
        "Manufacture of inks and dyes",
        "refuse",
        ("EU-CP:7", "NATIONAL:CWC-SCHEDULE-2"),
        teams=("intelligence",),
        why="chemical weapons precursor with an unverified end user",
    ),
    Scenario(
        "CH",
        ("armasuisse", "government", "Bern"),
        (("Training simulators", "ML14", 2, 2600000, "CHF"),),
        "Pilot training",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "KR",
        ("Hanwha Aerospace", "commercial", "Changwon, Republic of Korea"),
        (("Gas turbine engine components", "ML10.d", 120, 3300000, "USD"),),
        "Engines for self-propelled howitzers",
        "approve",
        teams=("defence",),
    ),
    Scenario(
        "EG",
        ("Egyptian Ministry of Interior", "police", "Cairo"),
        (("Riot control vehicles", "ML6.b", 12, 2800000, "USD"),),
        "Public order policing",
        "refuse",
        ("EU-CP:2", "ATT:7"),
        teams=("foreign-affairs",),
        why="clear risk of use for internal repression",
    ),
    Scenario(
        "ID",
        ("PT Pindad", "government", "Bandung, Indonesia"),
        (("Small arms ammunition production machinery", "ML18.a", 2, 1100000, "EUR"),),
        "Ammunition production",
        "conditions",
        teams=("foreign-affairs", "defence"),
    ),
    Scenario(
        "IL",
        ("Israel Ministry of Defense", "armed_forces", "Tel Aviv"),
        (("Combat aircraft components", "ML10.d", 50, 1700000, "USD"),),
        "Aircraft maintenance",
        "refuse",
        ("EU-CP:2", "ATT:6.3"),
        teams=("foreign-affairs",),
        why="clear risk of serious violations of international humanitarian law",
    ),
    Scenario(
        "SE",
        ("Försvarets materielverk (FMV)", "government", "Stockholm"),
        (("Naval radar spare parts", "ML11.a", 18, 540000, "SEK"),),
        "Maintenance of naval radar",
        "approve",
        teams=("defence",),
    ),
    # Parties written differently from an entry of the bundled sample UN list (screening/data/demo-un.xml),
    # so that the demo's case pages and screening queue have real matches to review.
    Scenario(
        "CN",
        ("Dalian Haixing Machinery Trading Co., Ltd.", "commercial", "Dalian, China"),
        (("Five-axis machining centre", "2B001.b", 2, 950000, "EUR"),),
        "Resale to a machine shop",
        "refuse",
        ("EU-CP:1", "EU-CP:7"),
        teams=("intelligence",),
        consignee=("Green Pine Associated Corp.", "commercial"),  # listed: GREEN PINE ASSOCIATED CORPORATION
        why="UN sanctions: the consignee is a designated entity (Green Pine)",
    ),
    Scenario(
        "AE",
        ("Ryonbong General Corporation of Korea", "commercial", "Dubai, United Arab Emirates"),
        (("Marine diesel engine spares", "ML9.c", 8, 300000, "USD"),),
        "Maintenance of merchant vessels",
        "refuse",
        ("EU-CP:1",),
        teams=("intelligence",),
        why="UN sanctions: the end user is a designated entity (Korea Ryonbong General Corporation)",
    ),
    Scenario(
        "TR",
        ("Shahid Hemat Industries Group", "government", "Tehran"),
        (("Solid rocket motor casings", "ML4.c", 20, 1400000, "EUR"),),
        "Stated as research use",
        "refuse",
        ("EU-CP:1", "EU-CP:7"),
        teams=("intelligence", "defence"),
        consignee=("Nam Chon Gang Trading", "commercial"),  # listed: NAMCHONGANG TRADING CORPORATION
        why="UN sanctions: end user and consignee are designated entities",
    ),
    Scenario(
        "SO",
        ("Harakat al-Shabab al-Mujahideen", "non_state_armed_group", "Mogadishu"),
        (("Off-road vehicles with weapon mounts", "ML6.a", 10, 250000, "USD"),),
        "Stated as security for a logistics company",
        "refuse",
        ("EU-CP:1", "ATT:6.1"),
        teams=("foreign-affairs", "intelligence"),
        why="UN sanctions and arms embargo: the end user is a designated group (Al-Shabaab)",
    ),
]

CONDITIONS = [
    "No re-export without the prior written consent of the licensing authority.",
    "Delivery verification certificate to be provided within 90 days of each shipment.",
    "The goods may only be used by the end user named in the licence and for the stated end use.",
]


# ---------------------------------------------------------------------------------------------- the plan

# Final states of demo cases and their weights (per 277 cases; scaled to the number requested).
STAGES: list[tuple[str, int]] = [
    ("draft", 12), ("submitted", 24), ("initial_checks", 24), ("initial_checks_rfi", 10),
    ("consultation_pending", 22), ("consultation_advised", 14), ("consultation_rfi", 8),
    ("under_final_review", 22), ("finalised_approved", 8), ("finalised_refused", 30), ("under_appeal", 6),
    ("licence_issued", 50), ("licence_suspended", 6), ("licence_revoked", 4), ("licence_expired", 8),
    ("licence_exhausted", 8), ("licence_surrendered", 3), ("withdrawn", 10), ("closed", 8),
]  # fmt: skip

OPEN_STAGES = {"submitted", "initial_checks", "initial_checks_rfi", "consultation_pending", "consultation_advised",
               "consultation_rfi", "under_final_review"}  # fmt: skip
REFUSED_STAGES = {"finalised_refused", "under_appeal", "closed"}
LICENCE_STAGES = {s for s, _ in STAGES if s.startswith("licence_")}


def allocate(n: int) -> list[str]:
    """`n` stages in proportion to STAGES' weights, every stage at least once when n allows."""
    total = sum(w for _, w in STAGES)
    counts = {s: (n * w) // total for s, w in STAGES}
    if n >= len(STAGES):
        for s in counts:
            counts[s] = max(1, counts[s])
    order = sorted(STAGES, key=lambda sw: -(n * sw[1]) % total)
    i = 0
    while sum(counts.values()) < n:
        counts[order[i % len(order)][0]] += 1
        i += 1
    while sum(counts.values()) > n:
        s = max(counts, key=lambda k: counts[k])
        counts[s] -= 1
    return [s for s, c in counts.items() for _ in range(c)]


@dataclass(order=True)
class Step:
    at: dt.datetime
    seq: int
    run: Callable[[], object] = field(compare=False)


@dataclass
class Story:
    """One demo case: the steps that take it to its final stage, each at its moment."""

    stage: str
    scenario: Scenario
    exporter: User
    licence_type: str
    rng: random.Random
    people: People
    case: Case | None = None
    steps: list[tuple[dt.datetime, Callable[[], object]]] = field(default_factory=list)


def _document(story: Story, created: dt.date) -> dict[str, Any]:
    sc, rng = story.scenario, story.rng
    org = story.exporter.organisation
    assert org is not None
    goods = [
        {"description": d, "rating": r, "quantity": max(1, q + rng.randint(-q // 4, q // 4)),
         "value": {"amount": int(a * rng.uniform(0.8, 1.25)), "currency": c}}
        for d, r, q, a, c in sc.goods
    ]  # fmt: skip
    name, sector, address = sc.end_user
    parties: list[dict[str, Any]] = [
        {"role": "end_user", "type": "organisation", "sector": sector, "name": name, "aliases": [],
         "country": sc.destination, "address": address, "identifiers": []}
    ]  # fmt: skip
    if sc.consignee:
        parties.append({"role": "consignee", "type": "organisation", "sector": sc.consignee[1],
                        "name": sc.consignee[0], "country": sc.destination})  # fmt: skip
    doc: dict[str, Any] = {
        "format": "warden.application/1",
        "reference": f"{org.name.split()[0][:4].upper()}-{created.year}-{rng.randint(100, 999)}",
        "licence_type": story.licence_type,
        # The exporter is the applicant's organisation (services refuse any other).
        "exporter": {
            "name": org.name,
            "country": org.country,
            "registration_number": org.registration_number,
        },
        "destination": sc.destination,
        "end_use": sc.end_use,
        "goods": goods,
        "parties": parties,
        "submitted_on": created.isoformat(),
    }
    if rng.random() < 0.85:
        doc["end_user_certificate"] = {
            "number": f"EUC-{sc.destination}-{created.year}-{rng.randint(1, 400)}",
            "issued_on": (created - dt.timedelta(days=rng.randint(10, 60))).isoformat(),
            "re_export": rng.choice(["prohibited", "with_consent", "with_consent"]),
            "delivery_verification": rng.random() < 0.6,
            "post_shipment_verification": rng.random() < 0.3,
        }
    return doc


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF showing `text` (demo end-user certificates)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 60 760 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _plan(story: Story, now: dt.datetime) -> None:
    """Fill story.steps: the actions and their moments, ending in story.stage."""
    rng, p, stage, sc = story.rng, story.people, story.stage, story.scenario
    officer = rng.choice(p.officers)
    senior = rng.choice(p.seniors)
    exporter = story.exporter
    refusing = stage in REFUSED_STAGES
    approving = stage in LICENCE_STAGES or stage == "finalised_approved"
    if refusing and sc.outcome != "refuse" or approving and sc.outcome == "refuse":
        raise ValueError("scenario does not fit the stage")

    # How long ago it was submitted (calendar days).
    if stage == "draft":
        ago = rng.uniform(0.2, 20)
    elif stage == "submitted":
        ago = rng.uniform(0.1, 6) if rng.random() > 0.15 else rng.uniform(32, 45)
    elif stage in OPEN_STAGES:
        ago = rng.uniform(5, 26) if rng.random() > 0.25 else rng.uniform(30, 70)
    elif stage == "under_appeal":
        ago = rng.uniform(35, 70)
    elif stage == "licence_expired":
        ago = rng.uniform(400, 470)
    elif stage in ("closed", "finalised_refused"):
        ago = rng.uniform(45, 330)
    else:
        ago = rng.uniform(35, 320)
    t = now - dt.timedelta(days=ago)
    t = t.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
    if t > now - dt.timedelta(minutes=30):
        t = now - dt.timedelta(minutes=30 + rng.randint(0, 240))
    steps: list[tuple[float, Callable[[], object]]] = []  # (days after submission, action)

    def at(days: float, fn: Callable[[], object]) -> None:
        steps.append((days, fn))

    def case() -> Case:
        # Fresh from the database: other people's steps (advice, answers) have moved its version on.
        assert story.case is not None
        story.case.refresh_from_db()
        return story.case

    created_on = (t - dt.timedelta(days=2)).date()

    def create() -> None:
        story.case = services.create_application(actor=exporter, document=_document(story, created_on))

    at(-rng.uniform(0.5, 4), create)
    if rng.random() < 0.35:
        at(
            -0.2,
            lambda: amendment.upload_document(
                actor=exporter,
                case=case(),
                filename="end-user-certificate.pdf",
                content=tiny_pdf(f"End-user certificate - {sc.end_user[0]}"),
                kind="end_user_certificate",
            ),
        )
    if stage == "draft":
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return
    at(0, lambda: submission.submit_case(actor=exporter, case=case()))
    if stage == "withdrawn":
        if rng.random() < 0.5:
            at(rng.uniform(1, 3), lambda: services.start_initial_checks(actor=officer, case=case()))
        at(
            rng.uniform(4, 9),
            lambda: services.withdraw(actor=exporter, case=case(), reason="The order was cancelled"),
        )
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return
    if stage == "submitted":
        story.steps = [(t + dt.timedelta(days=d), fn) for d, fn in steps]
        return

    # Time available until now, in days after submission; steps are spread over it.
    span = max(0.05, (now - t).total_seconds() / 86400 - 0.02)
    open_case = stage in OPEN_STAGES
    budget = span if open_case else min(span, rng.uniform(14, 30))
    d = rng.uniform(0.05, 0.15) * budget
    at(d, lambda: services.start_initial_checks(actor=officer, case=case()))
    if stage not in ("initial_checks", "initial_checks_rfi") or rng.random() < 0.5:
        # The officer reviews the screening matches: no case is decided over an unreviewed one.
        d += 0.02 * budget
        at(d, lambda: _review_matches(officer, case(), listed=sc.outcome == "refuse"))

    if rng.random() < 0.3 or stage in ("initial_checks_rfi",):
        d += 0.05 * budget
        question = rng.choice([
            "Please provide the signed end-user certificate.",
            "Please confirm the final delivery address of the end user.",
            "Please describe the technical specification of line 1 (data sheet).",
            "Who will maintain the equipment after delivery?",
        ])  # fmt: skip
        at(d, lambda: services.request_information(actor=officer, case=case(), question=question))
        if stage != "initial_checks_rfi":
            d += 0.1 * budget
            at(d, lambda: _answer(exporter, case(), "Attached the requested information."))
    if stage in ("initial_checks", "initial_checks_rfi"):
        story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
        return

    consult = stage.startswith("consultation") or rng.random() < 0.8
    if consult:
        teams = list(sc.teams)
        d += 0.1 * budget
        at(
            d,
            lambda: services.refer_case(
                actor=officer,
                case=case(),
                teams=teams,
                note="Please advise on the end user and the destination.",
            ),
        )
        answered = teams if stage != "consultation_pending" else teams[: rng.randint(0, len(teams) - 1)]
        for code in answered:
            d += 0.12 * budget
            at(d, _advice_step(story, code))
        if stage == "consultation_rfi":
            d += 0.05 * budget
            at(
                d,
                lambda: services.request_information(
                    actor=officer,
                    case=case(),
                    question="Please provide the end user's undertaking on re-export.",
                ),
            )
        if stage.startswith("consultation"):
            if rng.random() < 0.4:
                at(
                    d + 0.01,
                    lambda: services.add_note(
                        actor=officer,
                        case=case(),
                        text="Spoke to the exporter; certificate expected next week.",
                    ),
                )
            story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
            return

    decision = {"approve": Decision.APPROVED, "conditions": Decision.APPROVED_WITH_CONDITIONS,
                "refuse": Decision.REFUSED}[sc.outcome]  # fmt: skip
    conditions = " ".join(rng.sample(CONDITIONS, 2)) if decision == Decision.APPROVED_WITH_CONDITIONS else ""
    criteria = list(sc.criteria)
    reason = (
        f"Refusal recommended: {sc.why}." if decision == Decision.REFUSED
        else "The end user is a state body of the destination and the end use is consistent with its needs; "
             "no criterion of the Common Position is engaged."
    )  # fmt: skip
    d += 0.1 * budget
    at(
        d,
        lambda: services.recommend(
            actor=officer,
            case=case(),
            decision=decision,
            reason=reason,
            criteria=criteria,
            conditions=conditions,
        ),
    )
    if stage == "under_final_review":
        story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]
        return
    d += 0.08 * budget
    other = next(u for u in p.seniors if u.pk != senior.pk)
    at(
        d,
        lambda: _finalise(
            senior, other, case(), decision, reason.replace("recommended", "decided"), criteria, conditions
        ),
    )
    if stage == "under_appeal":
        at(
            d + rng.uniform(3, 20),
            lambda: services.appeal(
                actor=exporter,
                case=case(),
                grounds="The end user has given a new undertaking and the goods are for defensive use only.",
            ),
        )
    elif stage == "closed":
        at(
            d + rng.uniform(30, 40),
            lambda: services.close_case(actor=officer, case=case(), reason="No appeal within the window."),
        )
    elif stage in LICENCE_STAGES:
        _licence_steps(story, at, d, officer, senior, exporter, now, t)
    story.steps = [(t + dt.timedelta(days=x), fn) for x, fn in steps]


def _review_matches(officer: User, case: Case, *, listed: bool) -> None:
    """Decide every open screening match: true matches where the scenario is about a listed party."""
    from warden.flows.decisions import dispose_match
    from warden.screening.models import Match, MatchStatus

    for m in Match.objects.filter(case=case, status=MatchStatus.OPEN).order_by("-score", "pk"):
        if listed and m.score >= 0.9:
            dispose_match(
                actor=officer, match=m, decision=MatchStatus.TRUE_MATCH, reason="Same entity as listed"
            )
        else:
            dispose_match(
                actor=officer,
                match=m,
                decision=MatchStatus.FALSE_POSITIVE,
                reason="A different body: the country and the identifiers do not match the listed entry",
            )


def _finalise(
    senior: User, other: User, case: Case, decision: str, reason: str, criteria: list[str], conditions: str
) -> None:
    """The senior officer decides; a decision against the engine is countersigned by the other one."""
    services.finalise(
        actor=senior,
        case=case,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        justification="The consulted departments' advice and the reviewed screening outweigh the engine's "
        "findings for this end user.",
    )
    if case.status == Status.UNDER_FINAL_REVIEW:
        services.countersign(actor=other, case=case, note="Agreed with the justification.")


def _answer(exporter: User, case: Case, text: str) -> None:
    req = InformationRequest.objects.filter(case=case, answered_at__isnull=True).order_by("pk").first()
    if req is not None:
        amendment.answer_information_request(actor=exporter, request=req, answer=text)


def _advice_step(story: Story, code: str) -> Callable[[], object]:
    sc, rng = story.scenario, story.rng
    adviser = story.people.advisers[code]

    def give() -> None:
        assert story.case is not None
        referral = Referral.objects.get(case=story.case, team__code=code)
        if sc.outcome == "refuse" and rng.random() < 0.85:
            services.give_advice(
                actor=adviser,
                referral=referral,
                kind="refuse",
                criteria=sc.criteria,
                text=f"We advise refusal: {sc.why}.",
            )
        elif sc.outcome == "conditions":
            services.give_advice(
                actor=adviser,
                referral=referral,
                kind="proviso",
                proviso=CONDITIONS[0],
                text="Acceptable with a re-export control.",
            )
        elif rng.random() < 0.2:
            services.give_advice(
                actor=adviser, referral=referral, kind="no_view", text="No view from this department."
            )
        else:
            services.give_advice(
                actor=adviser,
                referral=referral,
                kind="approve",
                text="No concerns about the end user or the destination.",
            )

    return give


def _licence_steps(
    story: Story,
    at: Callable[[float, Callable[[], object]], None],
    d: float,
    officer: User,
    senior: User,
    exporter: User,
    now: dt.datetime,
    t: dt.datetime,
) -> None:
    from warden.licences import services as lic
    from warden.licences.models import Licence

    rng, stage = story.rng, story.stage

    def licence() -> Licence:
        assert story.case is not None
        return Licence.objects.get(case=story.case)

    d += rng.uniform(0.2, 2)
    at(d, lambda: lic.issue_licence(actor=officer, case=Case.objects.get(pk=story.case.pk)))  # type: ignore[union-attr,unused-ignore]
    left = (now - t).total_seconds() / 86400 - d
    if stage == "licence_exhausted":
        at(d + left * 0.3, lambda: _ship(exporter, licence(), 0.5))
        at(d + left * 0.7, lambda: _ship(exporter, licence(), 1.0))
    elif stage == "licence_issued" and rng.random() < 0.5:
        at(d + left * rng.uniform(0.2, 0.8), lambda: _ship(exporter, licence(), rng.uniform(0.2, 0.6)))
    elif stage == "licence_expired" and rng.random() < 0.6:
        at(d + rng.uniform(10, 200), lambda: _ship(exporter, licence(), rng.uniform(0.2, 0.6)))
    if stage == "licence_suspended":
        at(
            d + left * 0.6,
            lambda: lic.suspend_licence(
                actor=senior,
                licence=licence(),
                reason="Suspended pending review of the situation in the destination.",
            ),
        )
    elif stage == "licence_revoked":
        at(
            d + left * 0.4,
            lambda: lic.suspend_licence(
                actor=senior, licence=licence(), reason="Reports of diversion under investigation."
            ),
        )
        at(
            d + left * 0.8,
            lambda: lic.revoke_licence(
                actor=senior, licence=licence(), reason="Diversion to an unauthorised end user confirmed."
            ),
        )
    elif stage == "licence_surrendered":
        at(
            d + left * 0.7,
            lambda: lic.surrender_licence(
                actor=exporter, licence=licence(), reason="The contract was cancelled."
            ),
        )


def _ship(exporter: User, licence: Any, share: float) -> None:
    """Ship `share` of every line's quantity (1.0: all that is left)."""
    from warden.licences import services as lic

    for line in licence.lines.all():
        left = line.quantity - line.shipped_quantity
        qty = left if share >= 1 else max(1, int(line.quantity * share))
        qty = min(qty, left)
        if qty > 0:
            lic.record_shipment(
                actor=exporter,
                licence=licence,
                line=line,
                quantity=qty,
                reference=f"AWB-{licence.pk:05d}-{line.pk}-{line.shipped_quantity}",
            )
            licence.refresh_from_db()
            if licence.status != "issued":
                return


@contextmanager
def frozen_clock(start: dt.datetime) -> Iterator[dict[str, dt.datetime]]:
    """Make django.utils.timezone.now() (and so localdate(), auto_now_add fields and the services) return
    state["now"]. Only for the single-threaded demo loader."""
    real = timezone.now
    state = {"now": start}
    timezone.now = lambda: state["now"]  # type: ignore[assignment]
    try:
        yield state
    finally:
        timezone.now = real  # type: ignore[assignment]


def _scenario_for(stage: str, rng: random.Random) -> Scenario:
    if stage in REFUSED_STAGES:
        pool = [s for s in SCENARIOS if s.outcome == "refuse"]
    elif stage in LICENCE_STAGES or stage == "finalised_approved":
        pool = [s for s in SCENARIOS if s.outcome != "refuse"]
    else:
        pool = SCENARIOS
    return rng.choice(pool)


def _licence_type(stage: str, rng: random.Random) -> str:
    if stage == "licence_expired":
        return rng.choice([LicenceType.TRANSIT, LicenceType.TEMPORARY])
    if stage in LICENCE_STAGES:
        return rng.choice([LicenceType.INDIVIDUAL] * 5 + [LicenceType.GLOBAL, LicenceType.BROKERING])
    return rng.choices(
        [
            LicenceType.INDIVIDUAL,
            LicenceType.GLOBAL,
            LicenceType.BROKERING,
            LicenceType.TRANSIT,
            LicenceType.TEMPORARY,
        ],
        weights=[70, 10, 7, 7, 6],
    )[0]


def demo_cases() -> Any:
    names = [name for name, *_ in EXPORTERS]
    return Case.objects.filter(organisation__name__in=names, organisation__kind=Organisation.Kind.EXPORTER)


def load_demo(*, out: Any, cases: int = 300, seed: int = 2026) -> list[tuple[str, str]]:
    """Demo people (password DEMO_PASSWORD) and `cases` demo cases in every state, through the services.
    Returns (username, role description) for the demo logins. Idempotent: tops up to `cases`."""
    people = ensure_people()
    from warden.flows.rescreening import ensure_demo_list

    if ensure_demo_list(actor=people.policy):
        out.print("Demo sanctions list imported (a SAMPLE of the UN list, not the authoritative one).")
    have = demo_cases().count()
    todo = max(0, cases - have)
    if todo == 0:
        out.print(f"Demo caseload already loaded ({have} cases).")
        return LOGINS
    started = time.monotonic()
    rng = random.Random(seed + have)
    real_now = timezone.now()
    stories = []
    for i, stage in enumerate(allocate(todo)):
        srng = random.Random(rng.random())
        story = Story(
            stage=stage,
            scenario=_scenario_for(stage, srng),
            exporter=people.exporters[i % 2] if srng.random() < 0.7 else srng.choice(people.exporters),
            licence_type=_licence_type(stage, srng),
            rng=srng,
            people=people,
        )
        _plan(story, real_now)
        stories.append(story)
    heap: list[Step] = []
    seq = 0
    for story in stories:
        for when, fn in story.steps:
            heap.append(Step(min(when, real_now - dt.timedelta(minutes=1)), seq, fn))
            seq += 1
    heapq.heapify(heap)
    done = 0
    with frozen_clock(real_now) as clock:
        while heap:
            step = heapq.heappop(heap)
            clock["now"] = step.at
            step.run()
            done += 1
        clock["now"] = real_now
        from warden.licences.services import expire_licences

        expired = expire_licences()
    took = time.monotonic() - started
    out.print(
        f"Demo caseload: {todo} cases ({done} steps through the services, {len(expired)} licences expired) "
        f"in {took:.1f} s."
    )
    return LOGINS


# ---------------------------------------------------------------------------------------------- benchmarks


def _adapt_decimal(ops: Any, digits: int, places: int, value: Any) -> Any:
    return ops.adapt_decimalfield_value(value, digits, places)


class _RawInserter:
    """INSERT rows given as {attname: python value} with one executemany, preparing each value for the
    database the way the field would (dates, JSON, decimals) but without building model instances, which
    is where bulk_create spends most of its time. Missing fields take their default (auto_now: `now`)."""

    def __init__(self, model: type[Any], now: dt.datetime) -> None:
        ops = connection.ops
        self.fields = [f for f in model._meta.concrete_fields]
        self.preps: list[Callable[[Any], Any]] = []
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                prep: Callable[[Any], Any] = ops.adapt_datetimefield_value
            elif kind == "DateField":
                prep = ops.adapt_datefield_value
            elif kind == "JSONField":
                prep = lambda v: ops.adapt_json_value(v, None)  # noqa: E731
            elif kind == "DecimalField":
                prep = partial(_adapt_decimal, ops, f.max_digits, f.decimal_places)
            else:
                prep = lambda v: v  # noqa: E731
            self.preps.append(prep)
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            self.defaults[f.attname] = now if auto else (None if f.primary_key else f.get_default())
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.table = model._meta.db_table
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
        )

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        fields, preps, defaults = self.fields, self.preps, self.defaults
        params = [
            tuple(
                prep(row.get(f.attname, defaults[f.attname])) for f, prep in zip(fields, preps, strict=True)
            )
            for row in rows
        ]
        with connection.cursor() as cur:
            if connection.vendor != "postgresql":
                cur.executemany(self.sql, params)
                return
            # PostgreSQL: COPY, far faster than executemany or multi-row VALUES through Django's client-side
            # binding cursor (which re-parses the whole statement for every batch).
            table = connection.ops.quote_name(self.table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            raw = connection.connection
            with raw.cursor() as pg, pg.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)


def bulk_cases(n: int, *, seed: int = 1, with_history: bool = True, batch: int = 5000) -> int:
    """FOR BENCHMARKS ONLY. Insert `n` cases straight into the tables (raw executemany): goods lines,
    parties, referrals for cases in consultation and, with `with_history`, their create/submit/start
    transitions. No services, no audit entries, no screening or assessment, no documents, so these cases are
    not a valid history; never use this for anything but load tests. Returns the number of cases inserted."""
    people = ensure_people()
    rng = random.Random(seed)
    officers = people.officers + people.seniors
    advisory = [t for t in people.teams.values() if t.is_advisory]
    licensing = people.teams["licensing"]
    org_names = {u.pk: u.organisation.name for u in people.exporters if u.organisation}
    statuses = [
        (Status.SUBMITTED, 10), (Status.INITIAL_CHECKS, 20), (Status.CONSULTATION, 20),
        (Status.UNDER_FINAL_REVIEW, 10), (Status.FINALISED, 15), (Status.LICENCE_ISSUED, 15),
        (Status.WITHDRAWN, 5), (Status.CLOSED, 5),
    ]  # fmt: skip
    names, weights = zip(*statuses, strict=True)
    now = timezone.now()
    insert = {m: _RawInserter(m, now) for m in (Case, GoodsLine, Party, Referral, CaseTransition)}
    deadlines: dict[tuple[dt.date, str], dt.date] = {}
    ids = {m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in insert}
    rows: dict[type[Any], list[dict[str, Any]]] = {m: [] for m in insert}

    def add(model: type[Any], **values: Any) -> int:
        ids[model] += 1
        values["id"] = ids[model]
        rows[model].append(values)
        return ids[model]

    inserted = 0
    while inserted < n:
        size = min(batch, n - inserted)
        for pending in rows.values():
            pending.clear()
        with transaction.atomic():
            for _ in range(size):
                sc = rng.choice(SCENARIOS)
                exporter = rng.choice(people.exporters)
                status = rng.choices(names, weights=weights)[0]
                submitted = now - dt.timedelta(days=rng.uniform(0, 90), minutes=rng.randint(0, 600))
                ltype = _licence_type("submitted", rng)
                key = (clock.local_date(submitted), ltype)
                if key not in deadlines:
                    deadlines[key] = deadline_from(*key)
                finalised = status in (Status.FINALISED, Status.LICENCE_ISSUED, Status.CLOSED)
                refused = finalised and sc.outcome == "refuse"
                pk = ids[Case] + 1
                add(
                    Case, reference=f"APP-{submitted.year}-{pk:06d}", organisation_id=exporter.organisation_id,
                    created_by_id=exporter.pk, licence_type=ltype, destination=sc.destination, end_use=sc.end_use,
                    status=status, submitted_at=submitted, team_id=licensing.pk,
                    document={"format": "warden.application/1", "licence_type": ltype,
                              "destination": sc.destination, "end_use": sc.end_use, "bulk": True},
                    case_officer_id=rng.choice(officers).pk if status != Status.SUBMITTED else None,
                    sla_days=sla_days_for(ltype), sla_deadline=deadlines[key],
                    decision=(Decision.REFUSED if refused else Decision.APPROVED) if finalised else "",
                    decision_criteria=list(sc.criteria) if refused else [],
                    finalised_at=submitted + dt.timedelta(days=20) if finalised else None,
                )  # fmt: skip
                for line_no, (desc, rating, qty, amount, cur) in enumerate(sc.goods):
                    add(GoodsLine, case_id=pk, line_no=line_no, description=desc, rating=rating, quantity=qty,
                        value_amount=Decimal(amount), currency=cur)  # fmt: skip
                add(Party, case_id=pk, index=0, role=PartyRole.END_USER, party_type="organisation",
                    sector=sc.end_user[1], name=sc.end_user[0], country=sc.destination, address=sc.end_user[2])  # fmt: skip
                add(Party, case_id=pk, index=1, role=PartyRole.EXPORTER, party_type="organisation",
                    sector="commercial", name=org_names[exporter.pk], country="GB")  # fmt: skip
                if status == Status.CONSULTATION:
                    for team in rng.sample(advisory, rng.randint(1, len(advisory))):
                        add(
                            Referral,
                            case_id=pk,
                            team_id=team.pk,
                            requested_by_id=officers[0].pk,
                            requested_at=now,
                        )
                if with_history:
                    add(CaseTransition, case_id=pk, action="create", from_status="", to_status="draft",
                        actor_id=exporter.pk, at=submitted)  # fmt: skip
                    add(CaseTransition, case_id=pk, action="submit", from_status="draft", to_status="submitted",
                        actor_id=exporter.pk, at=submitted)  # fmt: skip
                    if status != Status.SUBMITTED:
                        add(CaseTransition, case_id=pk, action="start_initial_checks", from_status="submitted",
                            to_status="initial_checks", actor_id=officers[0].pk, at=submitted)  # fmt: skip
            for model, inserter in insert.items():
                inserter(rows[model])
        inserted += size
    # Explicit primary keys do not advance PostgreSQL's sequences; move them past the rows just inserted.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(insert)):
                cursor.execute(sql)
    return inserted
