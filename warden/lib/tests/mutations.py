"""Hypothesis strategies that break real files the way a careless or hostile sender would (issue 14 §1):
cut short, a byte flipped, a NUL put in, a 5,000-digit number, brackets thousands deep, an over-long
token. Used by the importer and application fuzz tests; deterministic (derandomize) so CI stays stable."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Few examples each: the point is to try every kind of damage at varied places, not to search long.
FUZZ = settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INSERTS = [
    b"\x00",
    b"\\u0000",
    b"\\ud800",
    b"9" * 5000,
    b"1e999999",
    b"NaN",
    b"[" * 3000,
    b"{" * 3000,
    b"<a>" * 3000,
    b"X" * 1200,
    b"\xff\xfe",
    b'"',
    b",",
    b"\n",
]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` damaged once or twice at places hypothesis picks."""
    data = original
    for _ in range(draw(st.integers(1, 2))):
        pos = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "replace"]))
        if kind == "truncate":
            data = data[:pos]
        elif kind == "flip" and data:
            at = min(pos, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        else:
            chunk = draw(st.sampled_from(INSERTS))
            end = pos + (len(chunk) if kind == "replace" else 0)
            data = data[:pos] + chunk + data[end:]
    return data
