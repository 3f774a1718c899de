"""'Essentially identical' (CP Art. 4; User's Guide): the same destination, the same rating, and the same end
user, whose names are compared with the screening matcher (warden.screening.matcher, pure).

A rating is the same when the two entries are equal ignoring case, or when one is a sub-item of the other
(a denial for ML10 covers an application for ML10.d, and a denial for ML10.d an application rated ML10):
the partner may have rated more or less finely than our exporter did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from warden.screening.matcher.score import score_pair

# At or above this matcher score the end user is taken to be the denial's end user. Higher than the
# sanctions review threshold: a flag holds up a grant, so it needs the same organisation, not a likely one.
END_USER_THRESHOLD = 0.85


@dataclass(frozen=True)
class Resemblance:
    party_name: str
    score: float
    ratings: tuple[str, ...]


def _same_rating(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    if not a or not b or "catch all" in (a, b):
        return False
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def shared_ratings(ours: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    theirs = list(theirs)
    return tuple(sorted({r for r in ours if any(_same_rating(r, t) for t in theirs)}))


def resemblance(
    *,
    destination: str,
    ratings: Iterable[str],
    end_users: Iterable[tuple[str, str, Iterable[str]]],
    denial_destination: str,
    denial_ratings: Iterable[str],
    denial_end_user: str,
    threshold: float = END_USER_THRESHOLD,
) -> Resemblance | None:
    """How the application resembles the denial, or None when it is not essentially identical.
    `end_users` are (name, kind, aliases) of the application's end users."""
    if destination.upper() != denial_destination.upper():
        return None
    shared = shared_ratings(ratings, denial_ratings)
    if not shared:
        return None
    best: tuple[float, str] | None = None
    for name, kind, aliases in end_users:
        for candidate in (name, *aliases):
            score = score_pair(
                candidate, denial_end_user, kind if kind in ("person", "organisation") else "any"
            )
            if score >= threshold and (best is None or score > best[0]):
                best = (score, name)
    if best is None:
        return None
    return Resemblance(party_name=best[1], score=round(best[0], 4), ratings=shared)
