"""The demo plan's vocabulary: the final stages a demo case can reach (and how many of each), one case's
story and timed steps, and the application document and PDF each story files."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from warden.accounts.models import User
from warden.cases.models import Case, LicenceType
from warden.demo.people import People
from warden.demo.scenarios import SCENARIOS, Scenario

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


def document_for(story: Story, created: dt.date) -> dict[str, Any]:
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


def scenario_for(stage: str, rng: random.Random) -> Scenario:
    if stage in REFUSED_STAGES:
        pool = [s for s in SCENARIOS if s.outcome == "refuse"]
    elif stage in LICENCE_STAGES or stage == "finalised_approved":
        pool = [s for s in SCENARIOS if s.outcome != "refuse"]
    else:
        pool = SCENARIOS
    return rng.choice(pool)


def licence_type_for(stage: str, rng: random.Random) -> str:
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
