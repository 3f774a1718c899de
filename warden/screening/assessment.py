"""Screening as the assessment sees it: the `screening` part of warden.assessment/1 and its findings.

Two sources, one output. A case's assessment reads the matches stored for it (officers decide on those);
an application document (`warden assess`, POST /api/legislation/assess) is screened on the spot against
the current lists, storing nothing. Both describe only matches on an entry that is still in its list's
current version with the same content: a delisted or changed entry no longer counts (a re-screen raises
the changed one afresh). `fresh_for_case` screens a case's parties statelessly with the remembered
decisions, which is what its stored matches must add up to (the re-assessment property test uses it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings

from warden.cases.models import Case, PartyRole
from warden.screening import engine
from warden.screening.models import Disposition, ListEntry, ListVersion, Match, MatchStatus


@dataclass(frozen=True)
class Hit:
    """One match on a party, in the terms the assessment reports it."""

    party: int
    role: str
    party_name: str
    list_name: str
    list_label: str
    version: int
    entry_key: str
    entry_name: str
    matched_name: str
    score: float
    explanation: str
    confirmed: bool  # an officer decided it is a true match


def sanctions_digest() -> str | None:
    """Digest of the list versions in force (reference_data.sanctions): changes with every import."""
    rows = ListVersion.objects.filter(is_current=True).values_list("list__name", "number", "sha256")
    items = sorted(f"{name} v{number} {sha}" for name, number, sha in rows)
    if not items:
        return None
    return "sha256:" + hashlib.sha256("\n".join(items).encode()).hexdigest()


def parts(hits: Iterable[Hit]) -> dict[str, Any]:
    """{"screening": [...], "findings": [...]}. A confirmed match, or one at or above
    SCREENING_CERTAINTY, is a deny finding under EU-CP:1; below certainty it is a risk."""
    certainty = settings.SCREENING_CERTAINTY
    ordered = sorted(hits, key=lambda h: (h.party, -h.score, h.list_name, h.entry_key))
    by_party: dict[int, list[Hit]] = {}
    for h in ordered:
        by_party.setdefault(h.party, []).append(h)
    screening: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for index, group in sorted(by_party.items()):
        screening.append(
            {
                "party": index,
                "matches": [
                    {
                        "list": h.list_name,
                        "entry": h.entry_key,
                        "name": h.entry_name,
                        "matched_name": h.matched_name,
                        "score": round(h.score, 2),
                        "explanation": h.explanation,
                    }
                    for h in group
                ],
            }
        )
        for h in group:
            deny = h.confirmed or h.score >= certainty
            subject = "application" if h.role == PartyRole.EXPORTER else f"parties[{index}]"
            state = (
                "confirmed by an officer as a true match"
                if h.confirmed
                else f"score {h.score:.2f} {'at or above' if deny else 'below'} the certainty threshold "
                f"{certainty:.2f}"
            )
            findings.append(
                {
                    "rule": "screening.match",
                    "criterion": "EU-CP:1",
                    "outcome": "deny" if deny else "risk",
                    "subject": subject,
                    "basis": f"{h.list_label} (version {h.version}), entry {h.entry_key}",
                    "explanation": f"{PartyRole(h.role).label} '{h.party_name}' matches listed '{h.entry_name}' "
                    f"({h.list_name} {h.entry_key}), {state}: {h.explanation}",
                }
            )
    return {"screening": screening, "findings": findings}


def with_digest(parts: dict[str, Any]) -> dict[str, Any]:
    """`parts` with the digest of the lists in force, for the assessment's reference_data.sanctions."""
    digest = sanctions_digest()
    return {**parts, "digest": digest} if digest else parts


# ------------------------------------------------------------------------------------- stored matches


