"""Inline SVG bar charts (the national report, the region view): no plotting library, deterministic bytes (the same
figures give the same SVG), readable in the HTML page and in WeasyPrint's PDF."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

BAR_H, GAP, LABEL_W, WIDTH = 16, 6, 230, 640


def bars(title: str, items: Sequence[tuple[str, int | Decimal]], unit: str = "") -> str:
    """Horizontal bars, largest value = full width; an empty series says so instead of drawing nothing."""
    if not items:
        return f'<p class="chart-empty">{escape(title)}: nothing to chart for this year.</p>'
    top = max(Decimal(v) for _, v in items) or Decimal(1)
    span = WIDTH - LABEL_W - 110
    height = len(items) * (BAR_H + GAP) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = 24 + i * (BAR_H + GAP)
        w = int(Decimal(value) / top * span)
        shown = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
        parts.append(f'<text x="0" y="{y + 12}" font-size="11">{escape(label[:38])}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1)}" height="{BAR_H}" fill="#1d70b8"/>')
        parts.append(
            f'<text x="{LABEL_W + max(w, 1) + 4}" y="{y + 12}" font-size="11">{escape(shown + unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
