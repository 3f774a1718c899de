"""Helpers the report kinds share: euro conversion of grouped sums, settings, labels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings

from warden.legislation.services import current_reference
from warden.reports import mapping

CENT = Decimal("0.01")


def options() -> dict[str, Any]:
    """WARDEN_REPORTS (settings): who reports and what the title pages say. Defaults describe the demo
    authority; an operator sets the real ones."""
    base: dict[str, Any] = {
        "reporting_state": "GB",
        "authority": "Export Control Authority",
        "contact": "Head of Export Licensing, Export Control Authority",
        "public": True,
        # ATT Art. 13(3): a blanket statement that data was withheld, on top of any withheld ratings.
        "withheld_commercially_sensitive": False,
        "withheld_national_security": False,
    }
    base.update(getattr(settings, "WARDEN_REPORTS", {}))
    return base


class Euro:
    """Sums of (value, currency) groups converted to EUR at the year's rate; a currency without a rate is
    kept apart and named in the report's notes, never guessed."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.unconverted: dict[str, Decimal] = defaultdict(Decimal)

    def convert(self, value: Decimal | None, currency: str) -> Decimal:
        if value is None:
            return Decimal(0)
        rate = mapping.eur_rate(currency, self.year)
        if rate is None:
            self.unconverted[currency] += value
            return Decimal(0)
        return (Decimal(value) * rate).quantize(CENT)

    def rates(self) -> dict[str, Decimal]:
        return mapping.eur_rates(self.year)

    def converted(self, eur: Decimal | None, unconverted: Decimal | None) -> Decimal:
        """A sum the database converted (licences_by_ml); what it could not is kept apart."""
        if unconverted:
            self.unconverted["other currencies"] += Decimal(unconverted)
        return Decimal(eur or 0).quantize(CENT)

    def notes(self) -> list[str]:
        return [
            mapping.rates_source(self.year),
            *self._unconverted_notes(),
        ]

    def _unconverted_notes(self) -> list[str]:
        return [
            f"Values in {cur} ({amount:.2f} in total) have no EUR rate for {self.year} in "
            "warden/reports/data/eur_rates.yaml and are left out of the EUR columns."
            for cur, amount in sorted(self.unconverted.items())
        ]


def embargoed(countries: set[str], year: int) -> set[str]:
    """Destinations under an arms embargo aimed at them at the start or end of the year (live reference
    data), for COARM's embargo flag. Global embargoes (on non-state actors anywhere) do not count."""
    _, ref = current_reference()
    out: set[str] = set()
    for cc in countries:
        targeted = {id(e) for e in ref.embargoes_by_target.get(cc, ())}
        for on in (dt.date(year, 1, 1), dt.date(year, 12, 31)):
            if any(id(emb) in targeted for emb, _ in ref.embargo_versions(cc, on)):
                out.add(cc)
    return out


CATEGORY_ORDER = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "ammunition"]


def category_rank(att: str) -> int:
    return CATEGORY_ORDER.index(att) if att in CATEGORY_ORDER else len(CATEGORY_ORDER)


def ml_rank(ml: str) -> int:
    return int(ml[2:]) if ml.startswith("ML") and ml[2:].isdigit() else 99
