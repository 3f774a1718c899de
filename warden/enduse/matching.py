"""Is this the same end user? Its name is compared with the screening matcher (warden.screening.matcher,
pure) in the same country; the end-user profile is keyed by the matcher's normalised form of the name, so
"Acme Trading LLC" and "ACME Trading" share one record of findings."""

from __future__ import annotations

from collections.abc import Iterable

from warden.screening.matcher.normalise import normalise
from warden.screening.matcher.score import score_pair

# As for partner denials (warden.denials.matching): a diversion flag puts a licence's suspension on the
# table, so it needs the same organisation, not a likely one.
SAME_END_USER = 0.85


def name_key(name: str) -> str:
    """The matcher's tokens of `name` (lower case, Latin script, legal forms like "Ltd" dropped), or the
    folded name when nothing is left (a name made only of a legal form)."""
    tokens = normalise(name or "", "organisation").tokens
    key = " ".join(t.canon or t.text for t in tokens)
    return (key or " ".join((name or "").casefold().split()))[:500]


def same_end_user(
    name: str, country: str, candidates: Iterable[tuple[str, str, Iterable[str]]]
) -> tuple[str, float] | None:
    """The best of `candidates` ((name, country, aliases)) that is `name` in `country`: (its name, score)."""
    key = name_key(name)
    best: tuple[str, float] | None = None
    for cand_name, cand_country, aliases in candidates:
        if country and cand_country and cand_country.upper() != country.upper():
            continue
        for candidate in (cand_name, *aliases):
            score = 1.0 if name_key(candidate) == key else score_pair(candidate, name, "organisation")
            if score >= SAME_END_USER and (best is None or score > best[1]):
                best = (cand_name, round(score, 4))
    return best
