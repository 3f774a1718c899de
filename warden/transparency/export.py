"""Each dashboard figure as CSV: the rows as shown on the page (a suppressed count as "suppressed"), the
total, and the filters and redaction threshold it was computed with, so a downloaded file explains itself."""

from __future__ import annotations

import csv
import io

from warden.transparency import redaction
from warden.transparency.figures import Figure
from warden.transparency.filters import Filters

SUPPRESSED = "suppressed"


def figure_csv(fig: Figure) -> str:
    """CSV text: one header row, one row per figure row, a Total row. Columns: key, label, count."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["key", fig.dimension, fig.measure])
    for row in fig.rows:
        w.writerow([row.key, row.label, SUPPRESSED if row.count is None else row.count])
    w.writerow(["total", "Total", SUPPRESSED if fig.total is None else fig.total])
    return out.getvalue()


def filename(fig: Figure, f: Filters) -> str:
    parts = [fig.slug, *(f.query().values())]
    return "-".join(parts) + ".csv"


def describe(f: Filters) -> str:
    """The filters and the threshold in words, for the page and the CSV link titles."""
    bits = [f"year {f.year}" if f.year else "all years"]
    bits.append(f.region.name if f.region else "all regions")
    bits.append(f"category {f.category}" if f.category else "all categories")
    return f"{', '.join(bits)}; counts below {redaction.threshold()} suppressed"
