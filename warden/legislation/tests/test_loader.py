"""The loader refuses inconsistent reference data with a message naming the file and the record."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from warden.legislation.loader import (
    ReferenceDataError,
    load_bundle,
    merge_proposal,
    validate_bundle,
)
from warden.legislation.tests.support import errors_after


def _embargo(b: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(e for e in b["embargoes"]["embargoes"] if e["id"] == rid)


def test_the_bundled_data_is_valid(bundle: dict[str, Any]) -> None:
    assert validate_bundle(bundle) == []
    load_bundle(bundle)


def test_it_refuses_overlapping_versions(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        _embargo(b, "un-cf")["versions"][0]["effective_until"] = "2024-01-01"

    errors = errors_after(bundle, change)
    assert any(e.startswith("embargoes.yaml: record 'un-cf'") and "overlap" in e for e in errors), errors


def test_it_refuses_an_end_before_the_start(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        _embargo(b, "un-ly")["versions"][0]["effective_until"] = "1990-01-01"

    errors = errors_after(bundle, change)
    assert any("record 'un-ly' version 1" in e and "is not after effective_from" in e for e in errors), errors


def test_it_refuses_an_unknown_country(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        _embargo(b, "eu-ve")["target"] = "XZ"

    errors = errors_after(bundle, change)
    assert any("record 'eu-ve'" in e and "unknown country code 'XZ'" in e for e in errors), errors


def test_it_refuses_a_missing_citation(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        del _embargo(b, "eu-zw")["versions"][1]["citation"]

    errors = errors_after(bundle, change)
    assert errors == [
        "embargoes.yaml: record 'eu-zw' version 2: citation missing (every record must cite its legal act or source)"
    ]


def test_it_refuses_an_unknown_scope_word(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        _embargo(b, "eu-by")["versions"][0]["to_goods"] = ["arms", "tanks"]

    errors = errors_after(bundle, change)
    assert any("record 'eu-by' version 1" in e and "'tanks' unknown" in e for e in errors), errors


def test_it_refuses_a_bad_country_profile(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        no = next(c for c in b["countries"]["countries"] if c["id"] == "NO")
        no["memberships"]["warsaw_pact"] = True
        no["assessments"][0]["human_rights"] = "terrible"

    errors = errors_after(bundle, change)
    assert any("countries.yaml: record 'NO'" in e and "warsaw_pact" in e for e in errors), errors
    assert any("countries.yaml: record 'NO' assessment 1" in e and "'terrible'" in e for e in errors), errors


def test_every_regime_a_country_belongs_to_is_named_in_the_data(bundle: dict[str, Any]) -> None:
    regimes = bundle["countries"]["regimes"]
    used = {k for c in bundle["countries"]["countries"] for k in c.get("memberships") or {}}
    assert used and used <= regimes.keys()
    assert regimes["wassenaar"] == {"name": "Wassenaar Arrangement", "label": "Wassenaar Arrangement"}
    assert regimes["mtcr"] == {"name": "Missile Technology Control Regime", "label": "MTCR"}


def test_it_refuses_a_membership_of_a_regime_without_a_name(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        del b["countries"]["regimes"]["mtcr"]
        b["countries"]["regimes"]["nsg"] = {"name": "Nuclear Suppliers Group"}
        b["countries"]["regimes"]["warsaw_pact"] = {"name": "Warsaw Pact", "label": "Warsaw Pact"}

    errors = errors_after(bundle, change)
    assert "countries.yaml: regime 'nsg': needs a name (in full) and a label (as readers know it)" in errors
    assert any(
        e.startswith("countries.yaml: regime 'warsaw_pact': unknown to the rules engine") for e in errors
    )
    assert (
        "countries.yaml: record 'GB': membership of 'mtcr', which has no name and label under `regimes`"
        in errors
    )


def test_it_refuses_a_countries_file_without_regime_names_once(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        del b["countries"]["regimes"]

    errors = errors_after(bundle, change)
    assert errors == [
        "countries.yaml: regimes: section missing: name each regime used in memberships (name and label)"
    ]


def test_it_refuses_a_duplicate_id_and_a_bad_criterion(bundle: dict[str, Any]) -> None:
    def change(b: dict[str, Any]) -> None:
        b["embargoes"]["embargoes"].append(copy.deepcopy(_embargo(b, "un-ss")))
        b["ruleset"]["rules"][0]["criterion"] = "EU-CP:9"

    errors = errors_after(bundle, change)
    assert "embargoes.yaml: record 'un-ss': duplicate id" in errors
    assert any(e.startswith("ruleset.yaml: rule 'embargo.un.arms'") and "EU-CP:9" in e for e in errors), (
        errors
    )


def test_load_bundle_raises_with_every_error(bundle: dict[str, Any]) -> None:
    b = copy.deepcopy(bundle)
    b["embargoes"]["format"] = "something/2"
    with pytest.raises(ReferenceDataError) as exc:
        load_bundle(b)
    assert "embargoes.yaml: header: format must be 'warden.embargoes/1'" in str(exc.value)


def test_a_proposal_with_invalid_yaml_names_the_file(bundle: dict[str, Any]) -> None:
    with pytest.raises(ReferenceDataError) as exc:
        merge_proposal(bundle, {"embargoes.yaml": "embargoes: [unclosed"})
    assert exc.value.errors[0].startswith("embargoes.yaml: not valid YAML")
    with pytest.raises(ReferenceDataError, match="unknown reference file"):
        merge_proposal(bundle, {"laws.yaml": "{}"})
