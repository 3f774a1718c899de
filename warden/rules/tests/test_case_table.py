"""The declarative case table (cases.yaml), one test per row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from warden.rules.evaluate import assess_document, criteria_of
from warden.rules.tests.support import application, embargo_outcome, reference, worst

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_table(case: dict[str, Any]) -> None:
    on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    a = assess_document(application(case), reference(), on)
    expect = case["expect"]
    problems = []
    for emb, outcome in (expect.get("embargo") or {}).items():
        got = embargo_outcome(a, emb)
        if got != outcome:
            problems.append(f"embargo {emb}: expected {outcome}, got {got}")
    for rule, outcome in (expect.get("rules") or {}).items():
        got = worst([f for f in a["findings"] if f["rule"] == rule])
        if got != outcome:
            problems.append(f"rule {rule}: expected {outcome}, got {got}")
    crits = set(criteria_of(a))
    for c in expect.get("criteria_include", []):
        if c not in crits:
            problems.append(f"criterion {c} expected among {sorted(crits)}")
    for c in expect.get("criteria_exclude", []):
        if c in crits:
            problems.append(f"criterion {c} not expected, got {sorted(crits)}")
    if "recommendation" in expect and a["recommendation"] != expect["recommendation"]:
        problems.append(f"recommendation: expected {expect['recommendation']}, got {a['recommendation']}")
    assert not problems, (
        "\n".join(problems)
        + "\n"
        + "\n".join(
            f"  {f['outcome']:9} {f['criterion']:10} {f['rule']:30} {f['subject']}" for f in a["findings"]
        )
    )


def test_every_embargo_record_is_covered_by_the_table() -> None:
    covered = {e for c in CASES for e in (c["expect"].get("embargo") or {})}
    ref = reference()
    ids = {e.id for es in (*ref.embargoes_by_target.values(), ref.global_embargoes) for e in es}
    assert ids - covered == set()
