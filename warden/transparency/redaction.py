"""The public side's redaction policy: what may be published, and the small-cell suppression of counts.

The policy, set in settings and pinned by tests/test_redaction.py:
- commercially sensitive fields never leave the database on the public side: the queries of
  warden.transparency.figures select only destinations, ratings, dates, decisions and criteria, never an
  exporter, consignee, end user, quantity or value (the dashboard publishes counts only);
- a count from 1 to TRANSPARENCY_SUPPRESS_BELOW - 1 is suppressed, and so are complementary cells, so that a
  suppressed count cannot be worked out from the total (secondary suppression, as statistics offices do);
- only the destinations in TRANSPARENCY_DESTINATIONS are named; the others are pooled in one row.

Known limit, stated on the page: suppression is applied to each published table (and to destinations within
each region), not across every pair of filtered views, so a determined reader comparing two filtered views
can narrow a small figure down. The filters are year, region and category only, which keeps that narrow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

NOT_ITEMISED = "not-itemised"  # the pooled row of destinations the policy does not name


def threshold() -> int:
    """Counts below this are suppressed (settings.TRANSPARENCY_SUPPRESS_BELOW, at least 1)."""
    return max(1, int(settings.TRANSPARENCY_SUPPRESS_BELOW))


def published_destinations() -> frozenset[str] | None:
    """The destinations named on the public side; None for all of them ("*")."""
    codes = [str(c).upper() for c in settings.TRANSPARENCY_DESTINATIONS]
    return None if not codes or "*" in codes else frozenset(codes)


def is_published(code: str) -> bool:
    named = published_destinations()
    return named is None or code.upper() in named


@dataclass(frozen=True)
class Suppression:
    cells: frozenset[str]  # the keys whose count is not shown
    total: bool  # whether the table's total must be withheld as well


def _safe(values: list[int], t: int) -> bool:
    # The suppressed cells are safe beside a published total when there are at least two of them, their sum
    # is not below the threshold (else the sum itself is a small count) and they are not all ones (a reader
    # who knows every row holds at least one licence could then read each of them off the sum).
    return len(values) >= 2 and sum(values) >= t and sum(values) > len(values)


def suppress(counts: Mapping[str, int], t: int, forced: frozenset[str] = frozenset()) -> Suppression:
    """Which of `counts` (key -> count, rows of one table that add up to its total) to suppress: every count
    from 1 to t - 1 and every key in `forced`, then the smallest others until the suppressed ones cannot be
    recovered from the total; if no choice of cells makes that so, the total is withheld too.

    >>> s = suppress({"FR": 12, "DE": 9, "IT": 1}, 3)
    >>> sorted(s.cells), s.total
    (['DE', 'IT'], False)
    >>> suppress({"FR": 12, "DE": 9}, 3)
    Suppression(cells=frozenset(), total=False)
    >>> suppress({"FR": 1}, 3)
    Suppression(cells=frozenset({'FR'}), total=True)
    """
    hidden = {k for k, n in counts.items() if 0 < n < t} | (set(forced) & set(counts))
    if not hidden:
        return Suppression(frozenset(), False)
    # Smallest first, ties by key so the same data always suppresses the same cells.
    others = sorted((k for k in counts if k not in hidden), key=lambda k: (counts[k], k))
    while not _safe([counts[k] for k in hidden], t) and others:
        hidden.add(others.pop(0))
    return Suppression(frozenset(hidden), not _safe([counts[k] for k in hidden], t))
