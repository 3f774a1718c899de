"""Load and validate the reference-data bundle (the YAML files under data/). Pure Python, no Django.

A bundle is {kind: parsed document} for the five kinds in warden.rules.reference.REFERENCE_KINDS.
`validate_bundle` returns every problem at once, each naming the file and the record, so a policy officer
can fix a file in one pass; `load_bundle` refuses an inconsistent bundle with ReferenceDataError."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from warden.legislation.checker import Checker as _Checker
from warden.legislation.checker import parse_date as _date
from warden.legislation.control_list_checks import check_control_list as _check_control_list
from warden.legislation.criteria import INSTRUMENT_CRITERIA, is_criterion_form
from warden.lib.errors import InvalidInput
from warden.lib.limits import COUNTRY_NAME_MAX
from warden.lib.safe_json import unstorable_data
from warden.rules.catch_all import END_USE_FLAGS
from warden.rules.country import CRITERIA as COUNTRY_CRITERIA
from warden.rules.reference import LEVELS, REFERENCE_KINDS, Reference

DATA_DIR = Path(__file__).parent / "data"
FORMATS = {
    "control_list": "warden.control_list/1",
    "countries": "warden.countries/1",
    "embargoes": "warden.embargoes/1",
    "national_rules": "warden.national_rules/1",
    "ruleset": "warden.ruleset/1",
}
BODIES = {"UN", "EU", "OSCE"}
APPLIES_TO = {"all", "non_governmental", "named_groups", "listed_persons"}
GOODS_SELECTORS = {
    "arms",
    "arms_except_salw",
    "salw",
    "unroca_and_missiles",
    "dual_use",
    "dual_use_wmd",
    "dual_use_military_end_user",
    "repression",
    "telecom_monitoring",
}
SECTORS = {
    "armed_forces",
    "police",
    "government",
    "commercial",
    "non_state_armed_group",
    "individual",
    "unknown",
}
REGIMES = {"att", "wassenaar", "mtcr", "nsg", "australia_group", "cwc", "btwc", "npt", "ottawa", "oslo"}
# The risk fields of a country assessment: exactly those the engine's country criteria read.
ASSESSMENT_KEYS = tuple(field for _, field, _, _ in COUNTRY_CRITERIA)


class ReferenceDataError(InvalidInput, ValueError):
    """Reference data that does not validate: `errors` lists every problem, each naming its file and entry.
    (Still a ValueError for the callers that predate the error kernel.)"""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("reference data refused:\n  " + "\n  ".join(errors))
        self.errors = errors


def _check_embargoes(doc: dict[str, Any], c: _Checker) -> None:
    recs = doc.get("embargoes") or []
    c.unique(recs)
    for r in recs:
        where = f"record {r.get('id')!r}"
        c.country(where, r.get("target"), allow_star=True)
        if r.get("body") not in BODIES:
            c.err(where, f"body {r.get('body')!r} is not one of {sorted(BODIES)}")
        versions = r.get("versions") or []
        if not versions:
            c.err(where, "no versions")
        c.chain(where, versions)
        for i, v in enumerate(versions):
            vw = f"{where} version {i + 1}"
            if not isinstance(v, dict):
                continue
            if v.get("applies_to", "all") not in APPLIES_TO:
                c.err(vw, f"applies_to {v.get('applies_to')!r} is not one of {sorted(APPLIES_TO)}")
            for key in ("to_goods", "from_goods"):
                for s in v.get(key) or []:
                    if s not in GOODS_SELECTORS:
                        c.err(vw, f"{key} category {s!r} unknown (expected one of {sorted(GOODS_SELECTORS)})")
            for s in v.get("exempt_sectors") or []:
                if s not in SECTORS:
                    c.err(vw, f"exempt sector {s!r} unknown")
            if v.get("exemption_outcome", "pass") not in {"pass", "condition", "risk"}:
                c.err(vw, "exemption_outcome must be pass, condition or risk")
            if v.get("binding", "legal") not in {"legal", "political"}:
                c.err(vw, "binding must be legal or political")
            if "condition" in v and not (isinstance(v["condition"], str) and v["condition"].strip()):
                c.err(vw, "condition must be a text (the licence condition an exemption requires)")
            if not isinstance(v.get("new_measure", False), bool):
                c.err(vw, "new_measure must be true or false")
            for key in ("targets", "scope"):
                if key in v and not (isinstance(v[key], str) and v[key].strip()):
                    c.err(vw, f"{key} must be a text (the measure's scope in words)")
            if v.get("targets") and v.get("applies_to") != "named_groups":
                c.err(vw, "targets is for applies_to: named_groups (who the targeted measure is aimed at)")
        if "place" in r and not (isinstance(r["place"], str) and r["place"].strip()):
            c.err(where, "place must be a text (where the measure applies)")


def _check_regimes(doc: dict[str, Any], c: _Checker) -> set[str]:
    """The `regimes` section names each regime (`name` in full, `label` as readers know it): pages show
    these rather than the data keys. Returns the keys that are properly named."""
    regimes = doc.get("regimes")
    if not isinstance(regimes, dict):
        c.err("regimes", "section missing: name each regime used in memberships (name and label)")
        return set()
    named = set()
    for key, r in regimes.items():
        where = f"regime {key!r}"
        if key not in REGIMES:
            c.err(where, f"unknown to the rules engine (expected one of {sorted(REGIMES)})")
        elif not isinstance(r, dict) or not all(str(r.get(f) or "").strip() for f in ("name", "label")):
            c.err(where, "needs a name (in full) and a label (as readers know it)")
        else:
            named.add(key)
    return named


def _check_countries(doc: dict[str, Any], c: _Checker) -> None:
    named = _check_regimes(doc, c)
    recs = doc.get("countries") or []
    c.unique(recs)
    for r in recs:
        where = f"record {r.get('id')!r}"
        c.country(where, r.get("id"))
        name = r.get("name")
        if name is not None and (not isinstance(name, str) or len(name) > COUNTRY_NAME_MAX):
            c.err(where, f"name must be text of at most {COUNTRY_NAME_MAX} characters (CountryProfile.name)")
        for regime, since in (r.get("memberships") or {}).items():
            if regime not in REGIMES:
                c.err(where, f"membership of unknown regime {regime!r} (expected one of {sorted(REGIMES)})")
            elif regime not in named and isinstance(doc.get("regimes"), dict):
                c.err(where, f"membership of {regime!r}, which has no name and label under `regimes`")
            value = since.get("since") if isinstance(since, dict) else since
            if value is not True and _date(value) is None:
                c.err(where, f"membership {regime}: expected a date or true, got {value!r}")
        versions = r.get("assessments") or []
        c.chain(where, versions)
        for i, v in enumerate(versions):
            if not isinstance(v, dict):
                continue
            for key in ASSESSMENT_KEYS:
                if v.get(key, "none") not in LEVELS:
                    c.err(
                        f"{where} assessment {i + 1}", f"{key} level {v.get(key)!r} not one of {list(LEVELS)}"
                    )


def _check_ruleset(doc: dict[str, Any], c: _Checker) -> None:
    if not doc.get("id") or not doc.get("version"):
        c.err("header", "id and version are required")
    recs = doc.get("rules") or []
    c.unique(recs)
    for r in recs:
        where = f"rule {r.get('id')!r}"
        c.dated(where, r)
        if not is_criterion_form(str(r.get("criterion", ""))):
            c.err(
                where,
                f"criterion {r.get('criterion')!r} is not one of "
                f"{', '.join(c.code for c in INSTRUMENT_CRITERIA)} or NATIONAL:<id>",
            )


def _check_national(doc: dict[str, Any], c: _Checker) -> None:
    recs = doc.get("rules") or []
    c.unique(recs)
    for r in recs:
        where = f"rule {r.get('id')!r}"
        c.dated(where, r)
        if r.get("outcome") not in {"deny", "risk", "condition"}:
            c.err(where, "outcome must be deny, risk or condition")
        if not str(r.get("explanation") or "").strip():
            c.err(where, "explanation missing")
        if "condition" in r and (r.get("outcome") != "condition" or not str(r["condition"] or "").strip()):
            c.err(where, "condition (the licence condition's wording) is for outcome: condition, as a text")
        if not re.fullmatch(r"[a-z0-9-]+", str(r.get("id"))):
            c.err(where, "id must be lower-case letters, digits and hyphens (it becomes NATIONAL:<id>)")
        for cc in (r.get("when") or {}).get("destinations", []):
            c.country(where, cc)
        for flag in (r.get("when") or {}).get("end_use_flags", []):
            if flag not in END_USE_FLAGS:
                c.err(where, f"end-use flag {flag!r} is not one of {', '.join(END_USE_FLAGS)}")


CHECKS = {
    "embargoes": _check_embargoes,
    "countries": _check_countries,
    "control_list": _check_control_list,
    "ruleset": _check_ruleset,
    "national_rules": _check_national,
}


def validate_document(kind: str, doc: Any) -> list[str]:
    c = _Checker(kind)
    if not isinstance(doc, dict):
        return [f"{c.file}: not a YAML mapping"]
    problem = unstorable_data(doc)
    if problem:
        return [f"{c.file}: {problem}"]
    if doc.get("format") != FORMATS[kind]:
        c.err("header", f"format must be {FORMATS[kind]!r}, got {doc.get('format')!r}")
    try:
        CHECKS[kind](doc, c)
    except (AttributeError, TypeError, KeyError, ValueError, IndexError) as exc:
        # The checks name the record for every shape they expect; a shape none of them foresaw (a list
        # where a mapping belongs, a number for a name) is still this file's fault, not a server error.
        c.err("structure", f"a value of an unexpected type ({type(exc).__name__}: {str(exc)[:120]})")
    return c.errors


def validate_bundle(bundle: dict[str, Any]) -> list[str]:
    errors = []
    for kind in REFERENCE_KINDS:
        if kind not in bundle:
            errors.append(f"{kind}.yaml: missing from the bundle")
        else:
            errors.extend(validate_document(kind, bundle[kind]))
    return errors


def parse_yaml(text: str, *, filename: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReferenceDataError([f"{filename}: not valid YAML: {exc}"]) from exc
    except ValueError as exc:  # a whole number beyond Python's int-from-text limit (4,300 digits)
        raise ReferenceDataError([f"{filename}: not readable: {str(exc)[:200]}"]) from exc
    except RecursionError:  # brackets nested thousands deep
        raise ReferenceDataError([f"{filename}: nested too deep to read"]) from None


def read_bundle(directory: Path = DATA_DIR) -> dict[str, Any]:
    bundle: dict[str, Any] = {}
    for kind in REFERENCE_KINDS:
        path = directory / f"{kind}.yaml"
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:  # a ValueError, not an OSError: the CLI would show a traceback
            raise ReferenceDataError([f"{path.name}: not UTF-8 text (byte {exc.start})"]) from None
        bundle[kind] = parse_yaml(text, filename=path.name)
    return bundle


def normalise(value: Any) -> Any:
    """YAML dates -> ISO strings, so the bundle is JSON (for storage and digests) and canonical."""
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_bundle(bundle: dict[str, Any]) -> Reference:
    """Validate, normalise and index a bundle; raise ReferenceDataError naming every problem."""
    errors = validate_bundle(bundle)
    if errors:
        raise ReferenceDataError(errors)
    return Reference(normalise(bundle))


def bundled_reference() -> Reference:
    return load_bundle(read_bundle())


def merge_proposal(base: dict[str, Any], files: dict[str, str]) -> dict[str, Any]:
    """A proposed change: replace whole kinds by uploaded files ({"embargoes.yaml": text, ...})."""
    out = dict(base)
    for name, text in files.items():
        kind = Path(name).stem
        if kind not in REFERENCE_KINDS:
            raise ReferenceDataError(
                [
                    f"{name}: unknown reference file (expected one of "
                    f"{', '.join(k + '.yaml' for k in REFERENCE_KINDS)})"
                ]
            )
        out[kind] = parse_yaml(text, filename=name)
    return out
