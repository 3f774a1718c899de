from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warden.lib.canonical import canonical_bytes

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text())
no_floats = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


def test_keys_are_sorted_without_whitespace_and_text_stays_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'.encode()


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (1.5, "$"),
        ({"amount": 2.0}, "$.amount"),
        ({"lines": [1, {"value": 0.1}]}, "$.lines[1].value"),
        ({"t": (1, 2, 3.0)}, "$.t[2]"),
    ],
)
def test_a_float_anywhere_is_refused_naming_where(value: Any, where: str) -> None:
    with pytest.raises(TypeError, match=rf"float at {re.escape(where)}:"):
        canonical_bytes(value)


def test_floats_are_allowed_only_when_asked() -> None:
    assert canonical_bytes({"x": 0.5}, allow_floats=True) == b'{"x":0.5}'


@given(no_floats)
def test_any_value_without_floats_round_trips_to_the_same_bytes(value: Any) -> None:
    encoded = canonical_bytes(value)
    assert canonical_bytes(json.loads(encoded)) == encoded


@given(no_floats, st.floats(allow_nan=False))
def test_a_float_hidden_in_any_value_is_found(value: Any, number: float) -> None:
    with pytest.raises(TypeError, match="float at"):
        canonical_bytes([value, {"deep": [number]}])
