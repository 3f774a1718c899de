"""One Report, five renderings. CSV and JSON are byte-identical for the same year and data: no clock, no
random ids, rows in the order the queries gave (ordered by their keys), JSON keys sorted. XLSX cells are
typed (numbers are numbers, dates are dates) so a spreadsheet sums them without a conversion step."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from warden.reports.provenance import statement
from warden.reports.report import Cell, Kind, Report, Table


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # decimal strings, never floats (warden.lib.canonical's rule)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not serialisable: {type(value).__name__}")


def to_csv(report: Report) -> bytes:
    """The primary table, after '#' lines naming the report and what it was computed from (as the SIPRI
    trade register's CSV carries its metadata lines before the header). COARM keeps CAAT's ';' separator."""
    table = report.tables[0]
    buf = io.StringIO()
    buf.write(f"# {report.title}\n# {statement(report.provenance)}\n")
    for note in report.notes:
        buf.write(f"# {note}\n")
    if report.facts.get("nil_report_exports"):
        buf.write(f"# {report.facts['nil_report_exports']}\n")
    writer = csv.writer(buf, delimiter=";" if report.kind == Kind.COARM else ",", lineterminator="\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return buf.getvalue().encode("utf-8")


def _table_json(t: Table) -> dict[str, Any]:
    return {
        "title": t.title,
        "note": t.note,
        "columns": [{"key": c.key, "label": c.label, "type": c.type} for c in t.columns],
        "rows": t.as_dicts(),
    }


def to_json(report: Report) -> bytes:
    doc = {
        "format": report.provenance["format"],
        "kind": str(report.kind),
        "year": report.year,
        "title": report.title,
        "provenance": report.provenance,
        "facts": report.facts,
        "notes": report.notes,
        "prose": [{"heading": h, "paragraphs": p} for h, p in report.prose],
        "tables": {t.key: _table_json(t) for t in report.tables},
    }
    text = json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
    return (text + "\n").encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    # Fixed document dates: the file says when its data ends, not when it was rendered.
    stamp = dt.datetime(report.year, 12, 31)
    wb.properties.created = wb.properties.modified = stamp
    first = True
    for t in report.tables:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        ws.title = t.key[:31]
        ws.append([c.label for c in t.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in t.rows:
            ws.append([v for v in row])
        for idx, col in enumerate(t.columns, start=1):
            fmt = {"decimal": "#,##0.00", "date": "yyyy-mm-dd", "int": "0"}.get(col.type)
            if fmt:
                for r in range(2, len(t.rows) + 2):
                    ws.cell(row=r, column=idx).number_format = fmt
        ws.freeze_panes = "A2"
    about = wb.create_sheet("about")
    about.append(["Report", report.title])
    about.append(["Provenance", statement(report.provenance)])
    for key, value in sorted(report.provenance.items()):
        about.append([key, value if isinstance(value, (int, str)) or value is None else json.dumps(value)])
    for key, value in sorted(report.facts.items()):
        about.append(
            [
                key,
                value
                if isinstance(value, (int, str, Decimal)) or value is None
                else json.dumps(value, default=_json_default),
            ]
        )
    for note in report.notes:
        about.append(["Note", note])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_html(report: Report) -> str:
    tables = [
        {"t": t, "rows": [[_text(v) for v in row] for row in t.rows], "chart": report.charts.get(t.key, "")}
        for t in report.tables
    ]
    return render_to_string(
        "reports/report.html",
        {"report": report, "tables": tables, "provenance": statement(report.provenance),
         "facts": sorted(report.facts.items())},
    )  # fmt: skip


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=to_html(report)).write_pdf())
