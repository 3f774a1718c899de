"""The ATT annual report against totals worked out by hand on the fixture caseload (conftest.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from warden.lib.actors import system
from warden.reports import services
from warden.reports.tests.conftest import YEAR, Caseload

pytestmark = pytest.mark.django_db


def _json(kind: str, year: int = YEAR) -> dict:  # type: ignore[type-arg]
    out = services.generate(actor=system("test"), kind=kind, year=year, fmt="json")
    return json.loads(out.content)  # type: ignore[no-any-return]


def test_att_exports_are_the_hand_computed_rows(caseload: Caseload) -> None:
    doc = _json("att")
    rows = [
        (
            r["category"],
            r["subcategory"],
            r["basis"],
            r["final_importing_state"],
            r["number_of_items"],
            r["value"],
        )
        for r in doc["tables"]["exports"]["rows"]
    ]
    assert rows == [
        ("VII", "VII(a) Missiles and missile launchers", "authorised", "FR", 10, "590550.00"),
        ("VIII", "SA-2 Rifles and carbines", "actual", "FR", 40, "80000.00"),
        ("VIII", "SA-2 Rifles and carbines", "authorised", "FR", 100, "200000.00"),
    ]
    # Rotor blades (ML10.d: parts) to Norway and the refusal to Belarus are not ATT exports.
    assert doc["facts"]["nil_report_exports"] is None
    assert doc["tables"]["imports"]["rows"] == []
    assert doc["facts"]["withheld_national_security"] is False


def test_att_states_the_audit_head_and_data_revision_it_was_computed_from(caseload: Caseload) -> None:
    from warden.audit.models import AuditEntry
    from warden.reports.provenance import tree_head

    doc = _json("att")
    size, root = tree_head()
    assert doc["provenance"]["audit_log_size"] == size == AuditEntry.objects.count() > 0
    assert doc["provenance"]["audit_root"] == root
    assert "data_revision" in doc["provenance"]


def test_a_year_without_exports_gives_the_nil_report(caseload: Caseload) -> None:
    doc = _json("att", YEAR - 1)
    assert doc["tables"]["exports"]["rows"] == []
    assert doc["facts"]["nil_report_exports"].startswith("GB reports that it did not export")
    assert doc["facts"]["forms_included"] == ["nil_exports", "annex2"]


def test_withheld_ratings_leave_the_tables_and_set_the_mark(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warden.reports import mapping

    cats = dict(mapping.categories())
    cats["withheld"] = {"national_security": ["ML4"], "commercially_sensitive": []}
    monkeypatch.setattr(mapping, "categories", lambda: cats)
    doc = _json("att")
    assert [r["category"] for r in doc["tables"]["exports"]["rows"]] == ["VIII", "VIII"]
    assert doc["facts"]["withheld_national_security"] is True
    assert any("withheld in accordance with Article 13(3)" in n for n in doc["notes"])


def test_the_same_year_and_data_give_byte_identical_csv_and_json(caseload: Caseload) -> None:
    for fmt in ("csv", "json"):
        for kind in ("att", "unroca", "coarm", "national"):
            a = services.generate(actor=system("test"), kind=kind, year=YEAR, fmt=fmt).content
            b = services.generate(actor=system("test"), kind=kind, year=YEAR, fmt=fmt).content
            assert a == b, (kind, fmt)
    assert Decimal("590550.00") == Decimal(500000) * Decimal("1.1811")
