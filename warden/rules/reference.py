"""The reference snapshot the engine reads: embargoes, control list, country profiles, national rules and
the ruleset, as plain data already validated by warden.legislation.loader. Indexed once for speed."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from warden.lib.canonical import canonical_bytes
from warden.rules.effective import applies_on, version_at
from warden.rules.model import Rating, Version, rating_matches

LEVELS = ("none", "low", "medium", "high", "critical")
LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}
REFERENCE_KINDS = ("control_list", "countries", "embargoes", "national_rules", "ruleset")


def digest(value: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical_bytes(value)).hexdigest()


def _d(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _version(record_id: str, raw: dict[str, Any]) -> Version:
    from_ = _d(raw["effective_from"])
    assert from_ is not None
    return Version(
        record_id=record_id,
        effective_from=from_,
        effective_until=_d(raw.get("effective_until")),
        citation=str(raw.get("citation", "")),
        url=str(raw.get("url", "")),
        data=raw,
    )


def _bounds(records: Any) -> list[dt.date]:
    """Sorted distinct dates at which some record starts or stops applying."""
    out: set[dt.date] = set()
    for r in records:
        out.add(r.effective_from)
        if r.effective_until is not None:
            out.add(r.effective_until)
    return sorted(out)


@dataclass(frozen=True)
class Embargo:
    id: str
    target: str  # ISO country code, or "*" for a regime aimed at groups wherever they are
    body: str  # UN | EU | OSCE
    title: str
    versions: tuple[Version, ...]
    place: str = ""  # where the measure applies when narrower than the country (e.g. "Darfur (Sudan)")


@dataclass(frozen=True)
class RuleDef:
    id: str
    criterion: str
    effective_from: dt.date
    effective_until: dt.date | None
    citation: str


@dataclass
class Reference:
    """Built from a bundle {kind: parsed YAML}. `digests` name exactly the data an assessment used."""

    bundle: dict[str, Any]
    digests: dict[str, str] = field(init=False)
    embargoes_by_target: dict[str, list[Embargo]] = field(init=False)
    global_embargoes: list[Embargo] = field(init=False)
    profiles: dict[str, dict[str, Any]] = field(init=False)
    assessments: dict[str, tuple[Version, ...]] = field(init=False)
    rules: dict[str, RuleDef] = field(init=False)
    military: dict[int, dict[str, Any]] = field(init=False)
    dual_use_entries: dict[str, dict[str, Any]] = field(init=False)  # Annex I entries by id (5A002)
    national_entries: dict[str, dict[str, Any]] = field(init=False)
    control_lists: dict[str, Any] = field(init=False)  # the dual-use list's edition and defaults
    emerging: list[dict[str, Any]] = field(init=False)
    national: list[Version] = field(init=False)

    def __post_init__(self) -> None:
        b = self.bundle
        self.digests = {kind: digest(b.get(kind)) for kind in REFERENCE_KINDS}
        self.embargoes_by_target = defaultdict(list)
        self.global_embargoes = []
        for raw in b["embargoes"]["embargoes"]:
            emb = Embargo(
                id=raw["id"],
                target=raw["target"],
                body=raw["body"],
                title=raw.get("title", raw["id"]),
                versions=tuple(_version(raw["id"], v) for v in raw["versions"]),
                place=str(raw.get("place") or ""),
            )
            if emb.target == "*":
                self.global_embargoes.append(emb)
            else:
                self.embargoes_by_target[emb.target].append(emb)
        self.profiles = {c["id"]: c for c in b["countries"]["countries"]}
        self.assessments = {
            c["id"]: tuple(_version(c["id"], a) for a in c.get("assessments", []))
            for c in b["countries"]["countries"]
        }
        self.rules = {}
        for r in b["ruleset"]["rules"]:
            from_ = _d(r["effective_from"])
            assert from_ is not None
            self.rules[r["id"]] = RuleDef(
                r["id"], r["criterion"], from_, _d(r.get("effective_until")), r["citation"]
            )
        self.military = {int(m["id"][2:]): m for m in b["control_list"]["military"]}
        self.dual_use_entries = {str(e["id"]): e for e in b["control_list"].get("dual_use", [])}
        self.national_entries = {str(e["id"]): e for e in b["control_list"].get("national", [])}
        self.control_lists = dict(b["control_list"].get("dual_use_list") or {})
        self.emerging = list(b["control_list"].get("emerging", []))
        self.national = [_version(r["id"], r) for r in b["national_rules"].get("rules", [])]
        # Caches are keyed by "epoch": the index of the interval between consecutive effective dates, within
        # which the set of records in force cannot change. So 4,000 distinct assessment dates cost a handful
        # of lookups, not 4,000.
        self._cache: dict[tuple[str, int], Any] = {}
        self._rule_bounds = _bounds(self.rules.values())
        self._flag_bounds = _bounds(
            _version("flag", f)
            for f in self.emerging  # same from/until fields
        )
        self._emb_bounds: dict[str, list[dt.date]] = {}
        self.memo: dict[tuple[Any, ...], Any] = {}  # for rule modules' per-epoch results

    # -- lookups, all by date ------------------------------------------------------------------
    def embargo_versions(self, country: str, on: dt.date) -> list[tuple[Embargo, Version]]:
        bounds = self._emb_bounds.get(country)
        if bounds is None:
            embs = (*self.embargoes_by_target.get(country, ()), *self.global_embargoes)
            bounds = self._emb_bounds[country] = _bounds(v for e in embs for v in e.versions)
        key = ("emb:" + country, bisect.bisect_right(bounds, on))
        hit = self._cache.get(key)
        if hit is None:
            hit = []
            for emb in (*self.embargoes_by_target.get(country, ()), *self.global_embargoes):
                v = version_at(emb.versions, on)
                if v is not None:
                    hit.append((emb, v))
            self._cache[key] = hit
        return hit

    def assessment(self, country: str, on: dt.date) -> Version | None:
        return version_at(self.assessments.get(country, ()), on)

    def member(self, country: str, regime: str, on: dt.date) -> bool:
        """Treaty/regime membership on a date. `true` in the data means "member since before any date the
        engine is asked about" (the exact accession date was not recorded)."""
        value: Any = (self.profiles.get(country) or {}).get("memberships", {}).get(regime)
        until = None
        if isinstance(value, dict):  # {since, until}: a withdrawal takes effect on `until`
            value, until = value.get("since"), _d(value.get("until"))
        if until is not None and on >= until:
            return False
        if value is True:
            return True
        if not value:
            return False
        return bool(_d(value) <= on)  # type: ignore[operator]

    def rule(self, rule_id: str, on: dt.date) -> RuleDef | None:
        return self.rules_on(on).get(rule_id)

    def rules_epoch(self, on: dt.date) -> int:
        return bisect.bisect_right(self._rule_bounds, on)

    def rules_on(self, on: dt.date) -> dict[str, RuleDef]:
        key = ("rules", self.rules_epoch(on))
        hit = self._cache.get(key)
        if hit is None:
            hit = {k: r for k, r in self.rules.items() if applies_on(r, on)}
            self._cache[key] = hit
        return hit

    def emerging_flags(self, rating: Rating, on: dt.date) -> list[dict[str, Any]]:
        key = ("flags:" + rating.code, bisect.bisect_right(self._flag_bounds, on))
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) > 100_000:  # ratings come from applicants: bound a long-lived process's cache
                self._cache.clear()
            hit = self._cache[key] = self._emerging_flags(rating, on)
        return hit

    def _emerging_flags(self, rating: Rating, on: dt.date) -> list[dict[str, Any]]:
        out = []
        for flag in self.emerging:
            if _d(flag["effective_from"]) > on:  # type: ignore[operator]
                continue
            until = _d(flag.get("effective_until"))
            if until is not None and on >= until:
                continue
            if any(rating_matches(rating.code, p) for p in flag["ratings"]):
                out.append(flag)
        return out

    def dual_use_entry(self, code: str, on: dt.date) -> dict[str, Any] | None:
        """The Annex I entry a dual-use rating falls under (5A002.a -> 5A002), if on the list on `on`."""
        entry = self.dual_use_entries.get(code.strip()[:5].upper())
        if entry is None:
            return None
        # Only an entry's own dates count (see warden.rules.control_list._in_force).
        start, until = entry.get("effective_from"), entry.get("effective_until")
        if (start and on.isoformat() < str(start)) or (until and on.isoformat() >= str(until)):
            return None
        return entry

    def ml_entry(self, rating: Rating) -> dict[str, Any] | None:
        return self.military.get(rating.category) if rating.kind == "military" and rating.category else None

    @property
    def ruleset_meta(self) -> dict[str, str]:
        rs = self.bundle["ruleset"]
        return {"id": rs["id"], "version": str(rs["version"])}
