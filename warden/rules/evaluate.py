"""Run every rule family and produce the warden.assessment/1 document.

Deterministic: findings are de-duplicated and sorted, the document is canonical JSON, and it names the
ruleset (id, version, digest of the rules data AND of this engine's source) and the digest of every
reference-data kind, so a stored assessment can be rebuilt byte for byte from the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from json.encoder import encode_basestring as _string  # C; same text as dumps(ensure_ascii=False)
from pathlib import Path
from typing import Any

from warden.lib.canonical import canonical_bytes
from warden.rules import (
    catch_all,
    country,
    dual_use,
    embargoes,
    euc,
    licence_types,
    lines,
    national,
    treaties,
)
from warden.rules.context import Ctx
from warden.rules.model import Application, Finding, recommendation
from warden.rules.reference import Reference

FORMAT = "warden.assessment/1"
RULE_FAMILIES = (
    embargoes.check,
    treaties.check,
    country.check,
    euc.check,
    dual_use.check,
    catch_all.check,
    licence_types.check,
    national.check,
)


def _engine_source_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


ENGINE_DIGEST = _engine_source_digest()


def findings_for(app: Application, ref: Reference, on: dt.date) -> list[Finding]:
    """Every finding of every rule family. A global application with destination lines is assessed line by
    line, each line as an application of its own whose findings name it (warden.rules.lines)."""
    if app.lines:
        found: list[Finding] = []
        for line in app.lines:
            found.extend(
                lines.renamed(f, line) for f in findings_for(lines.line_application(app, line), ref, on)
            )
        return found
    ctx = Ctx(app=app, ref=ref, on=on)
    for family in RULE_FAMILIES:
        family(ctx)
    return ctx.findings


def ruleset_block(ref: Reference) -> dict[str, str]:
    meta = ref.ruleset_meta
    digest = hashlib.sha256(
        (ref.digests["ruleset"] + ref.digests["national_rules"] + ENGINE_DIGEST).encode()
    ).hexdigest()
    return {"id": meta["id"], "version": meta["version"], "digest": "sha256:" + digest}


def assess(
    app: Application,
    ref: Reference,
    on: dt.date,
    *,
    screening: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The assessment document. `screening` is {"screening": [...], "findings": [...]} from the screening
    service (already in the contract's form) plus optionally "digest" of the sanctions data."""
    found = findings_for(app, ref, on)
    extra = [
        Finding(
            criterion=f["criterion"],
            rule=f["rule"],
            subject=f["subject"],
            outcome=f["outcome"],
            basis=f["basis"],
            explanation=f["explanation"],
            condition=f.get("condition", ""),
        )
        for f in (screening or {}).get("findings", [])
    ]
    all_findings = sorted(set(found) | set(extra))
    ref_digests = {k: ref.digests[k] for k in ("control_list", "countries", "embargoes")}
    if screening and screening.get("digest"):
        ref_digests["sanctions"] = str(screening["digest"])
    return {
        "format": FORMAT,
        "application": app.reference,
        "as_of": on.isoformat(),
        "recommendation": recommendation(all_findings),
        "findings": [f.as_dict() for f in all_findings],
        "screening": sorted(
            (screening or {}).get("screening", []), key=lambda s: canonical_bytes(s, allow_floats=True)
        ),
        "ruleset": ruleset_block(ref),
        "reference_data": ref_digests,
    }


def assess_document(doc: dict[str, Any], ref: Reference, on: dt.date, **kw: Any) -> dict[str, Any]:
    """Assess a document as of `on`. The engine reads no clock: the caller says which day it is (from
    warden.lib.clock.today() in the configured time zone, or the case's own date)."""
    return assess(Application.from_document(doc), ref, on, **kw)


_FRAGMENTS: dict[tuple[str, ...], str] = {}  # finding -> its canonical JSON text (findings repeat a lot)


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _finding_json(f: dict[str, str]) -> str:
    key = (
        f["criterion"],
        f["rule"],
        f["subject"],
        f["outcome"],
        f["basis"],
        f["explanation"],
        f.get("condition", ""),
    )
    text = _FRAGMENTS.get(key)
    if text is None:
        if len(_FRAGMENTS) > 200_000:  # bound the memory of long-running processes
            _FRAGMENTS.clear()
        text = _FRAGMENTS[key] = _dump(f)
    return text


def _flat(value: Any) -> str:
    """Canonical JSON of a string or a flat {str: str} mapping (the hot parts), else the general path."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return "{" + ",".join(_string(k) + ":" + _string(value[k]) for k in sorted(value)) + "}"
    return _dump(value)


def to_bytes(assessment: dict[str, Any]) -> bytes:
    """Canonical JSON bytes of an assessment, identical to warden.lib.canonical.canonical_bytes (a property
    test checks it), assembled from cached per-finding fragments because serialisation dominated the
    engine's cost. Screening scores are floats in the contract; the screening service rounds them."""
    parts = []
    for key in sorted(assessment):
        value = assessment[key]
        text = "[" + ",".join(_finding_json(f) for f in value) + "]" if key == "findings" else _flat(value)
        parts.append(_string(key) + ":" + text)
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def criteria_of(assessment: dict[str, Any]) -> list[str]:
    """Criteria with a non-pass finding, e.g. ["ATT:6.1", "EU-CP:1"]."""
    return sorted({f["criterion"] for f in assessment["findings"] if f["outcome"] != "pass"})
