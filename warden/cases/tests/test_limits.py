"""The application schema holds the database columns' limits (warden.cases.limits): a name longer than
its column or an amount the column cannot hold is a 422 naming the pointer on both databases, never a
500 from PostgreSQL after the schema said yes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases import limits
from warden.cases.models import Case, GoodsLine, Party
from warden.cases.schema import application_schema
from warden.testing import Personas, application_for


def _node(location: str) -> dict[str, Any]:
    """The schema for a document location, following $ref into $defs (its sibling keys kept)."""
    schema = application_schema()
    node: dict[str, Any] = schema
    for part in location.strip("/").split("/"):
        node = _resolved(node)
        node = node["items"] if part == "*" else node["properties"][part]
    return node


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target = application_schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@pytest.mark.parametrize("location", sorted(limits.STORED_IN))
def test_every_stored_field_is_limited_by_the_schema_to_what_its_column_holds(location: str) -> None:
    node = _resolved(_node(location))
    column = limits.max_length(location)
    if column is not None:
        if "enum" in node or "const" in node:
            values = node.get("enum", [node.get("const")])
            assert all(len(v) <= column for v in values), location
        else:
            assert node.get("maxLength") == column, f"{location}: maxLength must be the column's {column}"
    elif node.get("type") == "integer":
        low, high = limits.integer_range(location)
        assert node["minimum"] >= low and node["maximum"] == high, location
    else:
        assert node.get("type") == "number", location
        assert Decimal(str(node["maximum"])) == limits.max_decimal(location), location
        assert node["minimum"] >= 0, location


def test_the_largest_amount_the_column_holds_is_derived_from_max_digits() -> None:
    assert limits.max_decimal("/goods/*/value/amount") == Decimal("99999999999999")


def _client(personas: Personas) -> Client:
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(personas: Personas, doc: dict[str, Any]) -> Any:
    return _client(personas).post("/api/applications/", data=json.dumps(doc), content_type="application/json")


def _counts() -> tuple[int, int, int]:
    return Case.objects.count(), GoodsLine.objects.count(), Party.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pointer", "change"),
    [
        ("/parties/0/name", lambda d: d["parties"][0].update(name="N" * 501)),
        ("/goods/0/description", lambda d: d["goods"][0].update(description="D" * 501)),
        ("/end_user_certificate/number", lambda d: d["end_user_certificate"].update(number="E" * 101)),
        ("/reference", lambda d: d.update(reference="R" * 61)),
        ("/goods/0/value/amount", lambda d: d["goods"][0]["value"].update(amount=100000000000000)),
        ("/goods/0/value/amount", lambda d: d["goods"][0]["value"].update(amount=99999999999999.995)),
        ("/goods/0/quantity", lambda d: d["goods"][0].update(quantity=2**31)),
    ],
)
def test_a_field_beyond_its_column_is_422_naming_the_pointer_and_nothing_is_stored(
    personas: Personas, pointer: str, change: Any
) -> None:
    doc = application_for(personas.exporter)
    change(doc)
    r = _post(personas, doc)
    assert r.status_code == 422, r.content
    errors = r.json()["errors"]
    assert [e["pointer"] for e in errors] == [pointer]
    assert len(errors[0]["message"]) < 200  # the over-long value is shown cut short, not whole
    assert _counts() == (0, 0, 0)


@pytest.mark.django_db
def test_fields_exactly_at_their_columns_limits_are_stored(personas: Personas) -> None:
    doc = application_for(personas.exporter)
    doc["parties"][0]["name"] = "N" * 500
    doc["goods"][0]["description"] = "D" * 500
    doc["goods"][0]["quantity"] = 2**31 - 1
    doc["goods"][0]["value"]["amount"] = 99999999999999
    doc["end_user_certificate"]["number"] = "E" * 100
    r = _post(personas, doc)
    assert r.status_code == 201, r.content
    line = GoodsLine.objects.get()
    assert line.value_amount == Decimal("99999999999999.00") and line.quantity == 2**31 - 1
    assert Party.objects.get(index=0).name == "N" * 500
