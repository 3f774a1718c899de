"""The application form as a whole: the main form plus any number of goods lines and parties, turned into a
warden.application/1 document, and the schema's errors (JSON pointers) put back next to the right field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms

from warden.accounts.models import User
from warden.cases.forms import ApplicationForm, GoodsLineForm, PartyForm
from warden.rules.catch_all import END_USE_FLAGS

_INDEX = re.compile(r"^(goods|parties)-(\d+)-")

# Document key -> form field, where they differ.
PARTY_FIELDS = {"type": "party_type"}
EUC_FIELDS = {
    "number": "euc_number",
    "issued_on": "euc_issued_on",
    "valid_until": "euc_valid_until",
    "re_export": "euc_re_export",
    "delivery_verification": "euc_delivery_verification",
    "post_shipment_verification": "euc_post_shipment_verification",
}


def line_indices(data: Mapping[str, Any], kind: str) -> list[int]:
    """The line numbers present in posted data (lines can be added by htmx, so there is no fixed count)."""
    found = set()
    for key in data:
        m = _INDEX.match(key)
        if m and m.group(1) == kind:
            found.add(int(m.group(2)))
    return sorted(found)


@dataclass
class ApplicationForms:
    main: ApplicationForm
    goods: list[GoodsLineForm]
    parties: list[PartyForm]
    extra_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all(self) -> list[forms.Form]:
        return [self.main, *self.goods, *self.parties]

    def is_valid(self) -> bool:
        # Every form is validated (not short-circuited) so that all errors show at once.
        results = [f.is_valid() for f in self.all]
        return all(results)

    def next_goods_index(self) -> int:
        return max((int(f.prefix.split("-")[1]) for f in self.goods), default=-1) + 1  # type: ignore[union-attr]

    def next_party_index(self) -> int:
        return max((int(f.prefix.split("-")[1]) for f in self.parties), default=-1) + 1  # type: ignore[union-attr]


def bound(data: Mapping[str, Any]) -> ApplicationForms:
    """Forms bound to posted data. Completely blank extra lines are dropped (an unused "add another")."""
    goods_at = line_indices(data, "goods")
    party_at = line_indices(data, "parties")
    all_goods = [GoodsLineForm(data, prefix=f"goods-{i}") for i in goods_at]
    all_parties = [PartyForm(data, prefix=f"parties-{i}") for i in party_at]
    goods = [g for g in all_goods if not g.wants_removal()]
    parties = [p for p in all_parties if not p.wants_removal()]
    # Everything removed: a fresh (blank, so "required") line at an unused number, so the error says what is
    # missing instead of the removed line coming back.
    goods = (
        [g for g in goods if not g.is_blank()]
        or goods[:1]
        or [GoodsLineForm(data, prefix=f"goods-{max(goods_at, default=-1) + 1}")]
    )
    parties = (
        [p for p in parties if not p.is_blank()]
        or parties[:1]
        or [PartyForm(data, prefix=f"parties-{max(party_at, default=-1) + 1}")]
    )
    return ApplicationForms(ApplicationForm(data), goods, parties)


def unbound(document: Mapping[str, Any] | None = None) -> ApplicationForms:
    """Empty forms, or forms showing an existing draft's document."""
    doc = dict(document or {})
    euc = doc.get("end_user_certificate") or {}
    initial = {
        "reference": doc.get("reference", ""),
        "licence_type": doc.get("licence_type", "individual"),
        "destination": doc.get("destination", ""),
        "destinations": ", ".join(str(d.get("country", "")) for d in doc.get("destinations") or []),
        "end_use": doc.get("end_use", ""),
        "end_use_flags": list(doc.get("end_use_flags") or []),
        **{form_name: euc.get(key) for key, form_name in EUC_FIELDS.items() if key in euc},
    }
    goods = [
        GoodsLineForm(
            prefix=f"goods-{i}",
            initial={
                "description": g.get("description", ""),
                "rating": g.get("rating", ""),
                "quantity": g.get("quantity"),
                "value_amount": (g.get("value") or {}).get("amount"),
                "currency": (g.get("value") or {}).get("currency", "EUR"),
            },
        )
        for i, g in enumerate(doc.get("goods") or [{}])
    ]
    parties = [
        PartyForm(
            prefix=f"parties-{i}",
            initial={
                "role": p.get("role", "end_user"),
                "party_type": p.get("type", "organisation"),
                "sector": p.get("sector", "unknown"),
                "name": p.get("name", ""),
                "country": p.get("country", ""),
                "address": p.get("address", ""),
            },
        )
        for i, p in enumerate(doc.get("parties") or [{"role": "end_user"}])
    ]
    return ApplicationForms(ApplicationForm(initial=initial), goods, parties)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_document(f: ApplicationForms, *, user: User, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The warden.application/1 document for valid forms. Keys the form does not edit (aliases, identifiers,
    persons' details) are kept from `base`, the draft's current document."""
    base = dict(base or {})
    m = f.main.cleaned_data
    org = user.organisation
    doc: dict[str, Any] = {
        "format": "warden.application/1",
        "licence_type": m["licence_type"],
        # Always the signed-in organisation (services refuse any other exporter), even on a draft made
        # before the organisation's record changed.
        "exporter": {
            "name": org.name if org else "",
            "country": org.country if org else "",
            **({"registration_number": org.registration_number} if org and org.registration_number else {}),
        },
        "destination": m["destination"].strip().upper(),
        "end_use": m["end_use"].strip(),
    }
    if m.get("reference"):
        doc["reference"] = m["reference"].strip()
    if m.get("end_use_flags"):
        doc["end_use_flags"] = [f for f in END_USE_FLAGS if f in m["end_use_flags"]]
    if m.get("euc_number"):
        euc: dict[str, Any] = {"number": m["euc_number"].strip()}
        if m.get("euc_issued_on"):
            euc["issued_on"] = m["euc_issued_on"].isoformat()
        if m.get("euc_valid_until"):
            euc["valid_until"] = m["euc_valid_until"].isoformat()
        if m.get("euc_re_export"):
            euc["re_export"] = m["euc_re_export"]
        euc["delivery_verification"] = bool(m.get("euc_delivery_verification"))
        euc["post_shipment_verification"] = bool(m.get("euc_post_shipment_verification"))
        doc["end_user_certificate"] = euc
    doc["goods"] = [
        {
            "description": g.cleaned_data["description"].strip(),
            "rating": g.cleaned_data["rating"].strip(),
            "quantity": g.cleaned_data["quantity"],
            "value": {
                "amount": _number(g.cleaned_data["value_amount"]),
                "currency": g.cleaned_data["currency"].strip().upper(),
            },
        }
        for g in f.goods
    ]
    old_parties = base.get("parties") or []
    parties = []
    for p in f.parties:
        d = p.cleaned_data
        # The line's number (its prefix) is its index in the draft's document, whatever lines were removed or
        # left blank before it, so the keys the form does not edit stay with their own party.
        i = int((p.prefix or "parties-0").split("-")[1])
        kept = dict(old_parties[i]) if i < len(old_parties) and isinstance(old_parties[i], dict) else {}
        kept.update(
            {"role": d["role"], "type": d["party_type"], "sector": d["sector"], "name": d["name"].strip()}
        )
        for key in ("country", "address"):
            if d.get(key):
                kept[key] = d[key].strip().upper() if key == "country" else d[key].strip()
            else:
                kept.pop(key, None)
        parties.append(kept)
    doc["parties"] = parties
    lines = _destination_lines(m.get("destinations") or "", parties, base)
    if lines:
        doc["destinations"] = lines
    if base.get("submitted_on"):
        doc["submitted_on"] = base["submitted_on"]
    return doc


def _destination_lines(
    raw: str, parties: list[dict[str, Any]], base: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The destination lines typed as country codes: each with the parties of its country, keeping the goods
    and caps a draft's line for the same country had (set by an uploaded file)."""
    countries = [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]
    before = {str(d.get("country", "")): d for d in base.get("destinations") or [] if isinstance(d, dict)}
    lines = []
    for country in countries:
        line = {k: v for k, v in before.get(country, {}).items() if k in ("goods", "quantity", "value")}
        line["country"] = country
        line["parties"] = [i for i, p in enumerate(parties) if p.get("country") == country]
        lines.append(line)
    return lines


def _add(form: forms.Form, name: str | None, message: str) -> None:
    if name is not None and name not in form.fields:
        name = None
    form.add_error(name, message)


def place_errors(f: ApplicationForms, errors: Iterable[tuple[str, str]]) -> None:
    """Put each schema error (JSON pointer, message) next to the field it names; the rest go in the summary."""
    for pointer, message in errors:
        parts = [p for p in pointer.split("/") if p != ""]
        head = parts[0] if parts else ""
        if head in ("goods", "parties") and len(parts) >= 2 and parts[1].isdigit():
            lines = f.goods if head == "goods" else f.parties
            i = int(parts[1])
            if i < len(lines):
                key = parts[2] if len(parts) > 2 else None
                if head == "goods" and key == "value":
                    key = "currency" if len(parts) > 3 and parts[3] == "currency" else "value_amount"
                elif head == "parties" and key is not None:
                    key = PARTY_FIELDS.get(key, key)
                _add(lines[i], key, message)
                continue
        if head == "end_user_certificate":
            key = EUC_FIELDS.get(parts[1], "euc_number") if len(parts) > 1 else "euc_number"
            _add(f.main, key, message)
            continue
        if head in f.main.fields:
            _add(f.main, head, message)
            continue
        f.extra_errors.append(("", f"{pointer or 'document'}: {message}"))
