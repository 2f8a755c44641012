"""Write the annual report as HTML (charts embedded as SVG), PDF (weasyprint, from that HTML) or CSV.

The CSV holds the same tables, one line per row: table, row, and one column
per year with the figure as shown in the report ("<3" for a hidden count).
"""

from __future__ import annotations

import base64
import csv
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ...domain import SERVICE_CHOICES
from ...outbox.compose import environment, templates_dir
from . import charts
from .tables import HANDLING_BINS, Tables

FORMATS = ("html", "pdf", "csv")
CHARTED = {  # table key -> chart options
    "maand": {"short_labels": {m: m[:3] for m in ("januari", "februari", "maart", "april", "mei", "juni", "juli",
                                                   "augustus", "september", "oktober", "november", "december")}},
    "dienst": {"horizontal": True, "skip_empty": True},
    "uitkomst": {},
    "behandelingstijd": {"short_labels": {label: label.replace(" dagen", "").replace("meer dan ", "> ")
                                          for _, _, label in HANDLING_BINS}},
}


@dataclass
class Report:
    tables: Tables
    office: str
    handling_days: int
    working_days: bool

    @property
    def year(self) -> int:
        return self.tables.year


def render(report: Report, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "csv":
        return render_csv(report).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")


def render_html(report: Report, *, for_print: bool = False) -> str:
    tables = report.tables
    min_count = tables.min_count
    images = {key: _data_uri(charts.bar_chart(tables.table(key), min_count, **options))
              for key, options in CHARTED.items()}
    return environment().get_template("report/jaarverslag.html").render(
        report=report, t=tables, min_count=min_count, charts=images, for_print=for_print,
        services=SERVICE_CHOICES, made=datetime.now(timezone.utc).astimezone().strftime("%d-%m-%Y"),
        handling=handling_summary(report),
    )


def render_pdf(report: Report) -> bytes:
    for chatty in ("weasyprint", "weasyprint.progress", "fontTools"):  # before the import, which logs its stylesheets
        logging.getLogger(chatty).setLevel(logging.WARNING)
    from weasyprint import HTML  # the only module importing weasyprint (it loads pango when imported)

    return HTML(string=render_html(report, for_print=True), base_url=str(templates_dir() / "report")).write_pdf()


def render_csv(report: Report) -> str:
    tables = report.tables
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["tabel", "rij", *(str(y) for y in tables.years)])
    for table in tables.tables:
        for row in table.rows:
            writer.writerow([table.key, row.label, *(row.cells[y].shown(tables.min_count) for y in tables.years)])
    for label, value in handling_summary(report):
        writer.writerow(["behandelingstijd_samenvatting", label, *(value(tables.handling[y]) for y in tables.years)])
    return out.getvalue()


def handling_summary(report: Report) -> list[tuple[str, object]]:
    """(label, function of a HandlingTime -> shown text): the handling-time figures, hidden when few."""
    min_count = report.tables.min_count

    def shown(text):
        return lambda h: "–" if h.count == 0 else ("–" if h.hidden else text(h))

    return [
        ("afgesloten klachten", lambda h: f"<{min_count}" if h.hidden else str(h.count)),
        ("mediaan (dagen)", shown(lambda h: _days(h.median))),
        ("gemiddelde (dagen)", shown(lambda h: _days(h.mean))),
        (f"aandeel binnen de termijn ({report.handling_days} {'werkdagen' if report.working_days else 'dagen'})",
         shown(lambda h: _percent(h.in_time_share))),
    ]


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",").replace(",0", "")
