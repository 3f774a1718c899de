"""Catch-all and UAV findings: each explains what was declared or inferred and why it matters, and a
national measure can key on a declared end use (Art. 9 of Reg. 2021/821)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from warden.legislation.loader import load_bundle, read_bundle
from warden.rules.evaluate import assess_document
from warden.rules.model import Application
from warden.rules.tests.support import application, reference

ON = dt.date(2025, 6, 1)


def _findings(case: dict[str, Any], rule: str, ref: Any = None) -> list[dict[str, Any]]:
    a = assess_document(application(case), ref or reference(), ON)
    return [f for f in a["findings"] if f["rule"] == rule]


def test_end_use_flags_are_read_from_the_document() -> None:
    app = Application.from_document(application({"destination": "NO", "end_use_flags": ["wmd", "uav"]}))
    assert app.end_use_flags == frozenset({"wmd", "uav"})
    assert Application.from_document(application({"destination": "NO"})).end_use_flags == frozenset()


def test_a_declared_wmd_end_use_is_refused_with_the_regulation_cited() -> None:
    [f] = _findings({"destination": "NO", "goods": ["3A001"], "end_use_flags": ["wmd"]}, "catch_all.art4_1a")
    assert f["outcome"] == "deny" and f["criterion"] == "EU-CP:1"
    assert "Regulation (EU) 2021/821, Article 4(1)(a)" in f["basis"]
    assert "chemical, biological or nuclear weapons" in f["explanation"]


def test_an_inferred_military_end_use_names_the_sector_and_the_embargo() -> None:
    [f] = _findings({"destination": "BY", "goods": ["3A001"]}, "catch_all.art4_1b")
    assert f["outcome"] == "risk"
    assert "armed forces sector" in f["explanation"] and "inferred" in f["explanation"]
    assert "BY" in f["explanation"]


def test_a_uav_finding_says_whether_the_flag_came_from_the_list_or_the_exporter() -> None:
    [listed] = _findings({"destination": "SA", "goods": ["9A012.a"]}, "uav.mtcr")
    assert "the control list flags the rating as a UAV entry" in listed["explanation"]
    [declared] = _findings({"destination": "SA", "goods": ["3A001"], "end_use_flags": ["uav"]}, "uav.mtcr")
    assert "declared by the exporter" in declared["explanation"]


def test_a_national_measure_can_require_review_of_a_declared_end_use() -> None:
    bundle = copy.deepcopy(read_bundle())
    bundle["national_rules"]["rules"].append(
        {
            "id": "art9-illustrative",
            "effective_from": "2024-01-01",
            "citation": "Regulation (EU) 2021/821, Article 9 (national measure, illustrative)",
            "when": {"end_use_flags": ["internal_repression", "illegal_military_parts"]},
            "outcome": "deny",
            "explanation": "National measure: no export with such a declared end use.",
        }
    )
    ref = load_bundle(bundle)
    case = {"destination": "NO", "goods": ["3A001"], "sector": "commercial"}
    assert _findings(case, "national.art9-illustrative", ref) == []
    [f] = _findings({**case, "end_use_flags": ["illegal_military_parts"]}, "national.art9-illustrative", ref)
    assert f["outcome"] == "deny" and f["criterion"] == "NATIONAL:art9-illustrative"
