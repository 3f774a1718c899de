"""A global application's destination lines: each line assessed as its own application, its findings naming
it, a refusal ground on one line leaving the others approvable, and the document checks of the lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from warden.rules import lines
from warden.rules.evaluate import assess_document
from warden.rules.tests.support import reference
from warden.testing import sample_global_application

ON = dt.date(2026, 3, 1)


def _views(doc: dict[str, Any], on: dt.date = ON) -> dict[str, lines.LineView]:
    found = assess_document(doc, reference(), on)["findings"]
    return {v.country: v for v in lines.line_views(found, lines.lines_of(doc))}


def test_every_finding_of_a_global_application_names_its_destination_line() -> None:
    findings = assess_document(sample_global_application(), reference(), ON)["findings"]
    assert findings
    assert all(f["subject"].startswith("destinations[") for f in findings)
    embargo = [f for f in findings if f["rule"] == "embargo.eu.arms"]
    assert {f["subject"] for f in embargo} == {"destinations[2]"}


def test_an_embargoed_destination_line_is_refused_while_the_others_are_approvable() -> None:
    views = _views(sample_global_application())
    assert views["BY"].recommendation == "refuse"
    assert "EU-CP:1" in views["BY"].deny_criteria
    assert views["NO"].recommendation in {"approve", "approve_with_conditions"}
    assert views["SE"].recommendation in {"approve", "approve_with_conditions"}


def test_a_line_is_assessed_as_of_the_date_asked_before_its_embargo_there_is_no_embargo_finding() -> None:
    doc = sample_global_application()
    before = assess_document(doc, reference(), dt.date(2010, 1, 1))["findings"]
    assert not [f for f in before if f["rule"] == "embargo.eu.arms"]


def test_goods_and_party_findings_name_the_documents_indexes_not_the_lines() -> None:
    doc = sample_global_application()
    doc["end_user_certificate"] = None
    del doc["end_user_certificate"]
    findings = assess_document(doc, reference(), ON)["findings"]
    # Sweden's line holds goods[1] only: its goods findings say goods[1], never goods[0].
    sweden = {f["subject"] for f in findings if f["subject"].startswith("destinations[1].")}
    assert sweden and all(s in {"destinations[1].goods[1]", "destinations[1].parties[2]"} for s in sweden)


def test_a_screened_party_touches_only_the_lines_it_is_on_and_shared_parties_touch_all() -> None:
    doc = sample_global_application()
    ls = lines.lines_of(doc)
    assert lines.lines_touched("parties[3]", ls) == [2]
    assert lines.lines_touched("application", ls) == [0, 1, 2]
    doc["parties"].append(
        {"role": "intermediary", "type": "organisation", "name": "Forwarder", "country": "DK"}
    )
    shared = lines.lines_of(doc)
    assert all(4 in ln.parties for ln in shared)


def _errors(doc: dict[str, Any]) -> dict[str, str]:
    return dict(lines.line_errors(doc))


def test_lines_on_an_application_that_is_not_global_are_refused() -> None:
    doc = sample_global_application(licence_type="individual")
    assert "global licence only" in _errors(doc)["/destinations"]


def test_a_line_naming_an_unknown_party_or_goods_line_is_refused_at_that_index() -> None:
    doc = sample_global_application()
    doc["destinations"][1]["parties"] = [2, 9]
    doc["destinations"][2]["goods"] = [5]
    errors = _errors(doc)
    assert "no party 9" in errors["/destinations/1/parties/1"]
    assert "no goods line 5" in errors["/destinations/2/goods/0"]


def test_a_destination_twice_is_refused() -> None:
    doc = sample_global_application()
    doc["destinations"][2]["country"] = "NO"
    assert "already destinations[0]" in _errors(doc)["/destinations/2/country"]


def test_a_line_without_an_end_user_or_with_a_cap_in_another_currency_is_refused() -> None:
    doc = sample_global_application()
    doc["destinations"][0]["parties"] = [1]  # the consignee only (the end user moved to Sweden's line)
    doc["destinations"][1]["parties"] = [0, 2]
    doc["destinations"][1]["value"]["currency"] = "GBP"
    errors = _errors(doc)
    assert "end_user" in errors["/destinations/0/parties"]
    assert "EUR" in errors["/destinations/1/value/currency"]


def test_the_top_level_destination_must_be_one_of_the_lines() -> None:
    doc = sample_global_application(destination="DK")
    assert "NO, SE, BY" in _errors(doc)["/destination"]