def _current_entries(keys: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
    """{(list name, entry id): the entry in its list's current version} for the given keys."""
    if not keys:
        return {}
    rows = ListEntry.objects.filter(
        version__is_current=True,
        version__list__name__in={k[0] for k in keys},
        entry_id__in={k[1] for k in keys},
    ).values("entry_id", "digest", "name", "version__number", "version__list__name", "version__list__title")
    return {(r["version__list__name"], r["entry_id"]): dict(r) for r in rows}


def for_case(case: Case) -> dict[str, Any]:
    """From the matches stored for the case: every match not dismissed as a false positive whose entry is
    still, unchanged, in its list's current version."""
    matches = list(
        Match.objects.filter(case=case).exclude(status=MatchStatus.FALSE_POSITIVE).select_related("party")
    )
    current = _current_entries({(m.list_name, m.entry_key) for m in matches})
    hits = []
    for m in matches:
        row = current.get((m.list_name, m.entry_key))
        if row is None or row["digest"] != m.entry_digest:
            continue  # delisted, or changed since (the re-screen raised the new version of it)
        hits.append(
            Hit(
                party=m.party.index,
                role=m.party.role,
                party_name=m.party.name,
                list_name=m.list_name,
                list_label=row["version__list__title"] or m.list_name,
                version=row["version__number"],
                entry_key=m.entry_key,
                entry_name=row["name"],
                matched_name=m.matched_name,
                score=m.score,
                explanation=m.explanation,
                confirmed=m.status == MatchStatus.TRUE_MATCH,
            )
        )
    return parts(hits)


# ----------------------------------------------------------------------------------- screened afresh


def _screen(parties: list[Any], *, remembered: bool) -> dict[str, Any]:
    index, refs, labels = engine.current_index()
    if not labels:
        return parts([])
    threshold = settings.SCREENING_THRESHOLD
    hits = []
    for party in parties:
        fingerprint = engine.party_fingerprint(party) if remembered else ""
        for hit in index.screen(engine.query_for_party(party), threshold=threshold, limit=20):
            ref = refs[int(hit.entry.key)]
            confirmed = False
            if remembered:
                memory = (
                    Disposition.objects.filter(
                        party_fingerprint=fingerprint,
                        list_name=ref.list_name,
                        entry_key=ref.entry_key,
                        entry_digest=ref.digest,
                    )
                    .order_by("-decided_at", "-pk")
                    .first()
                )
                if memory and memory.decision == MatchStatus.FALSE_POSITIVE:
                    continue
                confirmed = bool(memory and memory.decision == MatchStatus.TRUE_MATCH)
            hits.append(
                Hit(
                    party=party.index,
                    role=party.role,
                    party_name=party.name,
                    list_name=ref.list_name,
                    list_label=ref.list_title or ref.list_name,
                    version=ref.version,
                    entry_key=ref.entry_key,
                    entry_name=ref.name,
                    matched_name=hit.matched_name[:1000],
                    score=hit.score,
                    explanation=hit.explanation,
                    confirmed=confirmed,
                )
            )
    return parts(hits)


def document_parties(doc: dict[str, Any]) -> list[Any]:
    """The parties of a warden.application/1 document as screening sees them, the exporter last, exactly
    as a submitted case stores them (warden.cases.services._store_document_rows)."""
    out: list[Any] = []
    for i, p in enumerate(doc.get("parties") or []):
        out.append(
            SimpleNamespace(
                index=i,
                role=p["role"],
                party_type=p["type"],
                name=p["name"].strip(),
                aliases=p.get("aliases", []),
                country=p.get("country", ""),
                identifiers=p.get("identifiers", []),
                date_of_birth=p.get("date_of_birth", ""),
                nationality=p.get("nationality", ""),
            )
        )
    exporter = doc.get("exporter") or {}
    reg = exporter.get("registration_number", "")
    out.append(
        SimpleNamespace(
            index=len(out),
            role=PartyRole.EXPORTER,
            party_type="organisation",
            name=(exporter.get("name") or "").strip(),
            aliases=[],
            country=exporter.get("country", ""),
            identifiers=[{"type": "registration_number", "number": reg}] if reg else [],
            date_of_birth="",
            nationality="",
        )
    )
    return out


def for_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Screen a document's parties against the current lists (nothing stored). Officers' decisions on
    cases are not applied: whoever sends a document sees every match as the matcher scores it."""
    return with_digest(_screen(document_parties(doc), remembered=False))


def fresh_for_case(case: Case) -> dict[str, Any]:
    """Screen the case's stored parties afresh against the current lists, applying remembered decisions."""
    return with_digest(_screen(list(case.parties.all()), remembered=True))
