"""Inline SVG bar charts of the dashboard's figures: no JavaScript, no external library, readable in print.

A suppressed row is drawn without a bar and labelled "suppressed" (a bar of any length would give away the
figure it hides). Every piece of text is escaped by format_html."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from warden.transparency.figures import Figure

ROW = 22  # px per bar
LABEL_W = 230  # px for the row labels
BAR_W = 190  # px for the longest bar
VALUE_W = 80


def bar_chart(fig: Figure) -> SafeString:
    """A horizontal bar chart of `fig`, one bar per row, titled for screen readers."""
    shown = [r.count for r in fig.rows if r.count is not None]
    top = max(shown, default=0) or 1
    height = ROW * max(1, len(fig.rows)) + 4
    width = LABEL_W + BAR_W + VALUE_W
    bars = []
    for i, row in enumerate(fig.rows):
        y = i * ROW + 2
        if row.count is None:
            bars.append((y, row.label, 0, "suppressed", "suppressed"))
        else:
            bars.append((y, row.label, max(1, round(BAR_W * row.count / top)), str(row.count), "bar"))
    body = format_html_join(
        "",
        '<g class="{4}"><text x="{5}" y="{6}" text-anchor="end">{1}</text>'
        '<rect x="{7}" y="{0}" width="{2}" height="16" rx="2"></rect>'
        '<text x="{8}" y="{6}" class="value">{3}</text></g>',
        (
            (y, label, w, value, cls, LABEL_W - 8, y + 12, LABEL_W, LABEL_W + (w or 0) + 6)
            for y, label, w, value, cls in bars
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-{0}" viewBox="0 0 {1} {2}" width="{1}" '
        'height="{2}" xmlns="http://www.w3.org/2000/svg"><title id="chart-{0}">{3}</title>{4}</svg>',
        fig.slug,
        width,
        height,
        fig.title,
        body,
    )
