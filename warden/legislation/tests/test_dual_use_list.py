"""The EU dual-use list (Annex I to Regulation (EU) 2021/821) as data beside the military list: loaded with
validation (a bad record is refused naming the file and the record), and holding every entry that Warden's
rules, demo data and tests refer to."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from warden.legislation.tests.support import errors_after
from warden.rules.control_list import rating_problem
from warden.rules.reference import Reference

WARDEN = Path(__file__).resolve().parents[2]


def _entry(b: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(e for e in b["control_list"]["dual_use"] if e["id"] == rid)


def test_every_category_and_product_group_has_entries(bundle: dict[str, Any]) -> None:
    ids = {e["id"] for e in bundle["control_list"]["dual_use"]}
    assert {i[0] for i in ids} == set("0123456789")
    assert {i[1] for i in ids} == set("ABCDE")
    for category in "0123456789":  # every category has systems (A), software (D) and technology (E)
        assert {i[1] for i in ids if i[0] == category} >= {"A", "D", "E"}, category
    assert len(ids) >= 300


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b: _entry(b, "5A002").update(id="5Z002"), ["control_list.yaml", "'5Z002'", "id"]),
        (lambda b: _entry(b, "5A002").update(title=""), ["control_list.yaml", "'5A002'", "title missing"]),
        (lambda b: _entry(b, "5A002").update(items=["a", "B!"]), ["'5A002'", "items"]),
        (lambda b: _entry(b, "4A005").update(sub_items="no"), ["'4A005'", "sub_items"]),
        (lambda b: _entry(b, "3A001").update(effective_from="soon"), ["'3A001'", "effective_from"]),
        (
            lambda b: b["control_list"]["dual_use"].append({"id": "5A002", "title": "x"}),
            ["'5A002'", "duplicate"],
        ),
        (lambda b: b["control_list"]["dual_use_list"].pop("edition"), ["dual_use_list", "edition"]),
        (
            lambda b: b["control_list"]["national"][0].pop("citation"),
            ["national record 'PL5001'", "citation"],
        ),
    ],
)
def test_a_bad_record_is_refused_naming_the_file_and_the_record(
    bundle: dict[str, Any], change: Any, words: list[str]
) -> None:
    errors = errors_after(bundle, change)
    assert any(all(w in e for w in words) for e in errors), errors


def _ratings_used_in_warden() -> set[str]:
    """Ratings written in the demo data, the rules data and the engine's test cases."""
    texts = [
        (WARDEN / "demo" / "scenarios.py").read_text(encoding="utf-8"),
        (WARDEN / "legislation" / "data" / "national_rules.yaml").read_text(encoding="utf-8"),
        (WARDEN / "rules" / "tests" / "cases.yaml").read_text(encoding="utf-8"),
    ]
    found = set()
    for text in texts:
        found |= set(re.findall(r"\b(?:ML\d{1,2}|\d[A-E]\d{3})(?:\.[a-z0-9]+)*\b", text))
    return found


def test_every_rating_the_demo_rules_and_cases_use_is_on_the_list(bundle: dict[str, Any]) -> None:
    ref = Reference(bundle)
    on = dt.date(2026, 3, 1)
    flagged = {r for f in bundle["control_list"]["emerging"] for r in f["ratings"]}
    missing = {r: rating_problem(ref, r, on) for r in _ratings_used_in_warden() | flagged}
    assert {r: p for r, p in missing.items() if p} == {}


def test_the_catch_all_and_cyber_rules_point_at_real_entries(bundle: dict[str, Any]) -> None:
    ref = Reference(bundle)
    for code in ("4A005", "4D004", "4E001.c", "5A001.f", "5A001.j", "5D001.e", "5A002.a", "9A012", "9A120"):
        assert rating_problem(ref, code, dt.date(2026, 3, 1)) is None, code
